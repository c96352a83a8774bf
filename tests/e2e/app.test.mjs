// The web app as a workshop participant uses it: upload files in two dialects, read the report,
// map a column by hand, change the rotation mode and an exclusion, and walk it with the keyboard.
// Expected numbers come from the `flux` command line (the same engine, run natively). Every test
// starts from a fresh browser context and loads what it needs itself.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { appTest, eventually, fr, pct, squash } from './app.mjs';
import { flux, tempDir } from './cli.mjs';

const FIX = 'tests/e2e/fixtures';
const CANONIQUE = `${FIX}/canonique.csv`;

appTest('upload a canonical CSV: counts reconcile and shares are the engine\'s', async (app) => {
  await app.goto();
  await app.upload(CANONIQUE);
  assert.equal(await app.counts(), '12 lignes lues = 12 retenues + 0 rejetées ; 0 avertissement(s).');
  const expected = flux(CANONIQUE, await app.params()).synthese;
  await app.open('parts');
  const per = expected.perimetres[0];
  for (const p of per.parts.filter((x) => !['etat_prioritaires', 'etat_agents', 'bailleur'].includes(x.categorie))) {
    await app.expectText(app.page.locator(`[data-testid=parts] tr[data-partie="${p.reservataire}"] .part`), pct(p.part));
  }
  await app.expectText(app.page.getByTestId('total-parts'), pct(1));
  // The État appears as two parties with their category labels.
  await app.expectText(app.page.locator('[data-testid=parts] tr[data-partie="Etat - prioritaires"] th'), 'État — prioritaires');
  await app.expectText(app.page.locator('[data-testid=parts] tr[data-partie="Etat - agents"] td').first(), 'État — agents');
  // « Comment est-ce calculé ? » shows the réservataire's numbers in the formulas.
  const al = per.parts.find((p) => p.reservataire === 'Action Logement');
  const panel = app.page.locator('details[data-reservataire="Action Logement"]');
  await panel.locator('summary').click();
  await app.expectText(panel, /Droits de suite dans l'assiette : 3 \(dont 0 sans date de fin/);
  const text = await app.expectText(panel, /Taux de rotation moyen τ = 6,30 %/);
  assert.ok(text.includes(`V = Σ τ × D + droits simples = ${squash(fr(al.volume_droits, 2))}`), text);
  await app.screenshot('parts-canonique');
});

appTest('the same logements in RPLS dialect, Windows-1252, tab-separated give the same results', async (app) => {
  await app.goto();
  await app.upload(CANONIQUE);
  await app.open('parts');
  const before = await app.expectText(app.page.getByTestId('parts'), /Action Logement/);
  await app.upload(`${FIX}/rpls-windows-1252.csv`);
  assert.match(await app.counts(), /^12 lignes lues = 12 retenues \+ 0 rejetées/);
  await app.expectText(app.page.getByTestId('lecture-ok'), /Encodage windows-1252, séparateur « tabulation »/i);
  await app.open('parts');
  await app.expectText(app.page.getByTestId('parts'), before);
});

appTest('changing the rotation mode updates shares to the engine\'s values at once', async (app) => {
  await app.goto();
  await app.upload(CANONIQUE);
  await app.open('parametres');
  await app.check('rotation-mode-1'); // par catégorie
  await app.setNumber('#taux-categorie-action_logement', 12);
  await app.check('methode-part-1'); // annualisation: shares depend on τ
  const params = await app.paramsWhere((p) => p.rotation.mode === 'par_categorie'
    && p.rotation.par_categorie.action_logement === 0.12 && p.methode_part === 'annualisation');
  const expected = flux(CANONIQUE, params).synthese;
  await app.open('parts');
  const al = expected.perimetres[0].parts.find((p) => p.reservataire === 'Action Logement');
  await app.expectText(app.page.locator('[data-testid=parts] tr[data-partie="Action Logement"] .part'), pct(al.part));
  await app.expectText(app.page.getByTestId('flux'), fr(expected.perimetres[0].flux_annuel, 1));
  await app.screenshot('parts-par-categorie');
});

appTest('switching an exclusion off puts those logements back in the assiette', async (app) => {
  await app.goto();
  await app.upload(CANONIQUE);
  await app.open('assiette');
  const total = app.page.getByTestId('total-assiette');
  await app.expectText(total, '10');
  await app.check('exclusion-vente');
  await app.expectText(total, '11');
  await app.screenshot('assiette');
  await app.check('exclusion-vente');
  await app.expectText(total, '10');
});

appTest('a missing required column is mapped by hand, then the file is read', async (app) => {
  const file = join(tempDir(), 'colonnes-inconnues.csv');
  writeFileSync(file, readFileSync(CANONIQUE, 'utf8').replace('commune;', 'lieu;'));
  await app.goto();
  await app.upload(file);
  await app.expectText(app.page.getByTestId('lecture-echec'), /commune/);
  await app.page.selectOption('#colonne-commune', { label: 'lieu' });
  await app.screenshot('correspondance');
  await app.page.click('[data-testid=relire]');
  await app.expectText(app.comptes, /^12 lignes lues = 12 retenues/);
});

appTest('rejects are listed with line, column and reason, and can be downloaded', async (app) => {
  const file = join(tempDir(), 'rejets.csv');
  writeFileSync(file, `${readFileSync(CANONIQUE, 'utf8')}R013;Habitat Est;;T2;PLUS;non;;;;;\n`);
  await app.goto();
  await app.upload(file);
  assert.match(await app.counts(), /^13 lignes lues = 12 retenues \+ 1 rejetées/);
  await app.expectText(app.page.getByTestId('rejets').locator('tbody tr').first(), /^14 ?commune/);
  const { text } = await app.download('telecharger-rejets');
  assert.ok(text.startsWith('\ufeffligne;colonne;motif'), text.slice(0, 40));
  assert.match(text, /\n14;commune;/);
  await app.screenshot('donnees-rejets');
});

appTest('parameters JSON is exported and the URL shares parameters, never data', async (app) => {
  await app.goto();
  await app.upload(CANONIQUE);
  await app.open('parametres');
  const { text } = await app.download('exporter-parametres');
  const json = JSON.parse(text);
  assert.equal(json.rotation.taux_unique, 0.063);
  assert.equal(json.etat.part_totale, 0.3);
  assert.equal(json.arrondi, 'cumul', 'v2 default rounding');
  assert.doesNotMatch(app.page.url(), /R00\d|Habitat/);
  await app.setNumber('#taux-unique', '7.5');
  await app.paramsWhere((p) => p.rotation.taux_unique === 0.075);
  // Another browser (no localStorage) opened from that link gets the same parameters, not the file.
  const other = await app.openElsewhere(app.page.url());
  await eventually(async () => assert.equal(await other.inputValue('#taux-unique', { timeout: 1000 }), '7.5'));
  await eventually(async () => assert.match(squash(await other.getByTestId('source').textContent({ timeout: 1000 })), /etat-des-lieux-demo\.csv/));
});

appTest('parameters are kept in the browser: a reload without the link keeps them', async (app) => {
  await app.goto({ page: 'parametres' });
  await app.setNumber('#taux-unique', '8');
  await app.paramsWhere((p) => p.rotation.taux_unique === 0.08);
  await app.page.goto(`${app.url}#parametres`); // no ?parametres=…: read back from localStorage
  await app.expectValue('#taux-unique', '8');
  await app.page.click('[data-testid=reinitialiser]');
  await app.expectValue('#taux-unique', '6.3');
});

appTest('every page is reachable with the keyboard alone', async (app) => {
  await app.goto();
  // The first Tab reaches the skip link (« Aller au contenu »); Enter moves the focus to the content.
  await app.page.keyboard.press('Tab');
  assert.equal(await app.page.evaluate(() => document.activeElement.textContent.trim()), 'Aller au contenu');
  await app.page.keyboard.press('Enter');
  const pages = ['Données', 'Paramètres', 'Assiette', 'Conversion et parts', 'Étalement', 'Suivi de l\'année', 'Orienter un logement', 'Vue communale', 'Scénarios', 'Rapport et exports'];
  for (const title of pages) {
    // After a page change the focus is on the main content, just after the navigation:
    // Shift+Tab walks back through the navigation links until the wanted one, then Enter.
    for (let i = 0; i < 14; i++) {
      await app.page.keyboard.press('Shift+Tab');
      const focused = await app.page.evaluate(() => document.activeElement?.textContent?.trim());
      if (focused === title) break;
    }
    await app.page.keyboard.press('Enter');
    await app.expectText(app.currentNav, title);
  }
  await app.screenshot('clavier-rapport');
});
