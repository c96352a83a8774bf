// « Étalement » (SPEC §4.5, §4.9 v2): calendar years from the year of `date_conversion`, whole
// logements per party and year, the flux of each year (F_k, with mises en service), and the named
// years of the parties under one logement a year — each compared with the `flux` command line run
// on the same file and parameters (etalement.csv, synthese.json).
import assert from 'node:assert/strict';
import { appTest, DEMO, eventually, fr, libelle, num } from './app.mjs';
import { csvNum, flux, petitParc } from './cli.mjs';

/**
 * What the Étalement table of perimeter `per` must show, from etalement.csv: years in order, and
 * per year the whole logements per party (in the order of `per.parts`), their total and Σ exacts.
 */
function expectedGrid(cli, per) {
  const col = new Map(per.parts.map((p, j) => [`${p.reservataire}|${p.categorie}`, j]));
  const years = new Map();
  for (const r of cli.csv('etalement.csv')) {
    if (r.bailleur !== per.bailleur || r.departement !== per.departement) continue;
    const y = Number(r.annee);
    if (!years.has(y)) years.set(y, { offerts: per.parts.map(() => 0), exacts: 0 });
    const j = col.get(`${r.reservataire}|${r.categorie}`);
    assert.notEqual(j, undefined, `etalement.csv party ${r.reservataire} (${r.categorie}) not in synthese.json`);
    years.get(y).offerts[j] += csvNum(r.logements_offerts);
    years.get(y).exacts += csvNum(r.logements_exacts);
  }
  return [...years.entries()].sort((a, b) => a[0] - b[0]).map(([annee, v]) => ({ annee, ...v }));
}

/** A cell of whole logements (`d` = 0) or of fractional ones (`arrondi = aucun`, `d` = 2). */
function sameLogements(cell, x, d, what) {
  if (d === 0) assert.equal(cell, fr(x, 0).replace(/\u202f/g, ' '), what);
  else assert.ok(Math.abs(num(cell) - x) <= 0.5 * 10 ** -d + 0.0005 + 1e-9 && /,\d\d$/.test(cell), `${what}: page ${cell}, CSV ${x}`);
}

/** The Étalement table of the page equals etalement.csv for `per` (retried while it re-renders). */
async function expectEtalementTable(app, cli, per, { decimals = 0 } = {}) {
  const grid = expectedGrid(cli, per);
  assert.ok(grid.length >= 1, 'the CLI wrote étalement rows');
  const t = await eventually(async () => {
    const t = await app.table('[data-testid=etalement] table');
    assert.deepEqual(t.headers, ['Année', 'Flux de l\'année', ...per.parts.map(libelle), 'Total']);
    assert.deepEqual(t.rows.map((r) => Number(r[0])), grid.map((g) => g.annee), 'years of the table');
    grid.forEach((g, k) => {
      const row = t.rows[k];
      assert.equal(row.length, g.offerts.length + 3);
      g.offerts.forEach((x, j) => sameLogements(row[j + 2], x, decimals, `${per.parts[j].reservataire} in ${g.annee}`));
      sameLogements(row.at(-1), g.offerts.reduce((a, b) => a + b, 0), decimals, `total of ${g.annee}`);
      assert.ok(Math.abs(num(row[1]) - g.exacts) <= 0.05 + 1e-6, `flux of ${g.annee}: page ${row[1]}, Σ logements_exacts ${g.exacts}`);
      assert.match(row[1], /^\d[\d ]*,\d$/, 'one decimal');
    });
    return t;
  }, { message: `Étalement table of ${per.bailleur} (${per.departement})` });
  return { t, grid };
}

appTest('calendar years from the year of date_conversion; whole logements equal etalement.csv', async (app) => {
  await app.goto({ page: 'parametres' });
  // A conversion in the middle of a year: its calendar year is still A_1.
  await app.page.fill('#date-conversion', '2027-07-01');
  const params = await app.paramsWhere((p) => p.date_conversion === '2027-07-01');
  const cli = flux(DEMO, params);
  assert.equal(cli.synthese.premiere_annee, 2027);
  await app.open('etalement');
  await app.expectText(app.page.getByTestId('arrondi'), 'Arrondi : cumul arrondi (le bailleur absorbe l\'arrondi).');
  const perimetres = cli.synthese.perimetres;
  assert.equal(await app.perimetre.locator('option').count(), perimetres.length);
  for (const [i, per] of perimetres.entries()) {
    await app.choosePerimetre(i, per);
    const { grid } = await expectEtalementTable(app, cli, per);
    assert.equal(grid[0].annee, 2027, 'A_1 is the year of date_conversion');
    grid.forEach((g, k) => assert.equal(g.annee, 2027 + k, 'consecutive calendar years'));
  }
  await app.screenshot('etalement-demo');
});

appTest('named years of the small parties equal annees_nommees of synthese.json', async (app) => {
  const file = petitParc();
  await app.goto();
  await app.upload(file);
  const cli = flux(file, await app.params());
  const per = cli.synthese.perimetres[0];
  await app.open('etalement');
  await expectEtalementTable(app, cli, per);
  // Every party other than the bailleur with less than one logement a year is listed, with the
  // calendar years in which it receives a whole logement.
  const small = per.parts.filter((p) => p.categorie !== 'bailleur' && p.part > 0 && p.logements_par_an < 1);
  assert.ok(small.some((p) => p.reservataire === 'Mutuelle du Rail'), 'the fixture has a small réservataire');
  assert.ok(per.parts.filter((p) => !small.includes(p)).every((p) => p.annees_nommees.length === 0),
    'only small parties have named years');
  assert.deepEqual(await app.expectNamedYears(per), small);
  // Under `cumul` (the default), a named year is a year in which etalement.csv gives that party a
  // whole logement.
  const grid = expectedGrid(cli, per);
  for (const p of small) {
    const j = per.parts.indexOf(p);
    assert.deepEqual(grid.filter((g) => g.offerts[j] >= 1).map((g) => g.annee), p.annees_nommees, p.reservataire);
  }
  assert.equal(await app.anneesNommees.locator('.fr-badge').count(), 0, 'nobody « noyé dans le flux » under cumul');
  await app.screenshot('etalement-annees-nommees');
});

appTest('a cohort of mises en service raises the flux of the year from A_3, as the CLI computes it', async (app) => {
  await app.goto({ page: 'parametres' });
  const params0 = await app.params();
  const y = Number(params0.date_conversion.slice(0, 4));
  await app.page.click('[data-testid=ajouter-cohorte]');
  await eventually(async () => assert.equal(await app.page.inputValue('#cohorte-0-annee'), String(y + 1)),
    { message: 'a new cohort is for the year after the conversion' });
  await app.setNumber('#cohorte-0-logements', 500);
  const params = await app.paramsWhere((p) => JSON.stringify(p.mises_en_service) === JSON.stringify([{ annee: y + 1, logements: 500 }]),
    'mises_en_service in the URL');
  await app.screenshot('parametres-cohorte');
  const cli = flux(DEMO, params);
  await app.open('etalement');
  for (const [i, per] of cli.synthese.perimetres.entries()) {
    await app.choosePerimetre(i, per);
    const { t, grid } = await expectEtalementTable(app, cli, per);
    const f = t.rows.map((r) => num(r[1]));
    // Delivered in A_2, let in stock that year, in the flux from A_3 at the perimeter's mean rate.
    assert.equal(grid[0].annee, y);
    assert.ok(Math.abs(f[0] - per.flux_annuel) <= 0.05 + 1e-6, `F_1 = flux_annuel (${f[0]} vs ${per.flux_annuel})`);
    assert.equal(f[1], f[0], 'F_2 = F_1: new logements are let in stock the year they are delivered');
    assert.ok(f[2] > f[1], `F_3 > F_2 (${f[2]} vs ${f[1]})`);
    assert.ok(f.slice(2).every((x) => x === f[2]), 'constant from A_3 on');
  }
  await app.screenshot('etalement-mises-en-service');
  // The yearly flux of the convention (F_1) is unchanged on « Conversion et parts ».
  await app.open('parts');
  await app.expectText(app.page.getByTestId('flux'), fr(cli.synthese.perimetres[0].flux_annuel, 1));
});

appTest('without rounding (« Aucun »), the table shows the exact logements of etalement.csv', async (app) => {
  const file = petitParc();
  await app.goto();
  await app.upload(file);
  await app.open('parametres');
  await app.check('arrondi-3');
  const params = await app.paramsWhere((p) => p.arrondi === 'aucun');
  const cli = flux(file, params);
  const per = cli.synthese.perimetres[0];
  await app.open('etalement');
  await app.expectText(app.page.getByTestId('arrondi'), 'Arrondi : aucun (logements fractionnaires).');
  await expectEtalementTable(app, cli, per, { decimals: 2 });
  // Named years do not depend on a rounding the user turned off: those of `cumul`.
  await app.expectNamedYears(per);
  const cumul = flux(file, { ...params, arrondi: 'cumul' }).synthese.perimetres[0];
  assert.deepEqual(per.parts.map((p) => p.annees_nommees), cumul.parts.map((p) => p.annees_nommees));
});
