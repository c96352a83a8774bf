// Checks of a publication page (SPEC §9): read with JavaScript disabled, its tables hold the same
// cells as the command line's communal CSVs; it is valid HTML (html-validate, standard rules),
// requests nothing, and axe-core finds no WCAG 2.1 A/AA violation.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { tempDir, csvNum } from './cli.mjs';
import { num } from './app.mjs';

const AXE = readFileSync('node_modules/axe-core/axe.min.js', 'utf8');

/** axe-core violations (WCAG 2.0/2.1 A and AA rules) of the page as it is now. */
export async function axeViolations(page) {
  await page.evaluate(AXE);
  const r = await page.evaluate(() => globalThis.axe.run(document, {
    runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
  }));
  return r.violations.map((v) => `${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
}

/** html-validate with the standard (conformance) rules; throws with its report. */
export function validateHtml(file) {
  const config = join(tempDir('htmlvalidate-'), 'config.json');
  writeFileSync(config, JSON.stringify({ extends: ['html-validate:standard'] }));
  try {
    execFileSync('node_modules/.bin/html-validate', ['--config', config, file], { stdio: 'pipe' });
  } catch (e) {
    assert.fail(`HTML invalide : ${e.stdout}${e.stderr}`);
  }
}

/** The cells of the table `niveau` (communes, epci, departements) of the page, row by row. */
export async function cellules(page, niveau) {
  return page.$$eval(`table[data-niveau=${niveau}] tbody tr`, (rows) => rows.map((r) => [...r.cells].map((c) => c.textContent)));
}

/**
 * Opens the publication page `file` in `browser` with JavaScript disabled, checks that it requests
 * nothing but itself and that its tables equal the CSVs `csv(niveau)` (rows objects keyed by the
 * header, « s » for masked cells); then, scripts allowed for axe only, that axe finds nothing.
 * Returns the page (closed by its context).
 */
export async function verifierPublication(browser, file, csv) {
  validateHtml(file);
  const url = pathToFileURL(file).href;
  const context = await browser.newContext({ javaScriptEnabled: false, locale: 'fr-FR', viewport: { width: 1280, height: 800 } });
  const requetes = [];
  context.on('request', (r) => requetes.push(r.url()));
  const page = await context.newPage();
  await page.goto(url);
  assert.deepEqual(requetes, [url], 'the publication page requests nothing');
  for (const [niveau, fichier] of [['communes', 'communes.csv'], ['epci', 'epci.csv'], ['departements', 'departements.csv']]) {
    const attendu = csv(fichier);
    const lu = await cellules(page, niveau);
    assert.equal(lu.length, attendu.length, `${niveau} : nombre de lignes`);
    const colonnes = Object.keys(attendu[0] ?? {});
    lu.forEach((ligne, i) => {
      assert.equal(ligne.length, colonnes.length, `${niveau} ligne ${i} : nombre de cases`);
      colonnes.forEach((c, j) => {
        const a = attendu[i][c];
        const v = ligne[j];
        if (j < 4 || a === 's') assert.equal(v, a, `${niveau} ${attendu[i][colonnes[0]]} ${c}`);
        else assert.equal(num(v), csvNum(a), `${niveau} ${attendu[i][colonnes[0]]} ${c}`);
      });
    });
  }
  // axe needs scripts: a second context, the page's CSP bypassed for axe's own script only.
  const audit = await browser.newContext({ bypassCSP: true, locale: 'fr-FR' });
  const p2 = await audit.newPage();
  await p2.goto(url);
  assert.deepEqual(await axeViolations(p2), [], 'axe-core sur la page de publication');
  await audit.close();
  return { page, context };
}
