// The web app as a workshop participant uses it: upload files in two dialects, read the report,
// map a column by hand, change the rotation mode and an exclusion, and walk it with the keyboard.
// Expected numbers come from the `flux` command line (the same engine, run natively).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openApp } from './app.mjs';

const FIX = 'tests/e2e/fixtures';
const CLI = 'target/release/flux';
let app;
before(async () => { app = await openApp(); await app.goto(); await app.counts(); });
after(async () => { await app?.close(); });

/** Runs the CLI on a file with parameters; returns synthese.json. */
function engine(file, params = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'flux-'));
  const p = join(dir, 'parametres.json');
  writeFileSync(p, JSON.stringify({ date_conversion: currentParams().date_conversion, ...params }));
  execFileSync(CLI, [file, '--parametres', p, '--sortie', dir]);
  return JSON.parse(readFileSync(join(dir, 'synthese.json'), 'utf8'));
}
let paramsInPage;
function currentParams() { return paramsInPage; }

/** French percentage with two decimals, as the app shows it (U+00A0 before %). */
const pct = (x) => `${(x * 100).toLocaleString('fr-FR', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}\u00a0%`;

async function readParams() {
  const url = new URL(app.page.url());
  paramsInPage = JSON.parse(url.searchParams.get('parametres'));
}

test('upload a canonical CSV: counts reconcile and shares are the engine\'s', async () => {
  await app.upload(`${FIX}/canonique.csv`);
  assert.equal(await app.counts(), '12 lignes lues = 12 retenues + 0 rejetées ; 0 avertissement(s).');
  await readParams();
  const expected = engine(`${FIX}/canonique.csv`);
  await app.open('parts');
  const per = expected.perimetres[0];
  for (const p of per.parts.filter((x) => !['etat_prioritaires', 'etat_agents', 'bailleur'].includes(x.categorie))) {
    assert.equal(await app.share(p.reservataire), pct(p.part), p.reservataire);
  }
  assert.equal(await app.page.getByTestId('total-parts').textContent(), pct(1));
  // « Comment est-ce calculé ? » shows the réservataire's numbers in the formulas.
  const al = per.parts.find((p) => p.reservataire === 'Action Logement');
  const panel = app.page.locator('details[data-reservataire="Action Logement"]');
  await panel.locator('summary').click();
  const text = (await panel.textContent()).replace(/\u202f/g, ' ');
  assert.match(text, /Droits de suite dans l'assiette : 3 \(dont 0 sans date de fin/);
  assert.match(text, /Taux de rotation moyen τ = 6,30\u00a0%/);
  assert.ok(text.includes(`V = Σ τ × D + droits simples = ${al.volume_droits.toLocaleString('fr-FR', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).replace(/\u202f/g, ' ')}`), text);
  await app.screenshot('parts-canonique');
});

test('the same logements in RPLS dialect, Windows-1252, tab-separated give the same results', async () => {
  await app.open('parts');
  const before = await app.page.getByTestId('parts').textContent();
  await app.upload(`${FIX}/rpls-windows-1252.csv`);
  assert.match(await app.counts(), /^12 lignes lues = 12 retenues \+ 0 rejetées/);
  assert.match(await app.page.getByTestId('lecture-ok').textContent(), /Encodage windows-1252, séparateur « tabulation »/i);
  await app.open('parts');
  assert.equal(await app.page.getByTestId('parts').textContent(), before);
});

test('changing the rotation mode updates shares to the engine\'s values at once', async () => {
  await app.upload(`${FIX}/canonique.csv`);
  await app.open('parametres');
  await app.page.click('label[for=rotation-mode-1]'); // par catégorie
  await app.page.fill('#taux-categorie-action_logement', '12');
  await app.page.press('#taux-categorie-action_logement', 'Tab');
  await app.page.click('label[for=methode-part-1]'); // annualisation: shares depend on τ
  await readParams();
  assert.equal(paramsInPage.rotation.mode, 'par_categorie');
  assert.equal(paramsInPage.rotation.par_categorie.action_logement, 0.12);
  const expected = engine(`${FIX}/canonique.csv`, paramsInPage);
  await app.open('parts');
  const al = expected.perimetres[0].parts.find((p) => p.reservataire === 'Action Logement');
  assert.equal(await app.share('Action Logement'), pct(al.part));
  assert.equal(await app.page.getByTestId('flux').textContent(),
    expected.perimetres[0].flux_annuel.toLocaleString('fr-FR', { minimumFractionDigits: 1, maximumFractionDigits: 1 }));
  await app.screenshot('parts-par-categorie');
  await app.open('parametres');
  await app.page.click('[data-testid=reinitialiser]');
});

test('switching an exclusion off puts those logements back in the assiette', async () => {
  await app.open('assiette');
  const total = async () => (await app.page.getByTestId('total-assiette').textContent()).trim();
  assert.equal(await total(), '10');
  await app.page.click('label[for=exclusion-vente]');
  assert.equal(await total(), '11');
  await app.screenshot('assiette');
  await app.page.click('label[for=exclusion-vente]');
  assert.equal(await total(), '10');
});

test('a missing required column is mapped by hand, then the file is read', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'flux-'));
  const file = join(dir, 'colonnes-inconnues.csv');
  writeFileSync(file, readFileSync(`${FIX}/canonique.csv`, 'utf8').replace('commune;', 'lieu;'));
  await app.upload(file);
  const failure = app.page.getByTestId('lecture-echec');
  await failure.waitFor();
  assert.match(await failure.textContent(), /commune/);
  await app.page.selectOption('#colonne-commune', { label: 'lieu' });
  await app.screenshot('correspondance');
  await app.page.click('[data-testid=relire]');
  assert.match(await app.counts(), /^12 lignes lues = 12 retenues/);
});

test('rejects are listed with line, column and reason, and can be downloaded', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'flux-'));
  const file = join(dir, 'rejets.csv');
  writeFileSync(file, readFileSync(`${FIX}/canonique.csv`, 'utf8') + 'R013;Habitat Est;;T2;PLUS;non;;;;;\n');
  await app.upload(file);
  assert.match(await app.counts(), /^13 lignes lues = 12 retenues \+ 1 rejetées/);
  const row = await app.page.getByTestId('rejets').locator('tbody tr').first().textContent();
  assert.match(row, /^14commune/);
  const [download] = await Promise.all([
    app.page.waitForEvent('download'),
    app.page.click('[data-testid=telecharger-rejets]'),
  ]);
  const text = readFileSync(await download.path(), 'utf8');
  assert.ok(text.startsWith('\ufeffligne;colonne;motif'), text.slice(0, 40));
  assert.match(text, /\n14;commune;/);
  await app.screenshot('donnees-rejets');
});

test('parameters JSON is exported and the URL shares parameters, never data', async () => {
  await app.open('parametres');
  const [download] = await Promise.all([
    app.page.waitForEvent('download'),
    app.page.click('[data-testid=exporter-parametres]'),
  ]);
  const json = JSON.parse(readFileSync(await download.path(), 'utf8'));
  assert.equal(json.rotation.taux_unique, 0.063);
  assert.equal(json.etat.part_totale, 0.3);
  const url = app.page.url();
  assert.doesNotMatch(url, /R00\d|Habitat/);
  // A fresh page opened from that link gets the same parameters.
  await app.page.fill('#taux-unique', '7,5'.replace(',', '.'));
  await app.page.press('#taux-unique', 'Tab');
  const link = app.page.url();
  const other = await app.page.context().newPage();
  await other.goto(link);
  await other.locator('#taux-unique').waitFor();
  assert.equal(await other.inputValue('#taux-unique'), '7.5');
  await other.close();
  await app.page.click('[data-testid=reinitialiser]');
});

test('every page is reachable with the keyboard alone', async () => {
  await app.page.goto(app.url);
  await app.counts();
  // The first Tab reaches the skip link (« Aller au contenu »); Enter moves the focus to the content.
  await app.page.keyboard.press('Tab');
  assert.equal(await app.page.evaluate(() => document.activeElement.textContent.trim()), 'Aller au contenu');
  await app.page.keyboard.press('Enter');
  const pages = ['Données', 'Paramètres', 'Assiette', 'Conversion et parts', 'Étalement', 'Vue communale', 'Scénarios', 'Rapport et exports'];
  for (const title of pages) {
    // After a page change the focus is on the main content, just after the navigation:
    // Shift+Tab walks back through the navigation links until the wanted one, then Enter.
    for (let i = 0; i < 12; i++) {
      await app.page.keyboard.press('Shift+Tab');
      const focused = await app.page.evaluate(() => document.activeElement?.textContent?.trim());
      if (focused === title) break;
    }
    await app.page.keyboard.press('Enter');
    const current = await app.page.locator('nav [aria-current=page]').textContent();
    assert.equal(current.trim(), title);
  }
  await app.screenshot('etalement');
  assert.deepEqual(app.externalRequests(), []);
});
