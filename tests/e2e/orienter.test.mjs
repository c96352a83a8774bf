// « Orienter un logement » (SPEC §8): the orientation aid in the browser, compared with
// `flux orienter` run on the same état des lieux, mouvements and parameters (read from the page's
// URL): one logement picked by its rpls, at the default date then at another, ranked as the
// command line ranks it (rank, party, eligibility, lag, reason); the aid without mouvements; a
// list of vacancies read with its rejects, its proposals downloaded byte for byte as
// orientations.csv, and as a workbook; the orientations awaiting a designation and attentes.csv.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { appTest, DEMO, eventually, num, readXlsx, squash } from './app.mjs';
import { csvNum, fluxOrienter, parseCsv, tempDir } from './cli.mjs';

const MOUVEMENTS_DEMO = 'public/demo/mouvements-demo.csv';
const PARAMETRES = { date_conversion: '2026-01-01' };

const demo = parseCsv(readFileSync(DEMO, 'utf8'));
const mouvements = parseCsv(readFileSync(MOUVEMENTS_DEMO, 'utf8'));
/** JJ/MM/AAAA → AAAA-MM-JJ. */
const iso = (d) => d.split('/').reverse().join('-');
/** The last orientation date of the demo mouvements (the page's default date). */
const derniere = mouvements.map((m) => iso(m.date_orientation)).sort().at(-1);

/** Writes a vacancies file (`rpls;date`) and returns its path. */
function vacancesFile(rows, nom = 'vacances.csv') {
  const file = join(tempDir('flux-vacances-'), nom);
  writeFileSync(file, `rpls;date\n${rows.map((r) => r.join(';')).join('\n')}\n`);
  return file;
}

/**
 * Opens « Orienter un logement » on the demo, conversion on 1 January 2026, and waits until the
 * demo mouvements count (the deadlines table shows their orientations awaiting a designation).
 */
async function openOrienter(app) {
  await app.goto({ page: 'orienter', parametres: PARAMETRES });
  await app.page.getByTestId('attentes').waitFor({ timeout: 30_000 });
  assert.equal(await app.page.getByTestId('orienter-sans-mouvements').count(), 0, 'the demo mouvements are loaded');
}

/** Searches `rpls` and picks it in the results. */
async function pick(page, rpls) {
  await page.fill('#orienter-recherche', rpls);
  const row = page.locator(`[data-testid=orienter-resultats] tr[data-rpls="${rpls}"]`);
  await row.waitFor();
  assert.match(squash(await row.textContent()), /identifiant RPLS/);
  await row.getByTestId('orienter-choisir').click();
  await eventually(async () => assert.match(squash(await page.locator('[data-testid=orienter-classement] caption').textContent()), new RegExp(`logement ${rpls} `)));
}

/** The ranking table: one object per row, keyed like orientations.csv. */
async function ranking(page) {
  return page.locator('[data-testid=orienter-classement] tbody tr').evaluateAll((rows) => rows.map((r) => {
    const cell = (c) => r.querySelector(`[data-col=${c}]`).textContent.replace(/[\s\u202f\u00a0]+/g, ' ').trim();
    return {
      rang: cell('rang'), partie: r.dataset.partie, categorie: r.dataset.categorie, eligible: cell('eligible'),
      retard: cell('retard'), raison: cell('raison'), proposee: r.classList.contains('orienter-proposee'),
    };
  }));
}

/** Retries until the ranking shown equals the rows of orientations.csv for `rpls`. */
async function expectRankingEqualsCsv(page, cli, rpls, date) {
  const expected = cli.csv('orientations.csv').filter((r) => r.rpls === rpls);
  assert.ok(expected.length > 1, `orientations.csv ranks the parties of ${rpls}`);
  assert.ok(expected.every((r) => r.date === date.split('-').reverse().join('/')), 'same date');
  await eventually(async () => {
    const rows = await ranking(page);
    assert.deepEqual(rows.map((r) => [r.rang, r.partie, r.categorie, r.eligible]), expected.map((r) => [r.rang, r.partie, r.categorie, r.eligible]), 'rank, party, eligibility');
    rows.forEach((row, k) => {
      assert.equal(num(row.retard), csvNum(expected[k].retard), `lag of ${row.partie}`);
      assert.equal(row.raison, squash(expected[k].raison), `reason of ${row.partie}`);
    });
    // The first eligible party is the proposal, highlighted.
    const first = expected.findIndex((r) => r.eligible === 'oui');
    assert.deepEqual(rows.map((r) => r.proposee), rows.map((_, k) => k === first), 'the proposal highlighted');
  }, { message: `ranking of ${rpls} at ${date}` });
  return expected;
}

appTest('one logement: its parties ranked with the reasons of flux orienter, at the default date and at another', async (app) => {
  await openOrienter(app);
  const params = await app.params();
  assert.equal(params.date_conversion, '2026-01-01');
  // The advisory notice: indicative, the bailleur decides, no programme identification.
  const avis = squash(await app.page.getByTestId('orienter-avis').textContent());
  for (const words of ['indicative', 'responsabilité du bailleur', 'identifier un programme à un réservataire', '30 jours']) {
    assert.ok(avis.includes(words), `notice says « ${words} »: ${avis}`);
  }
  // A logement whose ranking has eligible and ineligible parties (a commune réservataire off its
  // territory), found with the command line on a sample of the demo.
  const sample = demo.filter((_, k) => k % 40 === 7).map((l) => [l.rpls, '31/12/2026']);
  const ranked = fluxOrienter(DEMO, MOUVEMENTS_DEMO, vacancesFile(sample), params).csv('orientations.csv');
  const rpls = sample.map((s) => s[0]).find((r) => {
    const rows = ranked.filter((x) => x.rpls === r);
    return rows.some((x) => x.eligible === 'non') && rows.filter((x) => x.eligible === 'oui').length >= 2;
  });
  assert.ok(rpls, 'a logement with eligible and ineligible parties');

  await pick(app.page, rpls);
  // The default date: the last orientation of the mouvements.
  await app.expectValue('#orienter-date', derniere);
  let cli = fluxOrienter(DEMO, MOUVEMENTS_DEMO, vacancesFile([[rpls, derniere.split('-').reverse().join('/')]]), params);
  let expected = await expectRankingEqualsCsv(app.page, cli, rpls, derniere);
  const first = expected.find((r) => r.eligible === 'oui');
  await app.expectText(app.page.getByTestId('orienter-proposition'), new RegExp(`^Proposition : `));
  assert.ok(squash(await app.page.getByTestId('orienter-proposition').textContent()).length > 'Proposition : '.length, `proposal ${first.partie}`);
  await app.screenshot('orienter-un-logement');

  // Another date: ranked again, the deadlines at that date; attentes.csv as the command line's.
  await app.page.fill('#orienter-date', '2026-06-15');
  await app.page.press('#orienter-date', 'Tab');
  cli = fluxOrienter(DEMO, MOUVEMENTS_DEMO, vacancesFile([[rpls, '15/06/2026']]), params);
  expected = await expectRankingEqualsCsv(app.page, cli, rpls, '2026-06-15');
  const attentes = cli.csv('attentes.csv');
  assert.ok(attentes.length > 0, 'orientations awaiting a designation on 15/06/2026');
  await app.expectText(app.page.locator('[data-testid=attentes] caption'), new RegExp(`^${attentes.length} orientation\\(s\\) en attente de désignation, dont ${attentes.filter((a) => Number(a.jours_restants) < 0).length} hors délai$`));
  const rows = await app.table('[data-testid=attentes] table');
  assert.deepEqual(rows.rows.slice(0, attentes.length).map((r) => [r[0], r[3], r[4], num(r[5].replace(' hors délai', ''))]),
    attentes.slice(0, 50).map((a) => [a.rpls, a.date_orientation, a.echeance, Number(a.jours_restants)]), 'the deadlines, overdue first');
  const csv = await app.download('export-attentes-csv');
  assert.equal(csv.name, 'attentes.csv');
  assert.ok(csv.bytes.equals(cli.bytes('attentes.csv')), 'attentes.csv byte for byte');
  await app.page.getByTestId('orienter-attentes').scrollIntoViewIfNeeded();
  await app.screenshot('orienter-attentes');
});

appTest('without mouvements the aid ranks on the objectives alone, and says so', async (app) => {
  await openOrienter(app);
  const params = await app.params();
  // The demo mouvements removed on « Suivi de l'année ».
  await app.open('suivi');
  await app.page.getByTestId('retirer-mouvements').click();
  await app.page.getByTestId('mouvements-aucun').waitFor();
  await app.open('orienter');
  await app.page.getByTestId('orienter-sans-mouvements').waitFor();
  await app.page.getByTestId('attentes-aucune').waitFor();
  const rpls = demo[123].rpls;
  await pick(app.page, rpls);
  await app.page.fill('#orienter-date', '2026-03-31');
  await app.page.press('#orienter-date', 'Tab');
  const cli = fluxOrienter(DEMO, '-', vacancesFile([[rpls, '31/03/2026']]), params);
  const expected = await expectRankingEqualsCsv(app.page, cli, rpls, '2026-03-31');
  assert.ok(expected.every((r) => / décompté : 0 /.test(r.raison)), 'nothing counted');
  await app.screenshot('orienter-sans-mouvements');
});

appTest('the search finds logements by commune too, a short list with the total', async (app) => {
  await openOrienter(app);
  const commune = demo[0].commune;
  const total = new Set(demo.filter((l) => l.commune === commune || l.rpls.includes(commune)).map((l) => l.rpls)).size;
  await app.page.fill('#orienter-recherche', commune);
  await app.expectText(app.page.locator('[data-testid=orienter-resultats] caption'), total > 10
    ? `${total.toLocaleString('fr-FR')} logements trouvés, les 10 premiers (précisez la recherche)`.replace(/\u202f/g, ' ')
    : `${total} logement(s) trouvé(s)`);
  await app.page.fill('#orienter-recherche', 'zz-aucun');
  await app.page.getByTestId('orienter-aucun').waitFor();
});

appTest('a list of vacancies: read with its rejects, proposals paginated, orientations.csv and the workbook as flux orienter writes them', async (app) => {
  await openOrienter(app);
  const params = await app.params();
  // 120 vacancies of the demo over 2026, and three bad rows: an unknown logement, an unreadable
  // date, the same logement twice on the same day.
  const rows = demo.filter((_, k) => k % 33 === 5).slice(0, 120).map((l, k) => {
    const d = new Date(Date.UTC(2026, 0, 1 + Math.floor((k * 365) / 120)));
    return [l.rpls, `${String(d.getUTCDate()).padStart(2, '0')}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/2026`];
  });
  rows.splice(10, 0, ['INCONNU-1', '05/02/2026'], [rows[3][0], '31/02/2026'], [...rows[4]]);
  const file = vacancesFile(rows);
  const cli = fluxOrienter(DEMO, MOUVEMENTS_DEMO, file, params);
  const rejets = cli.csv('rejets.csv');
  assert.equal(rejets.length, 3);

  // The template first.
  const modele = await app.download('modele-vacances-csv');
  assert.equal(modele.name, 'modele-vacances.csv');
  assert.match(modele.text, /^\ufeffrpls;date\r\n/);

  await app.page.setInputFiles('#fichier-vacances', file);
  await app.expectText(app.page.getByTestId('vacances-comptes'), `${rows.length} lignes lues = ${rows.length - 3} retenues + 3 rejetées ; ${cli.csv('avertissements.csv').length} avertissement(s).`);
  const shown = await app.table('[data-testid=vacances-rejets] table');
  assert.deepEqual(shown.rows, rejets.map((r) => [r.ligne, r.colonne, squash(r.motif)]), 'rejects with line, column, reason');
  const [d] = await Promise.all([app.page.waitForEvent('download'), app.page.getByTestId('telecharger-rejets-vacances').click()]);
  assert.ok(readFileSync(await d.path()).equals(cli.bytes('rejets.csv')), 'rejects downloaded as rejets.csv');

  // The proposals, paginated (50 a page), in date order.
  await app.page.getByTestId('vacances-propositions').waitFor({ timeout: 30_000 });
  const orientations = cli.csv('orientations.csv');
  const proposals = orientations.filter((r) => r.rang === '1');
  await app.expectText(app.page.getByTestId('page-courante').first(), `1 / ${Math.ceil(proposals.length / 50)}`);
  const table = await app.table('[data-testid=vacances-propositions] table');
  assert.deepEqual(table.rows.map((r) => r[1]), proposals.slice(0, 50).map((r) => r.rpls), 'vacancies in date order');
  await app.screenshot('orienter-liste');

  const csv = await app.download('export-orientations-csv');
  assert.equal(csv.name, 'orientations.csv');
  assert.ok(csv.bytes.equals(cli.bytes('orientations.csv')), 'orientations.csv byte for byte');

  const xlsx = await app.download('export-orientations-xlsx');
  assert.equal(xlsx.name, 'orientations.xlsx');
  const sheets = readXlsx(xlsx.bytes);
  assert.deepEqual(Object.keys(sheets), ['Propositions', 'Orientations', 'Attentes']);
  assert.equal(sheets.Propositions.length - 1, proposals.length);
  assert.equal(sheets.Orientations.length - 1, orientations.length);
  assert.deepEqual(sheets.Orientations.slice(1).map((r) => [r[0], r[1], String(r[2]), r[3], r[5], r[7]]),
    orientations.map((r) => [r.rpls, r.date, r.rang, r.partie, r.eligible, r.raison]), 'every party ranked, as orientations.csv');
  assert.deepEqual(sheets.Attentes.slice(1).map((r) => r[0]), cli.csv('attentes.csv').map((r) => r.rpls), 'attentes at the last vacancy');
});
