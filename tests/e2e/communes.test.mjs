// The communal view shared with every réservataire: totals equal the detailed ones, publication
// mode masks small counts and never shows an RPLS identifier, exports download.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { openApp } from './app.mjs';

const DEMO = 'public/demo/etat-des-lieux-demo.csv';
let app;
before(async () => { app = await openApp(); await app.goto(); await app.counts(); });
after(async () => { await app?.close(); });

const num = (t) => Number(t.replace(/[\s\u202f\u00a0]/g, '').replace(',', '.'));

test('per-département totals equal the assiette page totals, and no RPLS id is shown', async () => {
  await app.open('assiette');
  const logements = num(await app.page.getByTestId('total-logements').textContent());
  await app.open('communes');
  await app.page.click('label[for=publication]'); // detailed mode: exact counts
  await app.page.click('label[for=niveau-départements]');
  const cells = await app.page.locator('[data-testid=vue-communale] tbody tr td:nth-child(3)').allTextContents();
  assert.equal(cells.map(num).reduce((a, b) => a + b, 0), logements);
  // No RPLS identifier of the file appears anywhere on the page.
  const ids = readFileSync(DEMO, 'utf8').split('\n').slice(1, 400).map((l) => l.split(';')[0]).filter(Boolean);
  const html = await app.page.content();
  assert.ok(ids.every((id) => !html.includes(id)), 'an RPLS id leaked into the communal view');
  await app.page.click('label[for=publication]');
});

test('publication mode masks counts below the threshold', async () => {
  await app.page.click('label[for=niveau-communes]');
  await app.page.selectOption('#colonnes', { label: 'Logements réservés' });
  const text = await app.page.getByTestId('vue-communale').textContent();
  assert.match(text, /< 5/);
  const counts = await app.page.locator('[data-testid=vue-communale] tbody td.nombre').allTextContents();
  for (const c of counts) {
    if (!c.startsWith('<')) assert.ok(num(c) === 0 || num(c) >= 5, `count ${c} should be masked`);
  }
  await app.screenshot('vue-communale');
});

test('search and département filter narrow the rows; the view downloads as CSV', async () => {
  await app.page.fill('#recherche-commune', 'montreuil');
  await app.page.waitForFunction(() => document.querySelectorAll('[data-testid=vue-communale] tbody tr').length <= 2);
  const rows = await app.page.locator('[data-testid=vue-communale] tbody tr').allTextContents();
  assert.ok(rows.every((r) => /montreuil/i.test(r)), rows.join('|'));
  await app.page.fill('#recherche-commune', '');
  // The EPCI/EPT filter keeps only that territory's communes.
  await app.page.selectOption('#filtre-epci', { label: 'Est Ensemble' });
  const epciRows = await app.page.locator('[data-testid=vue-communale] tbody tr').allTextContents();
  assert.ok(epciRows.length >= 1 && epciRows.every((r) => /Est Ensemble/.test(r)), epciRows.join('|'));
  await app.page.selectOption('#filtre-epci', { label: 'Tous' });
  const [download] = await Promise.all([
    app.page.waitForEvent('download'),
    app.page.click('[data-testid=exporter-communes-csv]'),
  ]);
  const csv = readFileSync(await download.path(), 'utf8');
  assert.ok(csv.startsWith('\ufeffcommune;nom;'), csv.slice(0, 60));
  assert.match(csv, /;< 5;/);
  assert.doesNotMatch(csv, /\d+\.\d+/, 'decimal comma, never a point');
});
