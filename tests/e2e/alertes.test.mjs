// The v2 alerts (SPEC §4, §5): logements of motif `autre` kept in the assiette, a réservataire
// « noyé dans le flux » under a v1 rounding, parameters that match nothing in the file, an old
// parameter key, two réservataires of the same name — each message is the one the command line
// writes in synthese.json for the same file and parameters.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { appTest, eventually, squash } from './app.mjs';
import { flux, petitParc, tempDir } from './cli.mjs';

/** Messages of the alerts of `code` in synthese.json. */
const messages = (synthese, code) => synthese.alertes.filter((a) => a.code === code).map((a) => squash(a.message));

/** Texts of the items of an alert box (empty when the box is absent). */
async function items(locator) {
  return (await locator.locator('li').allTextContents()).map(squash);
}

appTest('logements of motif « autre » stay in the assiette, with the engine\'s alert', async (app) => {
  const file = petitParc({ autre: 3, nom: 'petit-parc-autre.csv' });
  await app.goto();
  await app.upload(file);
  const cli = flux(file, await app.params());
  const expected = messages(cli.synthese, 'autre_dans_assiette');
  assert.equal(expected.length, 1);
  assert.match(expected[0], /3 logement\(s\) de motif « autre » restent dans l'assiette/);
  await app.open('parts');
  await app.expectText(app.page.getByTestId('assiette'), String(cli.synthese.perimetres[0].assiette));
  await eventually(async () => assert.ok((await items(app.alertes)).includes(expected[0]), 'alert shown'));
  await app.screenshot('alerte-autre');
  // Taking `autre` out (switch on « Assiette ») removes them and the alert.
  await app.open('assiette');
  await app.check('exclusion-autre');
  const params = await app.paramsWhere((p) => p.exclusions.autre === true);
  const without = flux(file, params).synthese;
  assert.deepEqual(messages(without, 'autre_dans_assiette'), []);
  await app.open('parts');
  await app.expectText(app.page.getByTestId('assiette'), String(without.perimetres[0].assiette));
  await eventually(async () => assert.ok(!(await items(app.alertes)).some((t) => /motif « autre »/.test(t)), 'alert gone'));
});

appTest('a tiny réservataire is « noyé dans le flux » under the v1 roundings, never under cumul', async (app) => {
  const file = petitParc();
  await app.goto();
  await app.upload(file);
  const cumul = flux(file, await app.params()).synthese;
  assert.deepEqual(messages(cumul, 'noye_dans_le_flux'), [], 'cumul protects small réservataires');
  await app.open('etalement');
  await app.anneesNommees.waitFor();
  assert.equal(await app.anneesNommees.locator('.fr-badge').count(), 0);
  for (const [radio, mode, label] of [['arrondi-1', 'plus_forts_restes', 'Plus forts restes'], ['arrondi-2', 'report', 'Report']]) {
    await app.open('parametres');
    await app.expectText(app.page.locator(`label[for=${radio}]`), new RegExp(`^${label}`));
    await app.check(radio);
    const params = await app.paramsWhere((p) => p.arrondi === mode);
    const synthese = flux(file, params).synthese;
    const expected = messages(synthese, 'noye_dans_le_flux');
    if (mode === 'plus_forts_restes') {
      // 0,063 logement a year never wins a largest remainder: nothing over the whole étalement.
      assert.ok(expected.some((m) => m.includes('Mutuelle du Rail (employeur) reçoit 0,0 logement(s)')), `${mode}: ${JSON.stringify(expected)}`);
    } else {
      // Carried fractions are delivered once whole: only a final fraction (< 1) is lost.
      assert.deepEqual(expected, [], `${mode}: ${JSON.stringify(expected)}`);
    }
    await app.open('parts');
    await eventually(async () => {
      const shown = (await items(app.alertes)).filter((t) => /noyé dans le flux/.test(t));
      assert.deepEqual(shown, expected);
    }, { message: `${mode}: alerts` });
    // The badge on « Étalement » marks exactly the réservataires named by the alerts.
    const drowned = synthese.perimetres[0].parts.filter((p) => expected.some((m) => m.includes(`: ${p.reservataire} (${p.categorie})`)));
    assert.equal(drowned.length, expected.length);
    await app.open('etalement');
    // Named years follow the rounding in force, as in synthese.json.
    await app.expectNamedYears(synthese.perimetres[0]);
    await eventually(async () => {
      const badged = await app.anneesNommees.locator('li[data-partie]:has(.fr-badge)').evaluateAll((ls) => ls.map((l) => l.dataset.partie));
      assert.deepEqual(badged.sort(), drowned.map((p) => p.reservataire).sort());
    }, { message: `${mode}: badges` });
    if (drowned.length) {
      await app.expectText(app.anneesNommees.locator('li[data-partie="Mutuelle du Rail"] .fr-badge'), 'noyé dans le flux');
    }
    await app.screenshot(`etalement-noye-${mode}`);
  }
});

appTest('a par_segment key matching nothing is named on « Paramètres »', async (app) => {
  const file = petitParc();
  await app.goto();
  await app.upload(file);
  await app.importParams({ rotation: { mode: 'par_segment', par_segment: { cle: 'typologie', taux: { T2: 0.07, T9: 0.08 } } } });
  const params = await app.paramsWhere((p) => p.rotation.mode === 'par_segment' && p.rotation.par_segment.taux.T9 === 0.08);
  const expected = messages(flux(file, params).synthese, 'parametre_sans_effet');
  assert.equal(expected.length, 1, JSON.stringify(expected));
  assert.match(expected[0], /^rotation\.par_segment\.taux\.T9 : valeur inconnue/);
  await eventually(async () => assert.deepEqual(await items(app.alertesParametres), expected));
  await app.screenshot('parametres-alertes');
  // A commune key of a commune absent from the file is named too.
  await app.importParams({ rotation: { mode: 'par_segment', par_segment: { cle: 'commune', taux: { 93048: 0.07, 75056: 0.05 } } } });
  const communes = await app.paramsWhere((p) => p.rotation.par_segment.cle === 'commune');
  const expected2 = messages(flux(file, communes).synthese, 'parametre_sans_effet');
  assert.equal(expected2.length, 1, JSON.stringify(expected2));
  assert.match(expected2[0], /^rotation\.par_segment\.taux\.75056 : aucun logement du fichier dans cette commune/);
  await eventually(async () => assert.deepEqual(await items(app.alertesParametres), expected2));
  // Valid keys only: no box.
  await app.page.click('[data-testid=reinitialiser]');
  await app.expectCount(app.alertesParametres, 0);
});

appTest('the v1 key mises_en_service_annuelles is read, converted to cohorts, and explained', async (app) => {
  const file = petitParc();
  await app.goto();
  await app.upload(file);
  const year = Number((await app.params()).date_conversion.slice(0, 4));
  const json = { date_conversion: `${year}-01-01`, mises_en_service_annuelles: 12 };
  const path = await app.importParams(json);
  const expected = messages(flux(file, path).synthese, 'parametre_obsolete');
  assert.equal(expected.length, 1);
  await eventually(async () => assert.deepEqual(await items(app.alertesParametres), expected));
  // The cohorts editor shows the converted list (12 logements a year from the conversion year).
  await eventually(async () => {
    assert.ok(await app.page.locator('[data-testid=cohorte]').count() >= 1);
    assert.equal(await app.page.inputValue('#cohorte-0-logements'), '12');
  });
});

appTest('two réservataires with the same name but different categories are pointed out', async (app) => {
  const file = join(tempDir(), 'homonymes.csv');
  writeFileSync(file, `${readFileSync('tests/e2e/fixtures/canonique.csv', 'utf8')}R013;Habitat Est;93048;T2;PLUS;non;Action Logement;employeur;suite;31/12/2040;\n`);
  await app.goto();
  await app.upload(file);
  const expected = messages(flux(file, await app.params()).synthese, 'homonymes');
  assert.equal(expected.length, 1);
  assert.match(expected[0], /« Action Logement » apparaît avec plusieurs catégories \(action_logement, employeur\)/);
  await app.open('parametres');
  await eventually(async () => assert.deepEqual(await items(app.alertesParametres), expected));
  // Both parties are in the parts table, each with its category.
  await app.open('parts');
  await eventually(async () => {
    const t = await app.table('[data-testid=parts] table');
    // Each labelled with its category, next to the name (SPEC §4 v2).
    assert.deepEqual(t.rows.filter((r) => r[0].startsWith('Action Logement')).map((r) => [r[0], r[1]]).sort(),
      [['Action Logement (Action Logement)', 'Action Logement'], ['Action Logement (Employeur)', 'Employeur']]);
  });
});

appTest('homonymous réservataires each get their own « Comment est-ce calculé ? »', async (app) => {
  const file = join(tempDir(), 'homonymes-simple.csv');
  // The employer « Action Logement » holds one droit simple, the other one three droits de suite.
  writeFileSync(file, `${readFileSync('tests/e2e/fixtures/canonique.csv', 'utf8')}R013;Habitat Est;93048;T2;PLUS;non;Action Logement;employeur;simple;;\n`);
  await app.goto();
  await app.upload(file);
  await app.open('parts');
  const panels = app.page.locator('details[data-reservataire="Action Logement"]');
  await app.expectCount(panels, 2);
  for (const k of [0, 1]) await panels.nth(k).locator('summary').click();
  await app.expectText(panels.nth(0), /Droits de suite dans l'assiette : 3 .*Droits simples : 0 .*V = Σ τ × D \+ droits simples = 3,15/);
  await app.expectText(panels.nth(1), /Droits de suite dans l'assiette : 0 .*Droits simples : 1 \(dont 1 encore utilisables.*V = Σ τ × D \+ droits simples = 1,00/, { timeout: 2000 });
});
