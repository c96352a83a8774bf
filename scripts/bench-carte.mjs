// Browser benchmark of the communes map (SPEC §9), in headless Chromium through the real page, on
// a generated Île-de-France état des lieux: « Vue communale » opened → map painted (the first time:
// the drawing worker started, the contours and the geography fetched and parsed, the SVG drawn and
// inserted), then a change of the mapped column → new map painted. Prints a table.
//
//   node scripts/bench-carte.mjs [--profil defaut|exports] [logements]   default 1400000 (150 bailleurs)
//
// Needs `scripts/build.sh` (dist/) and `cargo build --release --bin flux` first; the file is
// generated once into /tmp/gestion-flux-bench (scripts/bench-commun.mjs).
import { etatGenere, pageAvecEtat, profilDemande } from './bench-commun.mjs';

const args = process.argv.slice(2);
const profil = profilDemande(args);
const n = Number(args[0] ?? 1_400_000);
const { page, fermer } = await pageAvecEtat(etatGenere(n, profil));

/** Runs `quoi` and resolves with the ms until the map's title says `titre` and a frame is painted. */
const mesurer = (quoi, titre) => page.evaluate(([q, t]) => new Promise((fini) => {
  const $ = (sel) => document.querySelector(sel);
  const debut = performance.now();
  if (q === 'ouvrir') $('nav a[data-page=communes]').click();
  else {
    const s = $('#colonne-carte');
    s.value = t;
    s.dispatchEvent(new Event('change', { bubbles: true }));
  }
  window.__tableau = null;
  const attendre = () => {
    if (window.__tableau === null && $('[data-testid=secret-total]')) window.__tableau = performance.now() - debut;
    const titreCarte = $('[data-testid=carte-vue] svg title')?.textContent ?? '';
    if (titreCarte.endsWith(t)) requestAnimationFrame(() => setTimeout(() => fini(performance.now() - debut), 0));
    else setTimeout(attendre, 1);
  };
  attendre();
}), [quoi, titre]);

const ouverture = await mesurer('ouvrir', 'Logements');
// The table and the secrecy note are there before the map (the mask is computed on first use).
const tableau = await page.evaluate(() => window.__tableau);
const changements = [];
for (const c of ['Assiette', 'Logements réservés : Commune', 'Libérations annuelles estimées', 'Logements réservés : Action Logement', 'Logements']) {
  changements.push(await mesurer('changer', c));
}
const communes = await page.locator('[data-testid=carte-vue] path[data-code]').count();
const secretes = await page.locator('[data-testid=carte-vue] path[data-code][fill^="url("]').count();
await fermer();
console.table([{
  profil,
  logements: n.toLocaleString('fr-FR'),
  'communes dessinées': communes,
  'page ouverte → tableau et secret (ms)': tableau.toFixed(0),
  'page ouverte → carte peinte, 1re fois (ms)': ouverture.toFixed(0),
  'changement de colonne → carte peinte (ms)': `${Math.min(...changements).toFixed(0)}–${Math.max(...changements).toFixed(0)}`,
  'dont secrètes (dernière colonne)': secretes,
}]);
