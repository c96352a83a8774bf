// Large états des lieux in the browser: progress while a generated 200 000-row file is read, the
// right totals at the end, cancel keeps the previous data, and a file over the limit gets a clear
// French message instead of a crashed tab.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openApp } from './app.mjs';

const DIR = '/tmp/gestion-flux-e2e';
const fr = (n) => n.toLocaleString('fr-FR');
let app;
let gros;
before(async () => {
  mkdirSync(DIR, { recursive: true });
  gros = join(DIR, 'idf-200000.csv');
  if (!existsSync(gros)) {
    execFileSync('target/release/flux', ['generer', '--logements', '200000', '--bailleurs', '20', '--graine', '7', '--sortie', gros]);
  }
  app = await openApp();
  await app.goto();
  await app.counts();
});
after(async () => { await app?.close(); });

/** Records every text the progress detail shows, from now on. */
async function watchProgress() {
  await app.page.evaluate(() => {
    window.__progres = [];
    new MutationObserver(() => {
      const d = document.querySelector('[data-testid=chargement-detail]');
      if (d && window.__progres.at(-1) !== d.textContent) window.__progres.push(d.textContent);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}

test('a 200 000-row file shows its progress, then the totals of the engine', async () => {
  await watchProgress();
  await app.upload(gros);
  const counts = await app.counts();
  assert.ok(counts.startsWith(`${fr(200000)} lignes lues = `), counts);
  const progres = await app.page.evaluate(() => window.__progres);
  assert.ok(progres.length >= 2, `progress updates: ${JSON.stringify(progres)}`);
  assert.ok(progres.some((p) => /lignes lues/.test(p)), JSON.stringify(progres));
  // Totals equal the command line's on the same file.
  const out = join(DIR, 'out-200000');
  execFileSync('target/release/flux', [gros, '--sortie', out]);
  const ref = JSON.parse(readFileSync(join(out, 'synthese.json'), 'utf8'));
  assert.ok(counts.startsWith(`${fr(200000)} lignes lues = ${fr(ref.lignes_retenues)} retenues`), counts);
  await app.open('assiette');
  const logements = (await app.page.getByTestId('total-logements').textContent()).replace(/\s|\u202f/g, '');
  assert.equal(Number(logements), ref.perimetres.reduce((n, p) => n + p.logements, 0));
});

test('cancel in the middle of a reading keeps the previous data', async () => {
  await app.open('donnees');
  const before = await app.page.getByTestId('source').textContent();
  const bigger = join(DIR, 'idf-1000000.csv');
  if (!existsSync(bigger)) {
    execFileSync('target/release/flux', ['generer', '--logements', '1000000', '--bailleurs', '100', '--graine', '8', '--sortie', bigger]);
  }
  await app.page.setInputFiles('#fichier', bigger);
  await app.page.getByTestId('chargement').waitFor();
  await app.screenshot('chargement');
  await app.page.getByTestId('annuler').click();
  await app.page.getByTestId('chargement').waitFor({ state: 'detached' });
  await app.page.waitForTimeout(300);
  assert.equal(await app.page.getByTestId('source').textContent(), before);
  assert.ok((await app.counts()).startsWith(`${fr(200000)} lignes lues`));
});

test('a file over the size limit gets a French message, and the tab lives on', async () => {
  const huge = join(DIR, 'trop-gros.csv');
  execFileSync('truncate', ['-s', '600M', huge]); // sparse: no disk used
  await app.page.setInputFiles('#fichier', huge);
  const message = await app.page.getByTestId('depot-erreur').textContent();
  assert.match(message, /fait 600 Mo : au-delà de 500 Mo, le navigateur ne peut pas le traiter/);
  assert.ok((await app.counts()).startsWith(`${fr(200000)} lignes lues`));
  await app.screenshot('trop-gros');
});
