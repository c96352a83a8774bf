// Large états des lieux in the browser: progress while a generated 200 000-row file is read, the
// right totals at the end, cancel keeps the previous data, and a file over the limit gets a clear
// French message instead of a crashed tab. Files of 4 MB and more are read by the workers
// (src/bin/lecteur.rs): the same file read with `?lecteurs=1` (the page's own thread) and by the
// command line gives the same rejects and results.
import assert from 'node:assert/strict';
import { appTest, DEMO_NOM, eventually, fr, num, squash, unzip } from './app.mjs';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
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
  assert.equal(await parLesLecteurs(app), 1, 'read by the workers');
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
  assert.equal(await parLesLecteurs(app), 0, 'the workers\' parts were never joined');
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

appTest('the page warms its engine up once the demo is shown, and leaves the data alone', async (app) => {
  await app.goto({ page: 'donnees' });
  const demoCounts = await app.counts();
  const echauffements = () => app.page.evaluate(() => performance.getEntriesByName('flux:echauffement:fin').length);
  await eventually(async () => assert.equal(await echauffements(), 1));
  assert.equal(await app.counts(), demoCounts);
  await app.expectText(app.source, new RegExp(DEMO_NOM));
});

/** Whether the last reading went through the workers (performance mark of src/ui/chargement.rs). */
const parLesLecteurs = (app) => app.page.evaluate(() => performance.getEntriesByName('flux:lecteurs:assemble').length);

/**
 * The generated 200 000-row file made as messy as real exports: Windows-1252, CRLF, rows with an
 * impossible commune, duplicated identifiers, quoted names holding the separator (in some ranges
 * only).
 */
function desordonne() {
  const file = join(DIR, 'desordonne-200000.csv');
  if (existsSync(file)) return file;
  const lines = readFileSync(generated(200_000, 20, 7), 'utf8').split('\n');
  for (let i = 1; i < lines.length - 1; i++) {
    const c = lines[i].split(';');
    if (i % 10_007 === 0) c[2] = '9Z999';
    else if (i % 15_013 === 0) c[0] = lines[i - 1].split(';')[0];
    else if (i % 20_011 === 0 && c[10]) c[10] = `"${c[10]}; service"`;
    lines[i] = c.join(';');
  }
  writeFileSync(file, Buffer.from(lines.join('\r\n'), 'latin1'));
  return file;
}

/** What a reading shows and exports: counts, encoding line, rejects, warnings and two results. */
async function lecture(app) {
  const counts = await app.counts();
  const encodage = squash(await app.page.getByTestId('comptes').locator('xpath=following-sibling::p').textContent());
  const rejets = (await app.download('telecharger-rejets')).bytes;
  const avertissements = squash(await app.page.getByTestId('avertissements').textContent());
  await app.open('rapport');
  const etalement = (await app.download('export-etalement')).bytes;
  const communes = (await app.download('export-communes')).bytes;
  await app.open('donnees');
  return { counts, encodage, rejets, avertissements, etalement, communes };
}

appTest('read by the workers, a messy file gives what the page\'s own reading and the command line give', { timeout: 240_000 }, async (app) => {
  const file = desordonne();
  await app.goto();
  await app.upload(file, { timeout: 60_000 });
  assert.equal(await parLesLecteurs(app), 1, 'read by the workers');
  const workers = await lecture(app);
  assert.match(workers.counts, /^200 000 lignes lues = \d[\d ]* retenues \+ 1[89] rejetées/);
  assert.match(workers.encodage, /encodage Windows-1252/);
  const cli = flux(file, await app.params());
  assert.ok(workers.counts.endsWith(`; ${squash(fr(cli.csv('avertissements.csv').length))} avertissement(s).`), workers.counts);
  assert.ok(workers.rejets.equals(cli.bytes('rejets.csv')), 'rejets.csv differs from the CLI\'s');
  assert.ok(workers.etalement.equals(cli.bytes('etalement.csv')), 'etalement.csv differs from the CLI\'s');
  assert.ok(workers.communes.equals(cli.bytes('communes.csv')), 'communes.csv differs from the CLI\'s');

  await app.page.goto(`${app.url}?lecteurs=1#donnees`);
  await app.waitForSource(DEMO_NOM);
  await app.page.setInputFiles('#fichier', file);
  await app.waitForSource(basename(file), 60_000);
  assert.equal(await parLesLecteurs(app), 0, 'read on the page\'s thread');
  const page = await lecture(app);
  for (const k of Object.keys(workers)) {
    assert.ok(k === 'counts' || k === 'encodage' || k === 'avertissements' ? page[k] === workers[k] : page[k].equals(workers[k]), `${k} differs between both readings`);
  }
});

appTest('a file read by the workers is kept as a handle: read again with columns mapped by hand, saved in a dossier', { timeout: 180_000 }, async (app) => {
  const source = generated(200_000, 20, 7);
  const file = join(DIR, 'colonne-lieu-200000.csv');
  if (!existsSync(file)) writeFileSync(file, readFileSync(source, 'utf8').replace('commune;', 'lieu;'));
  await app.goto();
  await watchProgress(app);
  await app.upload(file, { timeout: 60_000 });
  await app.expectText(app.page.getByTestId('lecture-echec'), /commune/);
  await app.page.selectOption('#colonne-commune', { label: 'lieu' });
  await app.page.click('[data-testid=relire]');
  await app.expectText(app.comptes, new RegExp(`^${squash(fr(200000))} lignes lues = `), { timeout: 60_000 });
  assert.equal(await parLesLecteurs(app), 1, 'read again by the workers');
  assert.ok((await app.page.evaluate(() => window.__progres)).some((p) => /lignes lues/.test(p)), 'progress while read again');
  const counts = await app.counts();
  const { bytes } = await app.download('enregistrer-dossier');
  const gardes = [...unzip(bytes)].filter(([, b]) => b.equals(readFileSync(file))).map(([n]) => n);
  assert.deepEqual(gardes, ['fichiers/etat-des-lieux.csv'], 'the dossier holds the file as it was chosen');
  // Reopened, the dossier gives the same reading (its column mapping included).
  await app.page.setInputFiles('#ouvrir-dossier', { name: 'dossier.zip', mimeType: 'application/zip', buffer: bytes });
  await app.expectText(app.page.getByTestId('dossier-message'), /ouvert/);
  await app.expectText(app.comptes, counts);
});
