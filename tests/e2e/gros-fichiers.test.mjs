// Large états des lieux in the browser: progress while a generated 200 000-row file is read, the
// right totals at the end, cancel keeps the previous data, and a file over the limit gets a clear
// French message instead of a crashed tab.
import assert from 'node:assert/strict';
import { appTest, DEMO_NOM, eventually, fr, num, squash } from './app.mjs';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { DIR_GENERES as DIR, flux, generated } from './cli.mjs';

/** Records every text the progress detail shows, from now on. */
async function watchProgress(app) {
  await app.page.evaluate(() => {
    window.__progres = [];
    new MutationObserver(() => {
      const d = document.querySelector('[data-testid=chargement-detail]');
      if (d && window.__progres.at(-1) !== d.textContent) window.__progres.push(d.textContent);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
}

/** Lets the page run its pending tasks: a few macrotask hops and a frame (no fixed delay). */
async function settle(app) {
  await app.page.evaluate(async () => {
    for (let i = 0; i < 5; i++) await new Promise((ok) => setTimeout(ok, 0));
    await new Promise((ok) => requestAnimationFrame(() => ok()));
  });
}

appTest('a 200 000-row file shows its progress, then the totals of the engine', { timeout: 120_000 }, async (app) => {
  const gros = generated(200_000, 20, 7);
  await app.goto();
  await watchProgress(app);
  await app.upload(gros, { timeout: 60_000 });
  const counts = await app.counts();
  const n = squash(fr(200000));
  assert.ok(counts.startsWith(`${n} lignes lues = `), counts);
  const progres = await app.page.evaluate(() => window.__progres);
  assert.ok(progres.length >= 2, `progress updates: ${JSON.stringify(progres)}`);
  assert.ok(progres.some((p) => /lignes lues/.test(p)), JSON.stringify(progres));
  // Totals equal the command line's on the same file.
  const ref = flux(gros, await app.params()).synthese;
  assert.ok(counts.startsWith(`${n} lignes lues = ${squash(fr(ref.lignes_retenues))} retenues`), counts);
  await app.open('assiette');
  await eventually(async () => assert.equal(num(await app.page.getByTestId('total-logements').textContent()),
    ref.perimetres.reduce((s, p) => s + p.logements, 0)));
});

appTest('cancel in the middle of a reading keeps the previous data', { timeout: 120_000 }, async (app) => {
  const bigger = generated(1_000_000, 100, 8);
  await app.goto({ page: 'donnees' });
  const before = squash(await app.source.textContent());
  assert.match(before, new RegExp(DEMO_NOM));
  const demoCounts = await app.counts();
  await app.page.setInputFiles('#fichier', bigger);
  await app.page.getByTestId('chargement').waitFor();
  await app.screenshot('chargement');
  await app.page.getByTestId('annuler').click();
  await app.page.getByTestId('chargement').waitFor({ state: 'detached' });
  await settle(app); // a chunk still running when « Annuler » was clicked must not install its data
  await app.expectText(app.source, before);
  assert.equal(await app.counts(), demoCounts);
});

appTest('a file over the size limit gets a French message, and the tab lives on', async (app) => {
  const huge = join(DIR, 'trop-gros.csv');
  mkdirSync(DIR, { recursive: true });
  execFileSync('truncate', ['-s', '600M', huge]); // sparse: no disk used
  await app.goto({ page: 'donnees' });
  const demoCounts = await app.counts();
  await app.page.setInputFiles('#fichier', huge);
  await app.expectText(app.page.getByTestId('depot-erreur'), /fait 600 Mo : au-delà de 500 Mo, le navigateur ne peut pas le traiter/);
  assert.equal(await app.counts(), demoCounts);
  await app.screenshot('trop-gros');
});
