// Workbooks: the downloadable template read back, an XLSX with several sheets (sheet choice after
// a failure on the first one), and an ODS file — all through the real file picker.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { appTest } from './app.mjs';
import { flux, tempDir } from './cli.mjs';

const CORPUS = 'tests/import_corpus';

appTest('the XLSX template downloads, and reads back with its example rows', async (app) => {
  await app.goto({ page: 'donnees' });
  const { name, bytes } = await app.download('modele-xlsx');
  assert.equal(name, 'modele-etat-des-lieux.xlsx');
  assert.equal(bytes.subarray(0, 2).toString(), 'PK');
  const file = join(tempDir(), 'modele.xlsx');
  writeFileSync(file, bytes);
  await app.upload(file);
  const counts = await app.counts();
  // The same file through the command line gives the same counts.
  const ref = flux(file, await app.params()).synthese;
  assert.ok(counts.startsWith(`${ref.lignes_lues} lignes lues = ${ref.lignes_retenues} retenues + ${ref.lignes_rejetees} rejetées`), counts);
  await app.expectText(app.page.getByTestId('lecture-ok'), /Classeur XLSX : feuille « Etat des lieux »/);
});

appTest('the CSV template downloads with the canonical headers', async (app) => {
  await app.goto({ page: 'donnees' });
  const { name, text } = await app.download('modele-csv');
  assert.equal(name, 'modele-etat-des-lieux.csv');
  assert.ok(text.startsWith('\ufeffrpls;bailleur;commune;typologie;financement;qpv;'), text.slice(0, 80));
});

appTest('a workbook whose first sheet is not the état des lieux: pick the sheet', async (app) => {
  await app.goto();
  await app.upload(`${CORPUS}/plusieurs_feuilles.xlsx`);
  await app.page.getByTestId('lecture-echec').waitFor();
  await app.page.selectOption('#feuille', 'Parc');
  await app.expectText(app.comptes, /^2 lignes lues = 2 retenues \+ 0 rejetées/);
  await app.expectText(app.page.getByTestId('lecture-ok'), /feuille « Parc »/);
  await app.screenshot('classeur-feuilles');
});

appTest('an ODS file is read like the others', async (app) => {
  await app.goto();
  await app.upload(`${CORPUS}/classeur.ods`);
  const ref = flux(`${CORPUS}/classeur.ods`, await app.params()).synthese;
  assert.ok((await app.counts()).startsWith(`${ref.lignes_lues} lignes lues = ${ref.lignes_retenues} retenues`));
  await app.expectText(app.page.getByTestId('lecture-ok'), /Classeur ODS/);
});
