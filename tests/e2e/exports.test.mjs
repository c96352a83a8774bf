// Every export downloaded in the browser is the file the command line writes for the same input
// and parameters: one engine, two shells.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openApp } from './app.mjs';

const DEMO = 'public/demo/etat-des-lieux-demo.csv';
let app;
let cli;
before(async () => {
  app = await openApp();
  await app.goto();
  await app.counts();
  cli = mkdtempSync(join(tmpdir(), 'flux-'));
  execFileSync('target/release/flux', [DEMO, '--sortie', cli]);
  await app.open('rapport');
});
after(async () => { await app?.close(); });

async function download(testid) {
  const [d] = await Promise.all([app.page.waitForEvent('download'), app.page.click(`[data-testid=${testid}]`)]);
  return { name: d.suggestedFilename(), text: readFileSync(await d.path(), 'utf8') };
}

test('étalement.csv is byte-identical to the command line\'s', async () => {
  const { name, text } = await download('export-etalement');
  assert.equal(name, 'etalement.csv');
  assert.equal(text, readFileSync(join(cli, 'etalement.csv'), 'utf8'));
});

test('the publishable communal view is byte-identical to communes.csv', async () => {
  const { text } = await download('export-communes');
  assert.equal(text, readFileSync(join(cli, 'communes.csv'), 'utf8'));
});

test('synthese.json has the same numbers as the command line\'s', async () => {
  const { text } = await download('export-synthese');
  const web = JSON.parse(text);
  const ref = JSON.parse(readFileSync(join(cli, 'synthese.json'), 'utf8'));
  assert.deepEqual(web.perimetres, ref.perimetres);
  assert.equal(web.lignes_lues, ref.lignes_lues);
  assert.equal(web.lignes_rejetees, ref.lignes_rejetees);
});

test('the conventions table has one row per party, French conventions', async () => {
  const { text } = await download('export-conventions');
  const ref = JSON.parse(readFileSync(join(cli, 'synthese.json'), 'utf8'));
  const rows = text.trimEnd().split('\n');
  assert.ok(rows[0].startsWith('\ufeffbailleur;departement;flux_annuel;assiette;reservataire'));
  assert.equal(rows.length - 1, ref.perimetres.reduce((n, p) => n + p.parts.length, 0));
  assert.match(rows[1], /;\d+,\d+;/, 'decimal comma');
});

test('the XLSX workbook is written by the worker and downloads (content checked natively with calamine)', async () => {
  const [d] = await Promise.all([app.page.waitForEvent('download'), app.page.click('[data-testid=export-xlsx]')]);
  assert.equal(d.suggestedFilename(), 'resultats-gestion-flux.xlsx');
  const bytes = readFileSync(await d.path());
  assert.equal(bytes.subarray(0, 2).toString(), 'PK');
  assert.ok(bytes.length > 10_000);
  // Six sheets (Paramètres … Départements); zip entry names are stored in clear.
  const text = bytes.toString('latin1');
  assert.ok(text.includes('xl/workbook.xml') && text.includes('xl/worksheets/sheet6.xml'));
  assert.ok(app.requests.some((u) => u.endsWith('/classeur_bg.wasm')), 'the XLSX worker was loaded');
  assert.ok(!app.requests.slice(0, 5).some((u) => u.includes('classeur')), 'not at page load');
  await app.screenshot('exports');
});
