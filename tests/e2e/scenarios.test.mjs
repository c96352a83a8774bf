// Scenario comparison and the printable report.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openApp } from './app.mjs';

const DEMO = 'public/demo/etat-des-lieux-demo.csv';
let app;
before(async () => { app = await openApp(); await app.goto(); await app.counts(); });
after(async () => { await app?.close(); });

const fr1 = (x) => x.toLocaleString('fr-FR', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

function engine(params) {
  const dir = mkdtempSync(join(tmpdir(), 'flux-'));
  writeFileSync(join(dir, 'p.json'), JSON.stringify(params));
  execFileSync('target/release/flux', [DEMO, '--parametres', join(dir, 'p.json'), '--sortie', dir]);
  return JSON.parse(readFileSync(join(dir, 'synthese.json'), 'utf8'));
}

test('three scenarios side by side; each column is the engine run with that scenario', async () => {
  await app.open('scenarios');
  await app.page.click('[data-testid=ajouter-par-typologie]');
  await app.page.click('[data-testid=ajouter-observe]');
  assert.equal(await app.page.locator('[data-testid^=scenario-]').count(), 3);
  assert.ok(await app.page.locator('[data-testid=ajouter-copie]').isDisabled(), 'at most three scenarios');
  // Make scenario B active: its parameters go to the URL, which the CLI then runs.
  await app.page.locator('[data-testid=scenario-1] button', { hasText: 'Tous les paramètres' }).click();
  await app.page.locator('main h1').waitFor();
  const params = JSON.parse(new URL(app.page.url()).searchParams.get('parametres'));
  assert.equal(params.rotation.mode, 'par_segment');
  assert.ok(Object.keys(params.rotation.par_segment.taux).length >= 4, 'observed rates by typologie filled in');
  const b = engine(params);
  await app.open('scenarios');
  const per = b.perimetres[0];
  const al = per.parts.find((p) => p.categorie === 'action_logement');
  await app.page.selectOption('#scenario-perimetre', `${per.bailleur}|${per.departement}`);
  const row = app.page.locator(`[data-testid=comparaison-parties] tr[data-partie="${al.reservataire}"] td`);
  // Columns: A part, A log/an, B part, B log/an, …
  assert.equal((await row.nth(3).textContent()).trim(), fr1(al.logements_par_an));
  await app.screenshot('scenarios');
  const [download] = await Promise.all([
    app.page.waitForEvent('download'),
    app.page.click('[data-testid=exporter-scenarios]'),
  ]);
  const csv = readFileSync(await download.path(), 'utf8');
  assert.match(csv.split('\n')[0], /ecart_points_B;ecart_logements_par_an_B;ecart_points_C/);
  // Back to one scenario.
  await app.page.click('[data-testid=supprimer-scenario-2]');
  await app.page.click('[data-testid=supprimer-scenario-1]');
  assert.equal(await app.page.locator('[data-testid^=scenario-]').count(), 1);
});

test('the printable report lists the parameters, the conventions and the sources', async () => {
  await app.open('rapport');
  const params = await app.page.getByTestId('rapport-parametres').textContent();
  assert.match(params, /Taux unique6,3\u00a0%/);
  assert.match(params, /Part de l'État30,0\u00a0% dont agents 5,0\u00a0%/);
  assert.match(await app.page.locator('main').textContent(), /DRIHL Île-de-France, restitution/);
  await app.page.emulateMedia({ media: 'print' });
  assert.equal(await app.page.locator('nav.fr-nav').isVisible(), false, 'navigation hidden in print');
  assert.equal(await app.page.getByTestId('imprimer').isVisible(), false);
  await app.screenshot('rapport-impression');
  const pdf = 'target/screenshots/rapport.pdf';
  await app.page.pdf({ path: pdf, format: 'A4' });
  assert.ok(statSync(pdf).size > 20_000);
  await app.page.emulateMedia({ media: 'screen' });
});
