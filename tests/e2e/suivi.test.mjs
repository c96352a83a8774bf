// « Suivi de l'année » (SPEC §7): the mouvements of a year counted against each party's flux, in
// the browser, compared with `flux suivi` run on the same files and parameters (read from the
// page's URL): the per-party table against suivi.csv under each counting mode (global and per
// convention), the exports (suivi.csv and objectifs_n1.csv byte for byte, the bilan workbooks cell
// for cell), the rejects of a bad mouvements file, and the dossier saved then opened in a fresh
// browser profile.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { appTest, DEMO, DEMO_NOM, eventually, num, readXlsx, squash } from './app.mjs';
import { csvNum, fluxSuivi, tempDir } from './cli.mjs';

const MOUVEMENTS_DEMO = 'public/demo/mouvements-demo.csv';
const MOUVEMENTS_NOM = 'mouvements-demo.csv';
const DEMO_LU = '270 lignes lues = 270 retenues + 0 rejetées ; 0 avertissement(s).';

/** Opens « Suivi de l'année » on the demo and waits until its year of mouvements is read. */
async function openSuivi(app, options = {}) {
  await app.goto({ page: 'suivi', ...options });
  await waitDemoMouvements(app.page);
}

async function waitDemoMouvements(page) {
  const card = page.locator(`[data-testid=mouvements-fichier][data-nom="${MOUVEMENTS_NOM}"] [data-testid=mouvements-comptes]`);
  await eventually(async () => assert.equal(squash(await card.textContent({ timeout: 1000 })), DEMO_LU), { timeout: 30_000 });
  await page.getByTestId('suivi-parties').waitFor({ timeout: 30_000 });
}

/** The conventions of the selector: `[{ bailleur, departement }]` in the engine's order. */
async function conventions(page) {
  const labels = await page.locator('#perimetre option').allTextContents();
  return labels.map((l) => {
    const m = l.match(/^(.*) — département (\w+)$/);
    return { bailleur: m[1], departement: m[2] };
  });
}

/** The per-party table of the Suivi page: one object per row, keyed like suivi.csv. */
async function partyRows(page) {
  return page.locator('[data-testid=suivi-parties] tbody tr[data-partie]').evaluateAll((rows) => rows.map((r) => {
    const cell = (c) => r.querySelector(`[data-col=${c}]`).textContent.replace(/[\s\u202f\u00a0]+/g, ' ').trim();
    return {
      reservataire: r.dataset.partie, categorie: r.dataset.categorie, objectif: cell('objectif'), decomptes: cell('decomptes'),
      en_attente: cell('en_attente'), ecart: cell('ecart'), volume_restant: cell('volume_restant').split(' dépassé')[0],
    };
  }));
}

/**
 * Retries until the table of convention `i` (already chosen) equals the rows of suivi.csv for its
 * bailleur, département and `annee`: whole objectives and gaps (cumul rounding), counts, remaining
 * volume to the tenth shown.
 */
async function expectTableEqualsCsv(page, cli, conv, annee) {
  const expected = cli.csv('suivi.csv').filter((r) => r.bailleur === conv.bailleur && r.departement === conv.departement && Number(r.annee) === annee);
  assert.ok(expected.length > 0, `suivi.csv has rows for ${conv.bailleur} (${conv.departement})`);
  await eventually(async () => {
    const rows = await partyRows(page);
    assert.deepEqual(rows.map((r) => [r.reservataire, r.categorie]), expected.map((r) => [r.reservataire, r.categorie]), 'parties');
    rows.forEach((row, k) => {
      const e = expected[k];
      const what = `${e.reservataire} (${conv.bailleur}, ${conv.departement}, ${annee})`;
      assert.equal(num(row.objectif), csvNum(e.objectif), `objectif of ${what}`);
      assert.equal(Number(row.decomptes), Number(e.decomptes), `decomptes of ${what}`);
      assert.equal(Number(row.en_attente), Number(e.en_attente), `en_attente of ${what}`);
      assert.equal(num(row.ecart), csvNum(e.ecart), `ecart of ${what}`);
      if (e.volume_restant === '') assert.equal(row.volume_restant, '—', `no volume for ${what}`);
      else assert.ok(Math.abs(num(row.volume_restant) - csvNum(e.volume_restant)) <= 0.05 + 1e-9, `volume_restant of ${what}: page ${row.volume_restant}, CSV ${e.volume_restant}`);
    });
    const total = expected.reduce((n, r) => n + Number(r.decomptes), 0);
    assert.equal(Number(squash(await page.getByTestId('suivi-total-decomptes').textContent())), total, 'total counted');
    assert.equal(Number(squash(await page.getByTestId('suivi-decomptes').textContent())), total, 'summary figure');
  }, { message: `Suivi table of ${conv.bailleur} (${conv.departement})` });
  return expected;
}

/** Chooses convention `i` and waits for its table. */
async function choose(page, i, conv) {
  await page.locator('#perimetre').selectOption(String(i));
  await eventually(async () => assert.match(squash(await page.locator('[data-testid=suivi-parties] caption').textContent()), new RegExp(`— ${conv.bailleur} \\(${conv.departement}\\)$`)));
}

appTest('the demo opens with its year of mouvements; every convention\'s table equals flux suivi\'s suivi.csv', async (app) => {
  await openSuivi(app);
  const params = await app.params();
  assert.equal(params.suivi.decompte, 'mixte', 'default counting');
  const cli = fluxSuivi(DEMO, [MOUVEMENTS_DEMO], params);
  const annee = Number(params.date_conversion.slice(0, 4));
  assert.equal(await app.page.locator('#suivi-annee').inputValue(), String(annee), 'the demo year is the conversion year');
  const convs = await conventions(app.page);
  assert.ok(convs.length >= 2);
  for (const [i, conv] of convs.entries()) {
    await choose(app.page, i, conv);
    await expectTableEqualsCsv(app.page, cli, conv, annee);
  }
  await app.page.locator('#perimetre').selectOption('0');
  // The charts and the other tables of the year are there, each chart with its data.
  for (const id of ['graphique-objectifs', 'graphique-mois', 'suivi-communes', 'suivi-hors-flux', 'suivi-indicateurs', 'suivi-volumes']) {
    await app.page.getByTestId(id).first().waitFor();
  }
  await app.screenshot('suivi-demo');
});

appTest('switching the counting mode, for every convention then for one, follows flux suivi', async (app) => {
  await openSuivi(app);
  const convs = await conventions(app.page);
  const annee = Number((await app.params()).date_conversion.slice(0, 4));
  const mixte = fluxSuivi(DEMO, [MOUVEMENTS_DEMO], await app.params());
  // Global: « au bail signé » on Paramètres.
  await app.open('parametres');
  await app.page.getByTestId('parametres-suivi').scrollIntoViewIfNeeded();
  await app.check('suivi-decompte-1');
  let params = await app.paramsWhere((p) => p.suivi.decompte === 'bail', 'global counting');
  await app.page.getByTestId('parametres-suivi').screenshot({ path: 'target/screenshots/parametres-suivi.png' });
  await app.open('suivi');
  let cli = fluxSuivi(DEMO, [MOUVEMENTS_DEMO], params);
  assert.notEqual(cli.text('suivi.csv'), mixte.text('suivi.csv'), 'the counting mode changes the follow-up');
  for (const [i, conv] of convs.entries()) {
    await choose(app.page, i, conv);
    await expectTableEqualsCsv(app.page, cli, conv, annee);
  }
  // One convention: « à l'orientation » for the second one only.
  await choose(app.page, 1, convs[1]);
  await app.page.locator('#decompte-convention').selectOption('orientation');
  const cle = `${convs[1].bailleur}|${convs[1].departement}`;
  params = await app.paramsWhere((p) => p.suivi.decompte === 'bail' && p.suivi.decompte_par_perimetre[cle] === 'orientation', 'per-convention counting');
  cli = fluxSuivi(DEMO, [MOUVEMENTS_DEMO], params);
  await expectTableEqualsCsv(app.page, cli, convs[1], annee);
  await choose(app.page, 0, convs[0]);
  await expectTableEqualsCsv(app.page, cli, convs[0], annee);
  assert.equal(await app.page.locator('#decompte-convention').inputValue(), '', 'the first convention keeps the default');
  await choose(app.page, 1, convs[1]);
  assert.equal(await app.page.locator('#decompte-convention').inputValue(), 'orientation');
  // Back to the default.
  await app.page.locator('#decompte-convention').selectOption('');
  await app.paramsWhere((p) => !(cle in p.suivi.decompte_par_perimetre), 'override removed');
});

appTest('suivi.csv and objectifs_n1.csv are byte-identical to flux suivi\'s, the bilan workbooks have the same cells', async (app) => {
  await openSuivi(app);
  await app.page.locator('#decompte-convention').selectOption('bail');
  const params = await app.paramsWhere((p) => Object.keys(p.suivi.decompte_par_perimetre).length === 1);
  const cli = fluxSuivi(DEMO, [MOUVEMENTS_DEMO], params);
  const annee = Number(params.date_conversion.slice(0, 4));
  const suivi = await app.download('export-suivi-csv');
  assert.equal(suivi.name, 'suivi.csv');
  assert.ok(suivi.bytes.equals(cli.bytes('suivi.csv')), 'suivi.csv differs from the CLI\'s');
  const objectifs = await app.download('export-objectifs-n1');
  assert.equal(objectifs.name, 'objectifs_n1.csv');
  assert.ok(objectifs.bytes.equals(cli.bytes('objectifs_n1.csv')), 'objectifs_n1.csv differs from the CLI\'s');
  assert.ok(objectifs.text.includes(`;${annee + 1};`), 'objectives of the next year');
  const bilan = await app.download('export-bilan');
  assert.equal(bilan.name, `bilan-${annee}.xlsx`);
  const web = readXlsx(bilan.bytes);
  assert.deepEqual(Object.keys(web), [`Bilan ${annee}`, `Hors flux ${annee}`, `Prévision hors flux ${annee + 1}`, `Objectifs ${annee + 1}`]);
  assert.deepEqual(web, readXlsx(cli.bytes('bilan.xlsx')), 'consolidated bilan: same cells as bilan.xlsx');
  // One réservataire's workbook, chosen in the list.
  const options = await app.page.locator('#bilan-reservataire option').allTextContents();
  const k = options.findIndex((o) => o.startsWith('Ville de Cachan ('));
  assert.ok(k >= 0, `Ville de Cachan in ${options.length} réservataires`);
  await app.page.locator('#bilan-reservataire').selectOption(String(k));
  const un = await app.download('export-bilan-reservataire');
  assert.equal(un.name, `bilan-${annee}-ville-de-cachan-commune.xlsx`);
  const sien = readXlsx(un.bytes);
  assert.deepEqual(sien, readXlsx(cli.bytes(un.name)), 'the réservataire\'s bilan: same cells as the CLI\'s');
  assert.ok(sien[`Bilan ${annee}`].slice(1).every((r) => r[2] === 'Ville de Cachan'), 'only its own lines');
  await app.expectText(app.page.getByTestId('export-message'), `« ${un.name} » téléchargé.`);
  await app.page.getByTestId('export-bilan').scrollIntoViewIfNeeded();
  await app.screenshot('suivi-exports');
});

/** A mouvements file with one good row and three rejects (unknown rpls, lease before orientation, unknown issue). */
function badMouvements() {
  const rpls = readFileSync(DEMO, 'utf8').split('\n').slice(1, 4).map((l) => l.split(';')[0]);
  const file = join(tempDir('flux-mvt-'), 'mouvements-errones.csv');
  writeFileSync(file, [
    'rpls;date_orientation;reservataire;issue;date_bail',
    `${rpls[0]};15/03/2026;;bail_signe;20/03/2026`,
    'INCONNU-1;15/03/2026;;bail_signe;20/03/2026',
    `${rpls[1]};15/04/2026;;bail_signe;01/04/2026`,
    `${rpls[2]};15/05/2026;;louee;`,
  ].join('\n') + '\n');
  return file;
}

appTest('a bad mouvements file shows its rejects with line, column and reason, downloadable as the CLI writes them', async (app) => {
  await openSuivi(app);
  const file = badMouvements();
  await app.page.setInputFiles('#fichiers-mouvements', file);
  const card = app.page.locator('[data-testid=mouvements-fichier][data-nom="mouvements-errones.csv"]');
  await app.expectText(card.getByTestId('mouvements-comptes'), '4 lignes lues = 1 retenues + 3 rejetées ; 0 avertissement(s).');
  const t = await app.table(card.locator('[data-testid=mouvements-rejets] table'));
  assert.deepEqual(t.headers, ['Ligne', 'Colonne', 'Motif']);
  assert.deepEqual(t.rows.map((r) => [r[0], r[1]]), [['3', 'rpls'], ['4', 'date_bail'], ['5', 'issue']]);
  assert.match(t.rows[0][2], /INCONNU-1/);
  assert.match(t.rows[1][2], /antérieure à la date d'orientation/);
  assert.match(t.rows[2][2], /louee/);
  await card.getByTestId('mouvements-rejets').scrollIntoViewIfNeeded();
  await app.screenshot('suivi-rejets');
  const [d] = await Promise.all([app.page.waitForEvent('download'), card.getByTestId('telecharger-rejets-mouvements').click()]);
  assert.equal(d.suggestedFilename(), 'rejets-mouvements-errones.csv');
  const cli = fluxSuivi(DEMO, [file], await app.params());
  assert.ok(readFileSync(await d.path()).equals(cli.bytes('rejets.csv')), 'rejects differ from the CLI\'s rejets.csv');
  // The kept row joins the follow-up; removing the file takes it out again.
  await app.expectCount('[data-testid=mouvements-fichier]', 2);
  await card.getByTestId('retirer-mouvements').click();
  await app.expectCount('[data-testid=mouvements-fichier]', 1);
  // Removing the demo year too: nothing to follow.
  await app.page.getByTestId('retirer-mouvements').click();
  await app.page.getByTestId('suivi-vide').waitFor();
  await app.page.getByTestId('mouvements-aucun').waitFor();
});

appTest('a file without the required columns is mapped by hand, then read', async (app) => {
  await openSuivi(app);
  const rpls = readFileSync(DEMO, 'utf8').split('\n')[1].split(';')[0];
  const file = join(tempDir('flux-mvt-'), 'export-maison.csv');
  writeFileSync(file, `logement;jour;suite;date du bail\n${rpls};15/03/2026;bail_signe;20/03/2026\n`);
  await app.page.setInputFiles('#fichiers-mouvements', file);
  const card = app.page.locator('[data-testid=mouvements-fichier][data-nom="export-maison.csv"]');
  await app.expectText(card.getByTestId('mouvements-echec').locator('p'), /date_orientation/);
  await card.locator('#colonne-mouvements-1-date_orientation').selectOption({ label: 'jour' });
  await card.locator('#colonne-mouvements-1-issue').selectOption({ label: 'suite' });
  await card.getByTestId('relire-mouvements').click();
  await app.expectText(card.getByTestId('mouvements-comptes'), '1 lignes lues = 1 retenues + 0 rejetées ; 0 avertissement(s).');
});

/** What a user sees of the numbers: the Suivi table of every convention and the parts tables. */
async function numbersShown(page) {
  const nav = async (p) => {
    await page.click(`nav a[data-page=${p}]`);
    await page.locator(`nav a[data-page=${p}][aria-current=page]`).waitFor();
  };
  await nav('suivi');
  await page.getByTestId('suivi-parties').waitFor({ timeout: 30_000 });
  const n = await page.locator('#perimetre option').count();
  const suivi = [];
  const parts = [];
  for (let i = 0; i < n; i++) {
    await page.locator('#perimetre').selectOption(String(i));
    await page.waitForFunction((k) => document.querySelector('#perimetre').value === String(k), i);
    suivi.push(await page.locator('[data-testid=suivi-parties] table').innerText());
  }
  await nav('parts');
  for (let i = 0; i < n; i++) {
    await page.locator('#perimetre').selectOption(String(i));
    await page.waitForFunction((k) => document.querySelector('#perimetre').value === String(k), i);
    parts.push(await page.locator('[data-testid=parts] table').innerText());
  }
  return { suivi, parts };
}

appTest('a dossier saved and opened in a fresh browser profile shows the same numbers', async (app) => {
  await openSuivi(app);
  // Parameters away from the defaults: a rate, the counting of one convention, a second scenario.
  await app.page.locator('#decompte-convention').selectOption('orientation');
  await app.open('parametres');
  await app.setNumber('#taux-unique', '7');
  const params = await app.paramsWhere((p) => p.rotation.taux_unique === 0.07 && Object.keys(p.suivi.decompte_par_perimetre).length === 1);
  const avant = await numbersShown(app.page);
  await app.open('donnees');
  const saved = await app.download('enregistrer-dossier');
  assert.equal(saved.name, 'dossier-gestion-flux.zip');
  assert.equal(saved.bytes.subarray(0, 2).toString(), 'PK');
  await app.expectText(app.page.getByTestId('dossier-message'), /Dossier enregistré : « dossier-gestion-flux\.zip » \(état des lieux « etat-des-lieux-demo\.csv », 1 fichier\(s\) de mouvements/);
  const file = join(tempDir('flux-dossier-'), saved.name);
  writeFileSync(file, saved.bytes);

  // Another browser profile: fresh storage, default parameters, the demo loaded.
  const other = await app.openElsewhere(`${app.url}#donnees`);
  await other.getByTestId('comptes').waitFor({ timeout: 30_000 });
  const defaut = JSON.parse(new URL(other.url()).searchParams.get('parametres') ?? '{}');
  assert.notEqual(defaut.rotation?.taux_unique, 0.07, 'the fresh profile starts from the defaults');
  await other.setInputFiles('#ouvrir-dossier', file);
  await eventually(async () => assert.match(squash(await other.getByTestId('dossier-message').textContent({ timeout: 1000 })),
    /^Dossier « dossier-gestion-flux\.zip » ouvert \(état des lieux « etat-des-lieux-demo\.csv », 1 fichier\(s\) de mouvements, 1 scénario\(s\)\)\.$/));
  await other.getByTestId('dossier').screenshot({ path: 'target/screenshots/donnees-dossier.png' });
  await eventually(() => assert.deepEqual(JSON.parse(new URL(other.url()).searchParams.get('parametres')), params), { message: 'parameters restored' });
  const apres = await numbersShown(other);
  assert.deepEqual(apres.suivi, avant.suivi, 'Suivi de l\'année: same numbers');
  assert.deepEqual(apres.parts, avant.parts, 'Conversion et parts: same numbers');
});

appTest('a foreign file opened as a dossier gives a French message and keeps the session', async (app) => {
  await openSuivi(app);
  const before = await app.page.locator('[data-testid=suivi-parties] table').innerText();
  await app.open('donnees');
  await app.page.setInputFiles('#ouvrir-dossier', DEMO);
  await app.expectText(app.page.getByTestId('dossier-erreur'),
    `« ${DEMO_NOM} » n'a pas pu être ouvert : ce fichier n'est pas un dossier du calculateur (fichier « .zip » enregistré par « Enregistrer le dossier »). Les données et les paramètres actuels sont conservés.`);
  await app.screenshot('donnees-dossier-erreur');
  await app.waitForSource(DEMO_NOM);
  await app.open('suivi');
  await waitDemoMouvements(app.page);
  assert.equal(await app.page.locator('[data-testid=suivi-parties] table').innerText(), before);
});

appTest('« Suivi de l\'année » is reachable with the keyboard and its selectors are labelled', async (app) => {
  await openSuivi(app);
  for (const id of ['fichiers-mouvements', 'perimetre', 'suivi-annee', 'decompte-convention', 'suivi-rythme-partie', 'suivi-commune-partie', 'bilan-reservataire']) {
    assert.equal(await app.page.locator(`label[for="${id}"]`).count(), 1, `label of #${id}`);
  }
  // The year selector, then the convention's counting, by Tab.
  await app.page.focus('#suivi-annee');
  await app.page.keyboard.press('Tab');
  assert.equal(await app.page.evaluate(() => document.activeElement.id), 'decompte-convention');
  // Every table has a caption and column headers.
  const tables = app.page.locator('main table');
  const n = await tables.count();
  for (let i = 0; i < n; i++) {
    const t = tables.nth(i);
    assert.equal(await t.locator('caption').count(), 1, `caption of table ${i}`);
    assert.ok(await t.locator('th[scope=col]').count() > 0, `column headers of table ${i}`);
  }
});
