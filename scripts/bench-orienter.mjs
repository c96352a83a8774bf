// Browser benchmark of « Orienter un logement » (SPEC §8), in headless Chromium through the real
// page, on a generated état des lieux with its year of mouvements: the page opened (the aid's
// context built once), a search typed → results painted, a logement picked → its parties ranked
// and painted, the date changed → ranked again, and a file of 10 000 vacancies picked → read,
// oriented in date order and the first page of proposals painted. Prints a table.
//
//   node scripts/bench-orienter.mjs [logements] [vacances]     default 1400000 (150 bailleurs), 10000
//
// Needs `scripts/build.sh` (dist/) and `cargo build --release --bin flux` first. The files are
// generated once, into /tmp/gestion-flux-bench (scripts/bench-commun.mjs):
//   flux generer --logements 1400000 --bailleurs 150 --graine 2026 --sortie idf-1400000.csv
//   flux generer mouvements --etat idf-1400000.csv --annee 2026 --graine 1 --sortie mouvements-1400000.csv
//   vacances-1400000-10000.csv: 10 000 logements spread over the file, dated over 2026.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { DIR, etatGenere, mouvementsGeneres, pageAvecEtat } from './bench-commun.mjs';

const n = Number(process.argv[2] ?? 1_400_000);
const nv = Number(process.argv[3] ?? 10_000);
const etat = etatGenere(n);
const mouvements = mouvementsGeneres(n);
const vacances = `${DIR}/vacances-${n}-${nv}.csv`;
// Identifiers of the état des lieux (first column), a few of them for the clicks.
const ids = readFileSync(etat, 'latin1').split('\n').slice(1).filter((l) => l).map((l) => l.slice(0, l.indexOf(';')));
if (!existsSync(vacances)) {
  const lignes = ['rpls;date'];
  for (let k = 0; k < nv; k++) {
    const d = new Date(Date.UTC(2026, 0, 1 + Math.floor((k * 365) / nv)));
    const jj = String(d.getUTCDate()).padStart(2, '0');
    const mm = String(d.getUTCMonth() + 1).padStart(2, '0');
    lignes.push(`${ids[(k * 7919 * 17) % ids.length]};${jj}/${mm}/2026`);
  }
  writeFileSync(vacances, `${lignes.join('\n')}\n`);
}

const { page, context, fermer } = await pageAvecEtat(etat);
await page.click('nav a[data-page=suivi]');
await page.getByTestId('suivi-vide').waitFor();
await page.setInputFiles('#fichiers-mouvements', mouvements);
await page.getByTestId('suivi-parties').waitFor({ timeout: 600_000 });

/**
 * Does `quoi` in the page (with `x`) and resolves with the ms until its result is there and a
 * frame is painted.
 */
const mesurerPage = (quoi, x) => page.evaluate(([q, v]) => new Promise((fini) => {
  const $ = (sel) => document.querySelector(sel);
  const actions = {
    ouvrir: () => $('nav a[data-page=orienter]').click(),
    chercher: () => { const i = $('#orienter-recherche'); i.value = v; i.dispatchEvent(new Event('input', { bubbles: true })); },
    choisir: () => $(`[data-testid=orienter-resultats] tr[data-rpls="${v}"] button`).click(),
    dater: () => { const i = $('#orienter-date'); i.value = v; i.dispatchEvent(new Event('change', { bubbles: true })); },
  };
  const caption = () => $('[data-testid=orienter-classement] caption')?.textContent ?? '';
  const faits = {
    ouvrir: () => !!$('[data-testid=orienter-attentes] [data-testid=attentes], [data-testid=attentes-aucune]'),
    chercher: () => !!$(`[data-testid=orienter-resultats] tr[data-rpls="${v}"]`),
    commune: () => ($('[data-testid=orienter-resultats] caption')?.textContent ?? '').includes('premiers'),
    choisir: () => caption().includes(`logement ${v} `),
    dater: () => caption().endsWith(v.split('-').reverse().join('/')),
  };
  const debut = performance.now();
  (actions[q] ?? actions.chercher)();
  const fait = faits[q];
  const attendre = () => {
    if (fait()) requestAnimationFrame(() => setTimeout(() => fini(performance.now() - debut), 0));
    else setTimeout(attendre, 1);
  };
  attendre();
}), [quoi, x]);

// Chromium's own counters (DevTools protocol), read around each measure: how much of it was the
// page's script (the engine's ranking in WebAssembly, Leptos' updates) and how much style and
// layout. The issue's « ranking one logement ≤ 20 ms » is the script part.
const cdp = await context.newCDPSession(page);
await cdp.send('Performance.enable', { timeDomain: 'threadTicks' });
const compteurs = async () => Object.fromEntries((await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]));
const scripts = {};
const mises = {};
const mesurer = async (quoi, x) => {
  const avant = await compteurs();
  const total = await mesurerPage(quoi, x);
  const apres = await compteurs();
  const d = (k) => (apres[k] - avant[k]) * 1e3;
  (scripts[quoi] ??= []).push(d('ScriptDuration'));
  (mises[quoi] ??= []).push(d('LayoutDuration') + d('RecalcStyleDuration'));
  return total;
};

// The page opened: the aid's context built (once), the deadlines painted.
const ouverture = await mesurer('ouvrir');
const recherches = [];
const classements = [];
const dates = [];
for (let k = 0; k < 6; k++) {
  const rpls = ids[(k * 104_729 + 12_345) % ids.length];
  recherches.push(await mesurer('chercher', rpls));
  classements.push(await mesurer('choisir', rpls));
  dates.push(await mesurer('dater', `2026-0${1 + (k % 9)}-15`));
}
// A search by commune code (thousands of logements: the total counted, ten listed).
const commune = await mesurer('commune', '93048');
const parCommune = (await page.locator('[data-testid=orienter-resultats] caption').textContent()).replace(/\s+/g, ' ');

// The list: the file picked → read, oriented, first page painted (measured from the change event).
await page.evaluate(() => {
  window.__debut = null;
  window.__fin = null;
  document.querySelector('#fichier-vacances').addEventListener('change', () => { window.__debut = performance.now(); }, { capture: true });
  new MutationObserver((_, o) => {
    if (document.querySelector('[data-testid=vacances-propositions]')) {
      o.disconnect();
      requestAnimationFrame(() => setTimeout(() => { window.__fin = performance.now(); }, 0));
    }
  }).observe(document.body, { subtree: true, childList: true });
});
await page.setInputFiles('#fichier-vacances', vacances);
await page.waitForFunction(() => window.__fin !== null, null, { timeout: 600_000 });
const liste = await page.evaluate(() => window.__fin - window.__debut);
const lues = (await page.getByTestId('vacances-comptes').textContent()).replace(/\s+/g, ' ');
const memoire = await page.evaluate(() => ({
  heap: performance.memory?.usedJSHeapSize ?? 0,
  wasm: window.__wasm?.memory?.buffer?.byteLength ?? 0,
}));
await fermer();

const plage = (v) => `${Math.min(...v).toFixed(0)}–${Math.max(...v).toFixed(0)}`;
const mediane = (v) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)].toFixed(0);
console.log(lues);
console.log(parCommune);
console.table([{
  logements: n.toLocaleString('fr-FR'),
  'page ouverte, contexte construit (ms)': ouverture.toFixed(0),
  'recherche rpls (ms)': `${plage(recherches)} (méd. ${mediane(recherches)})`,
  'recherche commune (ms)': commune.toFixed(0),
  'un logement classé (ms)': `${plage(classements)} (méd. ${mediane(classements)})`,
  '… dont script : classement + mise à jour (ms)': `${plage(scripts.choisir)} (méd. ${mediane(scripts.choisir)})`,
  '… dont style et mise en page (ms)': `${plage(mises.choisir)} (méd. ${mediane(mises.choisir)})`,
  'changement de date (ms)': `${plage(dates)} (méd. ${mediane(dates)})`,
  [`${nv.toLocaleString('fr-FR')} vacances → propositions (ms)`]: liste.toFixed(0),
  'mémoire de l’onglet (Mo)': ((memoire.heap + memoire.wasm) / 1e6).toFixed(0),
}]);
