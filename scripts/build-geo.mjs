// Builds data/geographie.tsv, the compact official geography the engine and the app load, from the
// npm package @etalab/decoupage-administratif (COG, Licence Ouverte 2.0 — Etalab).
// Usage: node scripts/build-geo.mjs [--check]   (--check: fail if the committed file is stale)
import { readFileSync, writeFileSync } from 'node:fs';

const dir = 'node_modules/@etalab/decoupage-administratif';
const load = (f) => JSON.parse(readFileSync(`${dir}/data/${f}.json`, 'utf8'));
const version = JSON.parse(readFileSync(`${dir}/package.json`, 'utf8')).version;
const clean = (s) => String(s).replace(/[\t\r\n]/g, ' ');

const communes = load('communes');
const epciOf = new Map();
const eptOf = new Map();
const lines = [
  `# Géographie officielle (COG) tirée de @etalab/decoupage-administratif ${version}, Licence Ouverte 2.0 (Etalab).`,
  '# Généré par scripts/build-geo.mjs : ne pas modifier à la main.',
  '# D code nom | E code nom (EPCI) | T code nom (EPT) | C code nom departement epci ept parent | A code nom commune (ancien code ou commune déléguée/associée)',
];
for (const d of load('departements')) lines.push(['D', d.code, clean(d.nom)].join('\t'));
for (const e of load('epci')) {
  lines.push(['E', e.code, clean(e.nom)].join('\t'));
  for (const m of e.membres) epciOf.set(m.code, e.code);
}
for (const t of load('ept')) {
  lines.push(['T', t.code, clean(t.nom)].join('\t'));
  for (const m of t.membres) eptOf.set(m.code, t.code);
}
const current = new Set();
for (const c of communes) {
  if (c.type !== 'commune-actuelle' && c.type !== 'arrondissement-municipal') continue;
  current.add(c.code);
  // Arrondissements municipaux take the EPCI/EPT of their city.
  const city = c.type === 'arrondissement-municipal' ? c.commune : c.code;
  lines.push(['C', c.code, clean(c.nom), c.departement ?? '', epciOf.get(city) ?? '', eptOf.get(city) ?? '',
    c.type === 'arrondissement-municipal' ? c.commune : ''].join('\t'));
}
const aliases = new Map();
for (const c of communes) {
  if (c.type === 'commune-deleguee' || c.type === 'commune-associee') {
    if (!current.has(c.code) && c.chefLieu) aliases.set(c.code, [clean(c.nom), c.chefLieu]);
  }
  for (const old of c.anciensCodes ?? []) {
    if (c.type === 'commune-actuelle' && !current.has(old) && !aliases.has(old)) aliases.set(old, [clean(c.nom), c.code]);
  }
}
for (const [code, [nom, parent]] of [...aliases].sort()) lines.push(['A', code, nom, parent].join('\t'));

const text = lines.join('\n') + '\n';
const out = 'data/geographie.tsv';
if (process.argv.includes('--check')) {
  if (readFileSync(out, 'utf8') !== text) { console.error(`${out} is stale: run node scripts/build-geo.mjs`); process.exit(1); }
  console.log(`${out} is up to date`);
} else {
  writeFileSync(out, text);
  console.log(`${out}: ${lines.length} lines, ${text.length} bytes`);
}
