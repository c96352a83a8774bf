// The app shell: title, DSFR look, demo état des lieux loaded, no console error, nothing leaves
// 127.0.0.1, and a Content-Security-Policy that forbids sending data elsewhere.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { openApp } from './app.mjs';

let app;
before(async () => { app = await openApp(); });
after(async () => { await app?.close(); });

const demoDataRows = readFileSync('public/demo/etat-des-lieux-demo.csv', 'utf8')
  .split(/\r?\n/).filter((l) => l.trim() !== '').length - 1;

test('the page opens with its title and the demo row count', async () => {
  await app.goto();
  assert.equal(await app.page.title(), 'Calculateur de gestion en flux');
  const n = demoDataRows.toLocaleString('fr-FR');
  assert.match(await app.counts(), new RegExp(`^${n} lignes lues = ${n} retenues \\+ 0 rejetées ; \\d+ avertissement\\(s\\)\\.$`));
  assert.match(await app.page.locator('.fr-header__service-title').textContent(), /Calculateur de gestion en flux/);
  await app.screenshot('accueil');
});

test('the DSFR stylesheet and Marianne font are applied', async () => {
  const font = await app.page.evaluate(() => getComputedStyle(document.body).fontFamily);
  assert.match(font, /Marianne/);
  await app.page.evaluate(() => document.fonts.ready);
  assert.ok(await app.page.evaluate(() => document.fonts.check('16px Marianne')), 'Marianne loaded');
});

test('no console error and no request leaves 127.0.0.1', async () => {
  assert.deepEqual(app.consoleErrors, []);
  assert.deepEqual(app.externalRequests(), []);
  assert.ok(app.requests.some((u) => u.endsWith('.wasm')), 'the wasm module was loaded');
});

test('the CSP forbids connections to other origins', async () => {
  const csp = await app.page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  assert.match(csp, /connect-src 'self'/);
  assert.match(csp, /default-src 'none'/);
  assert.doesNotMatch(csp, /unsafe-inline|CSP_INLINE_SCRIPT_HASHES/);
  // A fetch to another origin is blocked by the browser itself.
  const outcome = await app.page.evaluate(async () => {
    try { await fetch('http://127.0.0.2:9/fuite'); return 'sent'; } catch { return 'blocked'; }
  });
  assert.equal(outcome, 'blocked');
  const violations = app.consoleErrors.filter((e) => /Content Security Policy/.test(e));
  assert.ok(violations.length >= 1, 'the blocked fetch is reported as a CSP violation');
  app.consoleErrors.length = 0;
});
