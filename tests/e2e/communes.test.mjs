// The communal view shared with every réservataire: totals equal the detailed ones, publication
// mode masks small counts and never shows an RPLS identifier, exports download.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { appTest, DEMO, eventually, num } from './app.mjs';

const rows = (app) => app.page.locator('[data-testid=vue-communale] tbody tr');

appTest('per-département totals equal the assiette page totals, and no RPLS id is shown', async (app) => {
  await app.goto({ page: 'assiette' });
  const logements = num(await app.expectText(app.page.getByTestId('total-logements'), /^\d[\d ]*$/));
  await app.open('communes');
  await app.check('publication'); // detailed mode: exact counts
  await app.check('niveau-départements');
  await eventually(async () => {
    const cells = await app.page.locator('[data-testid=vue-communale] tbody tr td:nth-child(3)').allTextContents();
    assert.ok(cells.every((c) => !c.startsWith('<')), `exact counts: ${cells}`);
    assert.equal(cells.map(num).reduce((a, b) => a + b, 0), logements);
  });
  // No RPLS identifier of the file appears anywhere on the page.
  const ids = readFileSync(DEMO, 'utf8').split('\n').slice(1, 400).map((l) => l.split(';')[0]).filter(Boolean);
  const html = await app.page.content();
  assert.ok(ids.every((id) => !html.includes(id)), 'an RPLS id leaked into the communal view');
});

appTest('publication mode masks counts below the threshold', async (app) => {
  await app.goto({ page: 'communes' });
  await app.page.selectOption('#colonnes', { label: 'Logements réservés' });
  await app.expectText(app.page.locator('[data-testid=vue-communale] thead'), /État — prioritaires/);
  await app.expectText(app.page.getByTestId('vue-communale'), /< 5/);
  const counts = await app.page.locator('[data-testid=vue-communale] tbody td.nombre').allTextContents();
  for (const c of counts) {
    if (!c.startsWith('<')) assert.ok(num(c) === 0 || num(c) >= 5, `count ${c} should be masked`);
  }
  await app.screenshot('vue-communale');
});

appTest('search and EPCI filter narrow the rows; the view downloads as CSV', async (app) => {
  await app.goto({ page: 'communes' });
  // Bondy (93010) is in the demo, in the EPT Est Ensemble.
  await app.page.fill('#recherche-commune', 'bondy');
  await eventually(async () => {
    const texts = await rows(app).allTextContents();
    assert.ok(texts.length === 1 && /^93010Bondy/.test(texts[0]), `rows: ${texts.join('|')}`);
  });
  await app.page.fill('#recherche-commune', '');
  // The EPCI/EPT filter keeps only that territory's communes.
  await app.page.selectOption('#filtre-epci', { label: 'Est Ensemble' });
  await eventually(async () => {
    const texts = await rows(app).allTextContents();
    assert.ok(texts.length >= 1 && texts.every((r) => /Est Ensemble/.test(r)), texts.join('|'));
  });
  await app.page.selectOption('#filtre-epci', { label: 'Tous' });
  await eventually(async () => assert.ok(!(await rows(app).allTextContents()).every((r) => /Est Ensemble/.test(r))));
  const { name, text: csv } = await app.download('exporter-communes-csv');
  assert.equal(name, 'vue-commune.csv');
  assert.ok(csv.startsWith('\ufeffcommune;nom;'), csv.slice(0, 60));
  assert.match(csv, /;< 5;/);
  assert.doesNotMatch(csv, /\d+\.\d+/, 'decimal comma, never a point');
});
