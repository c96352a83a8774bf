// The publication page (SPEC §9): the command line's `publication.html` read as the DRIHL site
// would serve it — no script, same numbers as the communal CSVs, valid, accessible.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { casesMasquees, communesMasquees, flux, tempDir } from './cli.mjs';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, DEMO, SCREENSHOTS, appTest, eventually, fr } from './app.mjs';
import { verifierPublication } from './publication.mjs';

let navigateur;
after(async () => { if (navigateur) await navigateur.close(); });

test('flux writes a self-contained publication page with the communal view under secrecy', async () => {
  const sortie = flux(DEMO, { date_conversion: '2026-01-01' });
  const html = sortie.text('publication.html');
  assert.doesNotMatch(html, /<script|<link|<img|<iframe|src=|url\((?!#)/i, 'nothing loaded from elsewhere');
  assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'sha256-/);
  assert.match(html, /Conversion des réservations au 01\/01\/2026/);
  navigateur = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const { page, context } = await verifierPublication(navigateur, join(sortie.dir, 'publication.html'), sortie.csv);
  assert.ok(sortie.csv('communes.csv').some((l) => Object.values(l).includes('s')), 'the demo has masked cells');
  await page.screenshot({ path: `${SCREENSHOTS}/publication-cli.png`, fullPage: false });
  await context.close();
});

// ---------------------------------------------------------------------------------------------
// The app: « Publier » and the consultation mode

const PARAMETRES = { date_conversion: '2026-01-01' };

appTest('« Publier » downloads the page the command line writes: same tables, no script, valid, accessible', async (app) => {
  await app.goto({ page: 'communes', parametres: PARAMETRES });
  await app.page.getByTestId('publier').waitFor();
  // The map shown on the page is loaded: « Publier » puts it into the page.
  await app.page.locator('[data-testid=carte-vue] [data-testid=carte] svg').waitFor();
  const { name, bytes } = await app.download('publier');
  assert.equal(name, 'publication-vue-communale.html');
  const fichier = join(tempDir('publication-'), name);
  writeFileSync(fichier, bytes);
  const cli = flux(DEMO, PARAMETRES);
  const carte = (html) => html.match(/<figure class="carte">[\s\S]*?<\/figure>/)?.[0];
  assert.ok(carte(cli.text('publication.html')), 'the command line\'s page has the map');
  assert.equal(carte(bytes.toString('utf8')), carte(cli.text('publication.html')), 'the same map as the command line\'s (logements)');
  const { page, context } = await verifierPublication(app.context.browser(), fichier, cli.csv);
  await page.screenshot({ path: `${SCREENSHOTS}/publication-app.png`, fullPage: false });
  await context.close();
  // A reserved column published: its map hatched exactly where communes.csv masks it.
  await app.page.selectOption('#colonne-carte', 'Logements réservés : Commune');
  await eventually(async () => assert.match(await app.page.locator('[data-testid=carte-vue] svg title').first().textContent(), /Logements réservés : Commune$/));
  const reservee = (await app.download('publier')).text;
  const hachurees = [...reservee.matchAll(/<path d="[^"]*" fill="url\(#carte-publiee-secret\)" data-code="(\w+)"/g)].map((m) => m[1]).sort();
  const secretes = communesMasquees(cli);
  assert.ok(secretes.length > 0);
  assert.deepEqual(hachurees, secretes, 'the published map hatches what communes.csv masks');
  assert.match(reservee, /Carte des communes : Logements réservés : Commune/);
  const json = await app.download('publier-json');
  assert.equal(json.name, 'vue_communale.json');
  assert.equal(json.text, cli.text('vue_communale.json'), 'the JSON twin is the command line\'s');
});

appTest('consultation mode opens the published CSVs: their « s » cells, read-only, and can be left', async (app) => {
  const cli = flux(DEMO, PARAMETRES);
  await app.goto({ page: 'donnees', parametres: PARAMETRES });
  await app.page.setInputFiles('#ouvrir-publiee', ['communes.csv', 'epci.csv', 'departements.csv'].map((f) => join(cli.dir, f)));
  await app.page.locator('nav a[data-page=communes][aria-current=page]').waitFor();
  const masquees = casesMasquees(cli);
  await app.expectText(app.page.getByTestId('consultation-vue'), new RegExp(`${String(masquees).split('').join('[\\s\\u202f\\u00a0]?')} cases couvertes par le secret statistique`));
  assert.equal(await app.page.locator('#publication').isVisible(), false, 'no way to unmask a published view');
  assert.equal(await app.page.getByTestId('publier').count(), 0);
  // Every commune's row on the first page: its « s » cells are the published ones.
  const communes = new Map(cli.csv('communes.csv').map((l) => [l.commune, l]));
  const lignes = await app.page.$$eval('table tbody tr', (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent.trim())));
  assert.ok(lignes.length > 0);
  await app.screenshot('consultation');
  // The map of the published view, its secret hatched exactly where the file says « s ».
  await app.page.selectOption('#colonne-carte', 'Logements réservés : Commune');
  const carte = app.page.locator('[data-testid=carte-vue]');
  await eventually(async () => assert.match(await carte.locator('svg title').first().textContent(), /Logements réservés : Commune$/));
  const hachurees = await carte.locator('path[fill="url(#carte-vue-secret)"]').evaluateAll((ps) => ps.map((p) => p.dataset.code).sort());
  const secretes = communesMasquees(cli);
  assert.ok(secretes.length > 0);
  assert.deepEqual(hachurees, secretes, 'hatched where communes.csv says « s »');
  // Pages that need the detail say so, rather than show the demo still loaded behind the view.
  for (const page of ['assiette', 'parts', 'etalement', 'suivi', 'orienter', 'scenarios', 'rapport']) {
    await app.open(page);
    await app.page.getByTestId('consultation-sans-detail').waitFor();
  }
  await app.open('donnees');
  await app.page.getByTestId('quitter-consultation').click();
  await app.open('communes');
  await app.page.getByTestId('publier').waitFor();
  assert.ok(communes.size > 0);
  // Left: the état des lieux loaded before is back on every page.
  await app.open('assiette');
  await app.page.locator('table').first().waitFor();
  assert.equal(await app.page.getByTestId('consultation-sans-detail').count(), 0);
});

appTest('consultation mode opens the results workbook (XLSX) exported by the app: the same « s » cells', async (app) => {
  const cli = flux(DEMO, PARAMETRES);
  await app.goto({ page: 'rapport', parametres: PARAMETRES });
  const { name, bytes } = await app.download('export-xlsx');
  const fichier = join(tempDir('classeur-'), name);
  writeFileSync(fichier, bytes);
  await app.open('donnees');
  await app.page.setInputFiles('#ouvrir-publiee', fichier);
  await app.page.locator('nav a[data-page=communes][aria-current=page]').waitFor();
  const masquees = casesMasquees(cli);
  await app.expectText(app.page.getByTestId('consultation-vue'), new RegExp(`${String(masquees).split('').join('[\\s\\u202f\\u00a0]?')} cases couvertes par le secret statistique`));
  await app.expectText(app.page.getByTestId('consultation-vue'), /resultats-gestion-flux\.xlsx › Vue communale/);
});

appTest('a foreign file in consultation gets a French message and the session stays', async (app) => {
  await app.goto({ page: 'donnees', parametres: PARAMETRES });
  await app.page.setInputFiles('#ouvrir-publiee', DEMO);
  await app.expectText(app.page.getByTestId('consultation-erreur'), /n'est pas une vue communale publiée.*La session actuelle est conservée/);
  await app.waitForSource('etat-des-lieux-demo.csv');
});
