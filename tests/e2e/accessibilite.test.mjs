// Accessibility of every page of the app (RGAA, through axe-core's WCAG 2.0/2.1 A and AA rules),
// on the demo with its year of mouvements, as a user opens them from the navigation; and the
// communes map of the « Vue communale »: drawn, keyboard-readable, the secret hatched.
import assert from 'node:assert/strict';
import { SCREENSHOTS, appTest, eventually, squash } from './app.mjs';
import { communesMasquees, flux, generated } from './cli.mjs';
import { axeViolations } from './publication.mjs';

const PARAMETRES = { date_conversion: '2026-01-01' };

/** What each page shows once its content is there (so that axe audits the filled page). */
const PAGES = [
  ['donnees', '[data-testid=comptes]'],
  ['parametres', '#taux-unique'],
  ['assiette', 'table'],
  ['parts', 'table'],
  ['etalement', 'table'],
  ['suivi', '[data-testid=suivi-parties]'],
  ['orienter', '#orienter-recherche'],
  ['communes', '[data-testid=carte-vue] [data-testid=carte] svg'],
  ['scenarios', 'table'],
  ['rapport', 'h1'],
];

/** Opens every page and returns axe-core's violations, per page (none: `{}`). */
async function auditer(app, pages = PAGES) {
  const violations = {};
  for (const [page, contenu] of pages) {
    await app.open(page);
    await app.page.locator(contenu).first().waitFor({ timeout: 30_000 });
    const v = await axeViolations(app.page);
    if (v.length) violations[page] = v;
  }
  return violations;
}

appTest('axe-core finds no violation on any page', async (app) => {
  await app.goto({ parametres: PARAMETRES });
  assert.deepEqual(await auditer(app), {});
});

appTest('a generated Île-de-France file: every commune of the file on the map, hatched where the CSV says « s »; axe clean on every page', async (app) => {
  const fichier = generated(200_000, 20, 7);
  await app.goto({ parametres: PARAMETRES });
  await app.upload(fichier, { timeout: 60_000 });
  // The mouvements of the demo do not match this file: the Suivi page says so (no table to wait for).
  const pages = PAGES.map(([p, c]) => (p === 'suivi' ? [p, 'h1'] : [p, c]));
  assert.deepEqual(await auditer(app, pages), {});

  const cli = flux(fichier, PARAMETRES);
  const communes = cli.csv('communes.csv');
  await app.open('communes');
  await app.page.selectOption('#colonne-carte', 'Logements réservés : Commune');
  const carte = app.page.locator('[data-testid=carte-vue]');
  await eventually(async () => assert.match(await carte.locator('svg title').first().textContent(), /Logements réservés : Commune$/), { timeout: 30_000 });
  const dessinees = new Map(await carte.locator('path[data-code]').evaluateAll((ps) => ps.map((p) => [p.dataset.code, p.getAttribute('fill')])));
  const absentes = communes.filter((l) => !dessinees.has(l.commune)).map((l) => l.commune);
  assert.deepEqual(absentes, [], 'every commune of the file is drawn');
  const secretes = communesMasquees(cli);
  assert.ok(secretes.length > 0, 'the file has masked commune reservations');
  const hachurees = [...dessinees].filter(([, fill]) => fill === 'url(#carte-vue-secret)').map(([code]) => code).sort();
  assert.deepEqual(hachurees, secretes, 'hatched exactly where communes.csv masks reserves_commune');
  await carte.screenshot({ path: `${SCREENSHOTS}/vue-communale-carte-idf.png` });
});

appTest('the Vue communale maps a column, reads each commune out, and hatches the secret', async (app) => {
  await app.goto({ page: 'communes', parametres: PARAMETRES });
  const carte = app.page.locator('[data-testid=carte-vue]');
  const communes = carte.locator('path[data-code]');
  await eventually(async () => assert.ok(await communes.count() > 1_000, 'every commune of the region is drawn'));
  assert.match(await carte.locator('svg title').first().textContent(), /^Carte des communes : Logements$/);
  assert.equal(await carte.locator('path[fill^="url("]').count(), 0, 'logements are public: nothing hatched');
  // A reserved count: masked where the table masks it (publication mode, on by default).
  await app.page.selectOption('#colonne-carte', 'Logements réservés : Commune');
  await eventually(async () => assert.match(await carte.locator('svg title').first().textContent(), /Logements réservés : Commune$/));
  const secretes = carte.locator('path[data-code][fill="url(#carte-vue-secret)"]');
  await eventually(async () => assert.ok(await secretes.count() > 0, 'the demo has masked commune reservations'));
  const label = await secretes.first().getAttribute('aria-label');
  assert.match(label, /Logements réservés : Commune : s \(secret statistique\)$/);
  // The keyboard reads a commune: its name and value repeated under the map, cleared on leaving.
  await secretes.first().focus();
  await app.expectText(carte.getByTestId('carte-info'), label);
  await app.page.locator('#colonne-carte').focus();
  await app.expectText(carte.getByTestId('carte-info'), '');
  // Detailed mode: a new map is drawn (the old one leaves the page), with no secret on it.
  const masquee = await carte.locator('svg').elementHandle();
  await app.page.locator('label[for=publication]').click();
  await eventually(async () => assert.equal(await masquee.evaluate((e) => e.isConnected), false, 'the masked map is replaced'));
  await carte.locator('svg title').first().waitFor({ state: 'attached' });
  assert.match(await carte.locator('svg title').first().textContent(), /Logements réservés : Commune$/);
  assert.ok(await carte.locator('path[data-code]').count() > 1_000);
  assert.equal(await secretes.count(), 0, 'detailed mode: every value drawn');
  // Typing in the table's search does not redraw the map (same element).
  const avant = await carte.locator('svg').elementHandle();
  await app.page.fill('#recherche-commune', 'Paris');
  await app.expectText(app.page.getByTestId('nombre-lignes'), /ligne/);
  assert.equal(await avant.evaluate((e) => e.isConnected), true, 'the map stays in place');
  await app.page.locator('[data-testid=carte-vue]').scrollIntoViewIfNeeded();
  await app.screenshot('vue-communale-carte');
  assert.ok(squash(await carte.textContent()).includes('Source : IGN, ADMIN EXPRESS COG'));
});
