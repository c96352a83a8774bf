// Scenario comparison and the printable report.
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import { appTest, DEMO, eventually, fr } from './app.mjs';
import { flux } from './cli.mjs';

appTest('three scenarios side by side; each column is the engine run with that scenario', async (app) => {
  await app.goto({ page: 'scenarios' });
  await app.page.click('[data-testid=ajouter-par-typologie]');
  await app.page.click('[data-testid=ajouter-observe]');
  await app.expectCount('[data-testid^=scenario-]', 3);
  assert.ok(await app.page.locator('[data-testid=ajouter-copie]').isDisabled(), 'at most three scenarios');
  // Make scenario B active: its parameters go to the URL, which the CLI then runs.
  await app.page.locator('[data-testid=scenario-1] button', { hasText: 'Tous les paramètres' }).click();
  await app.page.locator('nav a[data-page=parametres][aria-current=page]').waitFor();
  const params = await app.paramsWhere((p) => p.rotation.mode === 'par_segment');
  assert.ok(Object.keys(params.rotation.par_segment.taux).length >= 4, 'observed rates by typologie filled in');
  const b = flux(DEMO, params).synthese;
  await app.open('scenarios');
  const per = b.perimetres[0];
  const al = per.parts.find((p) => p.categorie === 'action_logement');
  await app.page.selectOption('#scenario-perimetre', `${per.bailleur}|${per.departement}`);
  // Columns: A part, A log/an, B part, B log/an, …
  await app.expectText(app.page.locator(`[data-testid=comparaison-parties] tr[data-partie="${al.reservataire}"] td`).nth(3),
    fr(al.logements_par_an, 1));
  await app.screenshot('scenarios');
  const { text: csv } = await app.download('exporter-scenarios');
  assert.match(csv.split('\n')[0], /ecart_points_B;ecart_logements_par_an_B;ecart_points_C/);
  // Back to one scenario.
  await app.page.click('[data-testid=supprimer-scenario-2]');
  await app.page.click('[data-testid=supprimer-scenario-1]');
  await app.expectCount('[data-testid^=scenario-]', 1);
});

appTest('the printable report lists the parameters, the conventions and the sources', async (app) => {
  await app.goto({ page: 'rapport' });
  await eventually(async () => {
    const rows = Object.fromEntries((await app.table('[data-testid=rapport-parametres] table')).rows);
    assert.equal(rows['Taux unique'], '6,3 %');
    assert.equal(rows["Part de l'État"], '30,0 % dont agents 5,0 %');
    assert.equal(rows.Arrondi, "cumul arrondi (le bailleur absorbe l'arrondi)");
    assert.equal(rows['Mises en service (logements neufs, année de première location)'], 'aucune');
  });
  await app.expectText(app.page.locator('main'), /DRIHL Île-de-France, restitution/);
  await app.page.emulateMedia({ media: 'print' });
  assert.equal(await app.page.locator('nav.fr-nav').isVisible(), false, 'navigation hidden in print');
  assert.equal(await app.page.getByTestId('imprimer').isVisible(), false);
  await app.screenshot('rapport-impression');
  const pdf = 'target/screenshots/rapport.pdf';
  await app.page.pdf({ path: pdf, format: 'A4' });
  assert.ok(statSync(pdf).size > 20_000);
});
