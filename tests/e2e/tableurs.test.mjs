// Workbooks: the downloadable template read back, an XLSX with several sheets (sheet choice after
// a failure on the first one), and an ODS file — all through the real file picker.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openApp } from './app.mjs';

const CORPUS = 'tests/import_corpus';
let app;
before(async () => { app = await openApp(); await app.goto(); await app.counts(); });
after(async () => { await app?.close(); });

test('the XLSX template downloads, and reads back with its example rows', async () => {
  await app.open('donnees');
  const [download] = await Promise.all([app.page.waitForEvent('download'), app.page.click('[data-testid=modele-xlsx]')]);
  assert.equal(download.suggestedFilename(), 'modele-etat-des-lieux.xlsx');
  const dir = mkdtempSync(join(tmpdir(), 'flux-'));
  const file = join(dir, 'modele.xlsx');
  writeFileSync(file, readFileSync(await download.path()));
  assert.equal(readFileSync(file).subarray(0, 2).toString(), 'PK');
  await app.upload(file);
  const counts = await app.counts();
  // The same file through the command line gives the same counts.
  execFileSync('target/release/flux', [file, '--sortie', dir]);
  const ref = JSON.parse(readFileSync(join(dir, 'synthese.json'), 'utf8'));
  assert.ok(counts.startsWith(`${ref.lignes_lues} lignes lues = ${ref.lignes_retenues} retenues + ${ref.lignes_rejetees} rejetées`), counts);
  assert.match(await app.page.getByTestId('lecture-ok').textContent(), /Classeur XLSX : feuille « Etat des lieux »/);
});

test('the CSV template downloads with the canonical headers', async () => {
  const [download] = await Promise.all([app.page.waitForEvent('download'), app.page.click('[data-testid=modele-csv]')]);
  const text = readFileSync(await download.path(), 'utf8');
  assert.ok(text.startsWith('\ufeffrpls;bailleur;commune;typologie;financement;qpv;'), text.slice(0, 80));
});

test('a workbook whose first sheet is not the état des lieux: pick the sheet', async () => {
  await app.upload(`${CORPUS}/plusieurs_feuilles.xlsx`);
  await app.page.getByTestId('lecture-echec').waitFor();
  await app.page.selectOption('#feuille', 'Parc');
  assert.match(await app.counts(), /^2 lignes lues = 2 retenues \+ 0 rejetées/);
  assert.match(await app.page.getByTestId('lecture-ok').textContent(), /feuille « Parc »/);
  await app.screenshot('classeur-feuilles');
});

test('an ODS file is read like the others', async () => {
  await app.upload(`${CORPUS}/classeur.ods`);
  const dir = mkdtempSync(join(tmpdir(), 'flux-'));
  execFileSync('target/release/flux', [`${CORPUS}/classeur.ods`, '--sortie', dir]);
  const ref = JSON.parse(readFileSync(join(dir, 'synthese.json'), 'utf8'));
  assert.ok((await app.counts()).startsWith(`${ref.lignes_lues} lignes lues = ${ref.lignes_retenues} retenues`));
  assert.match(await app.page.getByTestId('lecture-ok').textContent(), /Classeur ODS/);
});
