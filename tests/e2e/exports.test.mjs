// Every export downloaded in the browser is the file the command line writes for the same input
// and parameters: one engine, two shells. Each test opens « Rapport et exports » in a fresh
// context; the CLI runs with the parameters read from the page's URL.
import assert from 'node:assert/strict';
import { appTest, DEMO } from './app.mjs';
import { flux, parseCsv, petitParc } from './cli.mjs';

/** Opens the report page on the demo, and the CLI's outputs for the same parameters. */
async function demo(app) {
  await app.goto({ page: 'rapport' });
  return flux(DEMO, await app.params());
}

appTest('etalement.csv is byte-identical to the command line\'s (v2 columns, calendar years)', async (app) => {
  const cli = await demo(app);
  const { name, bytes, text } = await app.download('export-etalement');
  assert.equal(name, 'etalement.csv');
  assert.ok(text.startsWith('\ufeffbailleur;departement;annee;reservataire;categorie;logements_offerts;volume_restant;logements_exacts\r\n'), text.slice(0, 120));
  assert.ok(bytes.equals(cli.bytes('etalement.csv')), 'etalement.csv differs from the CLI\'s');
  const first = parseCsv(text)[0];
  assert.equal(Number(first.annee), cli.synthese.premiere_annee);
});

appTest('objectifs.csv is byte-identical to the command line\'s', async (app) => {
  const cli = await demo(app);
  const { name, bytes, text } = await app.download('export-objectifs');
  assert.equal(name, 'objectifs.csv');
  assert.ok(text.startsWith('\ufeffbailleur;departement;reservataire;categorie;commune;logements_par_an\r\n'), text.slice(0, 80));
  assert.ok(bytes.equals(cli.bytes('objectifs.csv')), 'objectifs.csv differs from the CLI\'s');
  const rows = parseCsv(text);
  assert.ok(rows.some((r) => r.categorie === 'etat_prioritaires' && r.commune !== ''), 'État objectives per commune');
  assert.ok(rows.some((r) => r.categorie === 'action_logement' && r.commune === ''), 'Action Logement per département');
});

appTest('with other parameters (v1 rounding, a cohort of new logements) both CSV stay identical', async (app) => {
  const file = petitParc();
  const year = new Date().getFullYear();
  await app.goto({ page: 'parametres' });
  await app.upload(file);
  await app.importParams({
    date_conversion: `${year}-01-01`, arrondi: 'plus_forts_restes',
    mises_en_service: [{ annee: year + 1, logements: 40 }], etat: { part_totale: 0.25, part_agents: 0.05 },
  });
  const params = await app.paramsWhere((p) => p.arrondi === 'plus_forts_restes' && p.mises_en_service.length === 1);
  const cli = flux(file, params);
  await app.open('rapport');
  for (const [testid, name] of [['export-etalement', 'etalement.csv'], ['export-objectifs', 'objectifs.csv']]) {
    const d = await app.download(testid);
    assert.equal(d.name, name);
    assert.ok(d.bytes.equals(cli.bytes(name)), `${name} differs from the CLI's`);
  }
});

appTest('the publishable communal view is byte-identical to communes.csv', async (app) => {
  const cli = await demo(app);
  const { bytes } = await app.download('export-communes');
  assert.ok(bytes.equals(cli.bytes('communes.csv')), 'communes.csv differs from the CLI\'s');
});

appTest('synthese.json has the same numbers as the command line\'s', async (app) => {
  const cli = await demo(app);
  const web = JSON.parse((await app.download('export-synthese')).text);
  const ref = cli.synthese;
  assert.deepEqual(web.perimetres, ref.perimetres);
  assert.deepEqual(web.alertes, ref.alertes);
  assert.equal(web.premiere_annee, ref.premiere_annee);
  assert.equal(web.lignes_lues, ref.lignes_lues);
  assert.equal(web.lignes_rejetees, ref.lignes_rejetees);
});

appTest('the conventions table has one row per party, French conventions', async (app) => {
  const cli = await demo(app);
  const { text } = await app.download('export-conventions');
  const rows = text.trimEnd().split('\n');
  assert.ok(rows[0].startsWith('\ufeffbailleur;departement;flux_annuel;assiette;reservataire'), rows[0]);
  assert.equal(rows.length - 1, cli.synthese.perimetres.reduce((n, p) => n + p.parts.length, 0));
  assert.match(rows[1], /;\d+,\d+;/, 'decimal comma');
});

appTest('the XLSX workbook is written by the worker and downloads (content checked natively with calamine)', async (app) => {
  await app.goto({ page: 'rapport' });
  const atLoad = app.requests.length;
  const { name, bytes } = await app.download('export-xlsx');
  assert.equal(name, 'resultats-gestion-flux.xlsx');
  assert.equal(bytes.subarray(0, 2).toString(), 'PK');
  assert.ok(bytes.length > 10_000);
  // Eight sheets (Paramètres, Conventions, Étalement, Objectifs, Vue communale, EPCI-EPT,
  // Départements, Secret statistique); zip entry names are stored in clear.
  const text = bytes.toString('latin1');
  assert.ok(text.includes('xl/workbook.xml') && text.includes('xl/worksheets/sheet8.xml'), 'eight sheets');
  assert.ok(!text.includes('xl/worksheets/sheet9.xml'), 'not nine');
  assert.ok(app.requests.slice(atLoad).some((u) => u.endsWith('/classeur_bg.wasm')), 'the XLSX worker was loaded on demand');
  assert.ok(!app.requests.slice(0, atLoad).some((u) => u.includes('classeur')), 'not at page load');
  await app.screenshot('exports');
});
