// Puts the sha256 of every inline <script> of the built index.html into its Content-Security-Policy,
// in place of the CSP_INLINE_SCRIPT_HASHES marker. Run by Trunk's post_build hook (TRUNK_STAGING_DIR)
// or by hand: `node scripts/csp-hash.mjs dist/index.html`.
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const file = process.argv[2] ?? join(process.env.TRUNK_STAGING_DIR ?? 'dist', 'index.html');
const html = readFileSync(file, 'utf8');
const hashes = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)]
  .map(([, body]) => `'sha256-${createHash('sha256').update(body, 'utf8').digest('base64')}'`);
if (!html.includes('CSP_INLINE_SCRIPT_HASHES')) {
  if (hashes.every((h) => html.includes(h))) process.exit(0); // already done
  console.error(`csp-hash: no CSP_INLINE_SCRIPT_HASHES marker in ${file}`);
  process.exit(1);
}
writeFileSync(file, html.replace('CSP_INLINE_SCRIPT_HASHES', hashes.join(' ')));
console.log(`csp-hash: ${hashes.length} inline script(s) hashed into ${file}`);
