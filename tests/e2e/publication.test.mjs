// The publication page (SPEC §9): the command line's `publication.html` read as the DRIHL site
// would serve it — no script, same numbers as the communal CSVs, valid, accessible.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { flux } from './cli.mjs';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, DEMO, SCREENSHOTS } from './app.mjs';
import { verifierPublication } from './publication.mjs';

let navigateur;
after(async () => { if (navigateur) await navigateur.close(); });

test('flux writes a self-contained publication page with the communal view under secrecy', async () => {
  const sortie = flux(DEMO, { date_conversion: '2026-01-01' });
  const html = sortie.text('publication.html');
  assert.doesNotMatch(html, /<script|<link|<img|<iframe|src=|url\(/i, 'nothing loaded from elsewhere');
  assert.match(html, /<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'sha256-/);
  assert.match(html, /Conversion des réservations au 01\/01\/2026/);
  navigateur = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  const { page, context } = await verifierPublication(navigateur, join(sortie.dir, 'publication.html'), sortie.csv);
  assert.ok(sortie.csv('communes.csv').some((l) => Object.values(l).includes('s')), 'the demo has masked cells');
  await page.screenshot({ path: `${SCREENSHOTS}/publication-cli.png`, fullPage: false });
  await context.close();
});
