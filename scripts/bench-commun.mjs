// Shared by the browser benchmarks (bench-suivi, bench-orienter, bench-carte): the generated
// files, kept between runs in /tmp/gestion-flux-bench (the generator is seeded), and the real page
// in headless Chromium with an état des lieux picked through « Données ».
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { launch } from '../tests/e2e/app.mjs';

export const DIR = '/tmp/gestion-flux-bench';
const FLUX = 'target/release/flux';

/**
 * The generated état des lieux of `n` logements (150 bailleurs from 1 M on), seed 2026, of profile
 * `defaut` or `exports` (shaped like real exports, `flux generer --profil exports`).
 */
export function etatGenere(n, profil = 'defaut') {
  mkdirSync(DIR, { recursive: true });
  const etat = profil === 'defaut' ? `${DIR}/idf-${n}.csv` : `${DIR}/idf-${profil}-${n}.csv`;
  if (!existsSync(etat)) {
    const bailleurs = n >= 1_000_000 ? 150 : Math.max(2, Math.round(n / 10_000));
    execFileSync(FLUX, ['generer', '--profil', profil, '--logements', String(n), '--bailleurs', String(bailleurs), '--graine', '2026', '--sortie', etat]);
  }
  return etat;
}

/** `--profil P` taken out of the command line's arguments (default `defaut`). */
export function profilDemande(args) {
  const i = args.indexOf('--profil');
  return i >= 0 ? args.splice(i, 2)[1] : 'defaut';
}

/** A generated year (2026, seed 1) of mouvements for the état des lieux of `n` logements. */
export function mouvementsGeneres(n) {
  const etat = etatGenere(n);
  const mouvements = `${DIR}/mouvements-${n}.csv`;
  if (!existsSync(mouvements)) {
    execFileSync(FLUX, ['generer', 'mouvements', '--etat', etat, '--annee', '2026', '--graine', '1', '--sortie', mouvements]);
  }
  return mouvements;
}

/**
 * The app in Chromium (memory counters on, the wasm module kept in `window.__wasm`) with `etat`
 * picked on « Données » and read, conversion on 1 January 2026 (the mouvements' year).
 * Returns the page and `fermer()`.
 */
export async function pageAvecEtat(etat) {
  const { url, browser, close } = await launch({ args: ['--enable-precise-memory-info'] });
  const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.addInitScript(() => {
    addEventListener('TrunkApplicationStarted', (e) => { window.__wasm = e.detail.wasm; });
  });
  const parametres = encodeURIComponent(JSON.stringify({ date_conversion: '2026-01-01' }));
  await page.goto(`${url}?parametres=${parametres}#donnees`);
  await page.getByTestId('comptes').waitFor();
  const nom = etat.split('/').pop();
  await page.setInputFiles('#fichier', etat);
  await page.waitForFunction((nm) => document.querySelector('[data-testid=source]')?.textContent.includes(nm), nom, { timeout: 600_000 });
  await page.getByTestId('comptes').waitFor({ timeout: 600_000 });
  return { page, context, fermer: async () => { await context.close(); await close(); } };
}
