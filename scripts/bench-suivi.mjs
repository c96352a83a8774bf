// Browser benchmark of « Suivi de l'année » (SPEC §7): a year of mouvements for a generated
// état des lieux, measured in headless Chromium through the real page — the mouvements file
// picked → follow-up computed and the Suivi page shown; a change of the counting
// (`suivi.decompte`, the convention's select) → page updated. Prints a table.
//
//   node scripts/bench-suivi.mjs [logements]        default 1400000 (150 bailleurs)
//
// Needs `scripts/build.sh` (dist/) and `cargo build --release --bin flux` first. The files are
// generated once by the engine's generator, into /tmp/gestion-flux-bench:
//   flux generer --logements 1400000 --bailleurs 150 --graine 2026 --sortie idf-1400000.csv
//   flux generer mouvements --etat idf-1400000.csv --annee 2026 --graine 1 --sortie mouvements-1400000.csv
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { etatGenere, mouvementsGeneres, pageAvecEtat } from './bench-commun.mjs';

const n = Number(process.argv[2] ?? 1_400_000);
const mouvements = mouvementsGeneres(n);
const lignes = execFileSync('wc', ['-l', mouvements]).toString().trim().split(' ')[0] - 1;
const { page, fermer } = await pageAvecEtat(etatGenere(n));
await page.click('nav a[data-page=suivi]');
await page.getByTestId('suivi-vide').waitFor();

// Mouvements picked → the follow-up's table painted: measured inside the page, from the input's
// change event to the frame after the table appears.
await page.evaluate(() => {
  window.__debut = null;
  window.__fin = null;
  document.querySelector('#fichiers-mouvements').addEventListener('change', () => { window.__debut = performance.now(); }, { capture: true });
  new MutationObserver((_, o) => {
    if (document.querySelector('[data-testid=suivi-parties]')) {
      o.disconnect();
      requestAnimationFrame(() => setTimeout(() => { window.__fin = performance.now(); }, 0));
    }
  }).observe(document.body, { subtree: true, childList: true });
});
await page.setInputFiles('#fichiers-mouvements', mouvements);
await page.waitForFunction(() => window.__fin !== null, null, { timeout: 600_000 });
const chargement = await page.evaluate(() => window.__fin - window.__debut);
const comptes = (await page.getByTestId('mouvements-comptes').textContent()).replace(/\s+/g, ' ');

// A change of the convention's counting → the page updated (the next frame after Leptos has run).
const changements = [];
for (const v of ['bail', 'orientation', 'mixte', '', 'bail', '']) {
  changements.push(await page.evaluate((valeur) => new Promise((fini) => {
    const select = document.querySelector('#decompte-convention');
    const debut = performance.now();
    select.value = valeur;
    select.dispatchEvent(new Event('change', { bubbles: true }));
    requestAnimationFrame(() => setTimeout(() => fini(performance.now() - debut), 0));
  }), v));
}
const memoire = await page.evaluate(() => ({
  heap: performance.memory?.usedJSHeapSize ?? 0,
  wasm: window.__wasm?.memory?.buffer?.byteLength ?? 0,
}));
await fermer();
console.log(comptes);
console.table([{
  logements: n.toLocaleString('fr-FR'),
  mouvements: lignes.toLocaleString('fr-FR'),
  'fichier (Mo)': (statSync(mouvements).size / 1e6).toFixed(1),
  'mouvements → page (ms)': chargement.toFixed(0),
  'changement de décompte (ms)': `${Math.min(...changements).toFixed(0)}–${Math.max(...changements).toFixed(0)}`,
  'mémoire de l’onglet (Mo)': ((memoire.heap + memoire.wasm) / 1e6).toFixed(0),
}]);
