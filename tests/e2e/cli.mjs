// The reference engine of the end-to-end tests: the `flux` command line (SPEC §6) run on the same
// file and parameters as the page, its outputs read back; and small états des lieux generated for
// the tests into temporary directories.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const CLI = 'target/release/flux';

/** Where generated files are kept between runs. */
export const DIR_GENERES = '/tmp/gestion-flux-e2e';

/**
 * A generated Île-de-France état des lieux (`flux generer`), kept between runs: the generator is
 * seeded, so the same arguments give the same bytes (the name holds all three).
 */
export function generated(logements, bailleurs, graine) {
  mkdirSync(DIR_GENERES, { recursive: true });
  const file = join(DIR_GENERES, `idf-${logements}-${bailleurs}-${graine}.csv`);
  if (!existsSync(file)) {
    execFileSync(CLI, ['generer', '--logements', String(logements), '--bailleurs', String(bailleurs), '--graine', String(graine), '--sortie', file]);
  }
  return file;
}

export function tempDir(prefix = 'flux-') {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * Runs `flux FILE [--parametres P] --sortie DIR`. `params` is an object (written to a JSON file)
 * or the path of a parameters file. Returns the output directory and readers of its files.
 */
export function flux(file, params) {
  const dir = tempDir();
  const args = [file];
  if (params !== undefined) {
    let p = params;
    if (typeof params !== 'string') {
      p = join(dir, 'parametres-entree.json');
      writeFileSync(p, JSON.stringify(params));
    }
    args.push('--parametres', p);
  }
  execFileSync(CLI, [...args, '--sortie', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  const text = (name) => readFileSync(join(dir, name), 'utf8');
  return {
    dir,
    text,
    bytes: (name) => readFileSync(join(dir, name)),
    csv: (name) => parseCsv(text(name)),
    synthese: JSON.parse(text('synthese.json')),
  };
}

/**
 * A CSV of the app (French conventions: BOM, `;`, CRLF, `"` quoting) → array of objects keyed by
 * the header.
 */
export function parseCsv(text) {
  const rows = [];
  let row = [];
  let cell = '';
  let quoted = false;
  const s = text.replace(/^\ufeff/, '');
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (quoted) {
      if (c === '"' && s[i + 1] === '"') { cell += '"'; i++; } else if (c === '"') quoted = false; else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ';') { row.push(cell); cell = ''; } else if (c === '\n') {
      row.push(cell.replace(/\r$/, '')); rows.push(row); row = []; cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length) { row.push(cell); rows.push(row); }
  const [header, ...body] = rows;
  return body.map((r) => {
    assert.equal(r.length, header.length, `CSV row of ${r.length} cells for ${header.length} columns: ${r.join(';')}`);
    return Object.fromEntries(header.map((h, k) => [h, r[k]]));
  });
}

/** A number of a French CSV (« 12,345 », empty → null). */
export const csvNum = (t) => (t === '' || t === undefined ? null : Number(t.replace(',', '.')));

/**
 * A small bailleur in Seine-Saint-Denis (200 logements of the assiette in Montreuil, Pantin and
 * Bondy) whose réservataires are mostly small: État (30 %), Action Logement (15 %), the commune
 * of Pantin and the EPT Est Ensemble (their objectives go to the communes of their own
 * reservations; Est Ensemble also has one logement for sale, out of the assiette, in Pantin), a
 * ministry and one employer holding a single logement (0,5 % of the flux: less than one logement a
 * year, « noyé dans le flux » under a v1 rounding). `autre` extra logements have motif `autre`.
 */
export function petitParc({ autre = 0, nom = 'petit-parc.csv' } = {}) {
  const groups = [
    { n: 40, reservataire: 'Préfecture 93', categorie: 'etat_prioritaires', communes: ['93048', '93055', '93010'] },
    { n: 8, reservataire: 'Préfecture 93 - agents', categorie: 'etat_agents', communes: ['93048', '93055'] },
    { n: 30, reservataire: 'Action Logement', categorie: 'action_logement', communes: ['93048', '93055', '93010'], fin: '31/12/2045' },
    { n: 10, reservataire: 'Ville de Pantin', categorie: 'commune', communes: ['93055'], fin: '31/12/2050' },
    { n: 6, reservataire: 'Est Ensemble', categorie: 'epci', communes: ['93048', '93048', '93010'], fin: '31/12/2040' },
    { n: 1, reservataire: 'Est Ensemble', categorie: 'epci', communes: ['93055'], fin: '31/12/2040', motif: 'vente' },
    { n: 4, reservataire: 'Ministère des Armées', categorie: 'ministere', communes: ['93010'], fin: '31/12/2035' },
    { n: 1, reservataire: 'Mutuelle du Rail', categorie: 'employeur', communes: ['93048'], fin: '31/12/2045' },
    { n: 101, reservataire: '', categorie: '', communes: ['93048', '93055', '93010'] },
    { n: 1, reservataire: '', categorie: '', communes: ['93055'], motif: 'vente' },
    { n: autre, reservataire: '', categorie: '', communes: ['93010'], motif: 'autre' },
  ];
  const lines = ['rpls;bailleur;commune;typologie;financement;qpv;reservataire;categorie;type_droit;date_fin;hors_assiette'];
  let k = 0;
  for (const g of groups) {
    for (let i = 0; i < g.n; i++, k++) {
      const droit = g.reservataire ? 'suite' : '';
      lines.push([`P${String(k + 1).padStart(4, '0')}`, 'Habitat Test', g.communes[i % g.communes.length],
        `T${1 + (k % 5)}`, ['PLUS', 'PLAI', 'PLS'][k % 3], k % 4 === 0 ? 'oui' : 'non',
        g.reservataire, g.categorie, droit, g.fin ?? '', g.motif ?? ''].join(';'));
    }
  }
  const file = join(tempDir('flux-parc-'), nom);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/**
 * Runs `flux suivi ETAT MOUVEMENTS… [--parametres P] --sortie DIR` (SPEC §7). Returns the output
 * directory and readers of its files (`suivi.csv`, `bilan.xlsx` and one per réservataire,
 * `objectifs_n1.csv`, `rejets.csv`).
 */
export function fluxSuivi(etat, mouvements, params) {
  const dir = tempDir('flux-suivi-');
  const args = ['suivi', etat, ...mouvements];
  if (params !== undefined) {
    const p = join(dir, 'parametres-entree.json');
    writeFileSync(p, JSON.stringify(params));
    args.push('--parametres', p);
  }
  execFileSync(CLI, [...args, '--sortie', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  const text = (name) => readFileSync(join(dir, name), 'utf8');
  return { dir, text, bytes: (name) => readFileSync(join(dir, name)), csv: (name) => parseCsv(text(name)) };
}

/**
 * Runs `flux orienter ETAT MOUVEMENTS|- VACANTS [--parametres P] --sortie DIR` (SPEC §8). Returns
 * the output directory and readers of its files (`orientations.csv`, `attentes.csv`,
 * `rejets.csv`, `avertissements.csv`, …).
 */
export function fluxOrienter(etat, mouvements, vacants, params) {
  const dir = tempDir('flux-orienter-');
  const args = ['orienter', etat, mouvements ?? '-', vacants];
  if (params !== undefined) {
    const p = join(dir, 'parametres-entree.json');
    writeFileSync(p, JSON.stringify(params));
    args.push('--parametres', p);
  }
  execFileSync(CLI, [...args, '--sortie', dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  const text = (name) => readFileSync(join(dir, name), 'utf8');
  return { dir, text, bytes: (name) => readFileSync(join(dir, name)), csv: (name) => parseCsv(text(name)) };
}

/** Communes whose `colonne` the command line's `communes.csv` masks (« s »), sorted. */
export function communesMasquees(sortie, colonne = 'reserves_commune') {
  return sortie.csv('communes.csv').filter((l) => l[colonne] === 's').map((l) => l.commune).sort();
}

/** « s » cells of the command line's three communal CSVs. */
export function casesMasquees(sortie) {
  return ['communes.csv', 'epci.csv', 'departements.csv']
    .map((f) => sortie.csv(f).flatMap((l) => Object.values(l)).filter((v) => v === 's').length)
    .reduce((a, b) => a + b, 0);
}
