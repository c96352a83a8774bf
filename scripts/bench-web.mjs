// Browser benchmark (issue « a whole region in the browser »): generates états des lieux with the
// engine's generator, serves the release build on 127.0.0.1, and measures in headless Chromium,
// through the real page: file selection → results, parameter change → updated results, and the
// tab's memory (JS heap + WebAssembly memory). Prints a table.
//
//   node scripts/bench-web.mjs [--profil defaut|exports|tous] [--attente MS] [sizes…]
//   e.g. node scripts/bench-web.mjs --profil tous 130000 1400000
//
// `--attente MS`: the file is chosen MS milliseconds after the Données page opens (0 by default:
// at once). A person takes a few seconds to pick a file; meanwhile the reading workers, started
// with that page, compile and warm up (`import::plages::echauffer`). At 0 the first file meets
// workers still warming up.
//
// `exports` files are shaped like real exports (`flux generer --profil exports`: every bailleur in
// all 8 départements, ~30 réservataires per convention, dates and rates filled as text).
//
// Needs `scripts/build.sh` (dist/) and `cargo build --release --bin flux` first.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { launch } from '../tests/e2e/app.mjs';

const args = process.argv.slice(2);
const i = args.indexOf('--profil');
const profil = i >= 0 ? args.splice(i, 2)[1] : 'defaut';
const j = args.indexOf('--attente');
const attente = j >= 0 ? Number(args.splice(j, 2)[1]) : 0;
const profils = profil === 'tous' ? ['defaut', 'exports'] : [profil];
const sizes = args.map(Number).filter(Boolean);
const runs = (sizes.length ? sizes : [130_000, 1_400_000]).flatMap((n) => profils.map((p) => [n, p]));
const dir = '/tmp/gestion-flux-bench';
mkdirSync(dir, { recursive: true });

// The end-to-end harness's server (dist/ on 127.0.0.1) and Chromium, with precise memory figures.
const { url, browser, close } = await launch({ args: ['--enable-precise-memory-info'] });
const rows = [];
for (const [n, p] of runs) {
  const bailleurs = n >= 1_000_000 ? 150 : Math.max(2, Math.round(n / 10_000));
  const file = p === 'defaut' ? `${dir}/idf-${n}.csv` : `${dir}/idf-${p}-${n}.csv`;
  if (!existsSync(file)) {
    execFileSync('target/release/flux', ['generer', '--profil', p, '--logements', String(n), '--bailleurs', String(bailleurs), '--graine', '2026', '--sortie', file]);
  }
  const context = await browser.newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.addInitScript(() => {
    addEventListener('TrunkApplicationStarted', (e) => { window.__wasm = e.detail.wasm; });
  });
  await page.goto(url);
  await page.getByTestId('comptes').waitFor();
  await page.click('nav a[data-page=donnees]');
  if (attente) await page.waitForTimeout(attente);
  const name = file.split('/').pop();
  const t0 = Date.now();
  await page.setInputFiles('#fichier', file);
  await page.waitForFunction((nm) => document.querySelector('[data-testid=source]')?.textContent.includes(nm), name, { timeout: 600_000 });
  await page.click('nav a[data-page=parts]');
  await page.getByTestId('flux').waitFor();
  const load = (Date.now() - t0) / 1000;
  // Parameter change → updated results (the flux figure changes).
  const changes = [];
  await page.click('nav a[data-page=parametres]');
  await page.locator('#taux-unique').waitFor();
  for (const taux of ['7', '8', '6.3', '7.5', '6.3']) {
    // Measured inside the page: from the change event to the next frame after Leptos has run its
    // effects (the Paramètres page reads the results, so the engine recomputes them).
    changes.push(await page.evaluate((t) => new Promise((done) => {
      const input = document.querySelector('#taux-unique');
      const start = performance.now();
      input.value = t;
      input.dispatchEvent(new Event('change', { bubbles: true }));
      requestAnimationFrame(() => setTimeout(() => done(performance.now() - start), 0));
    }), taux));
  }
  // Each change in turn: the first one after a load is the slowest (docs/engine.md, stop 23).
  console.error(`${p} ${n}: changements ${changes.map((c) => c.toFixed(0)).join(' ')} ms`);
  // The steps of the reading by the workers (performance marks of src/ui/chargement.rs).
  const marks = await page.evaluate(() => {
    const m = Object.fromEntries(performance.getEntriesByType('mark').filter((e) => e.name.startsWith('flux:')).map((e) => [e.name.slice(5), e.startTime]));
    const t0 = m['lecteurs:debut'];
    return t0 === undefined ? '' : Object.entries(m).map(([k, v]) => `${k.replace('lecteurs:', '')} ${(v - t0).toFixed(0)}`).join(', ');
  });
  if (marks) console.error(`${p} ${n}: ${marks}`);
  const memory = await page.evaluate(() => ({
    heap: performance.memory?.usedJSHeapSize ?? 0,
    wasm: window.__wasm?.memory?.buffer?.byteLength ?? 0,
  }));
  rows.push({
    profil: p,
    logements: n.toLocaleString('fr-FR'),
    bailleurs,
    'fichier (Mo)': (statSync(file).size / 1e6).toFixed(0),
    'chargement → résultats (s)': load.toFixed(2),
    'changement de paramètre (ms)': `${Math.min(...changes).toFixed(0)}–${Math.max(...changes).toFixed(0)}`,
    'mémoire de l’onglet (Mo)': ((memory.heap + memory.wasm) / 1e6).toFixed(0),
    'dont tas JS / wasm (Mo)': `${(memory.heap / 1e6).toFixed(0)} / ${(memory.wasm / 1e6).toFixed(0)}`,
  });
  await context.close();
}
await close();
console.table(rows);
