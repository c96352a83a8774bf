// The app shell: title, DSFR look, demo état des lieux loaded, no console error, nothing leaves
// 127.0.0.1, and a Content-Security-Policy that forbids sending data elsewhere.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { appTest, DEMO, eventually } from './app.mjs';

const demoDataRows = readFileSync(DEMO, 'utf8').split(/\r?\n/).filter((l) => l.trim() !== '').length - 1;

appTest('the page opens with its title and the demo row count', async (app) => {
  await app.goto();
  assert.equal(await app.page.title(), 'Calculateur de gestion en flux');
  const n = demoDataRows.toLocaleString('fr-FR').replace(/\u202f/g, ' ');
  assert.match(await app.counts(), new RegExp(`^${n} lignes lues = ${n} retenues \\+ 0 rejetées ; \\d+ avertissement\\(s\\)\\.$`));
  assert.match(await app.page.locator('.fr-header__service-title').textContent(), /Calculateur de gestion en flux/);
  await app.screenshot('accueil');
});

appTest('the DSFR stylesheet and Marianne font are applied', async (app) => {
  await app.goto({ demo: false });
  const font = await app.page.evaluate(() => getComputedStyle(document.body).fontFamily);
  assert.match(font, /Marianne/);
  await app.page.evaluate(() => document.fonts.ready);
  assert.ok(await app.page.evaluate(() => document.fonts.check('16px Marianne')), 'Marianne loaded');
});

appTest('the wasm module, the geography and the demo come from 127.0.0.1 only', async (app) => {
  await app.goto();
  assert.ok(app.requests.some((u) => u.endsWith('.wasm')), 'the wasm module was loaded');
  assert.ok(app.requests.some((u) => u.endsWith('/geo/geographie.tsv')), 'the geography was loaded');
  assert.ok(app.requests.some((u) => u.endsWith('/demo/etat-des-lieux-demo.csv')), 'the demo was loaded');
  // The harness then checks that no request left 127.0.0.1 and that no console error occurred.
});

appTest('the CSP forbids connections to other origins', async (app) => {
  await app.goto({ demo: false });
  const csp = await app.page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  assert.match(csp, /connect-src 'self'/);
  assert.match(csp, /default-src 'none'/);
  assert.doesNotMatch(csp, /unsafe-inline|CSP_INLINE_SCRIPT_HASHES/);
  // A fetch to another origin is blocked by the browser itself.
  const outcome = await app.page.evaluate(async () => {
    try { await fetch('http://127.0.0.2:9/fuite'); return 'sent'; } catch { return 'blocked'; }
  });
  assert.equal(outcome, 'blocked');
  // The violation is reported on the console: expected here, so taken out of the per-test check.
  const violations = await eventually(() => {
    const v = app.consoleErrors.filter((e) => /Content Security Policy/.test(e));
    assert.ok(v.length >= 1, 'the blocked fetch is reported as a CSP violation');
    return v;
  });
  assert.equal(app.takeConsoleErrors().length, violations.length, 'no other console error');
});
