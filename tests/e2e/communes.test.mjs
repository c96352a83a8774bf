// The communal view shared with every réservataire: totals equal the detailed ones, publication
// mode shows the engine's statistical-secrecy mask (the « s » cells and their counts are the command
// line's), it never shows an RPLS identifier, exports download.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { appTest, DEMO, eventually, num, squash } from './app.mjs';
import { flux } from './cli.mjs';

const rows = (app) => app.page.locator('[data-testid=vue-communale] tbody tr');

/** The « s » cells of a CSV read by `parseCsv`. */
const masked = (table) => table.reduce((n, r) => n + Object.values(r).filter((c) => c === 's').length, 0);

/** The number before `label` in the secrecy note (« 1 234 cases masquées » → 1234). */
const countIn = (text, re) => {
  const m = squash(text).match(re);
  assert.ok(m, `${re} in ${text}`);
  return num(m[1]);
};

appTest('per-département totals equal the assiette page totals, and no RPLS id is shown', async (app) => {
  await app.goto({ page: 'assiette' });
  const logements = num(await app.expectText(app.page.getByTestId('total-logements'), /^\d[\d ]*$/));
  await app.open('communes');
  await app.check('publication'); // detailed mode: exact counts
  await app.expectText(app.page.getByTestId('mode-detaille'), /effectifs exacts/);
  await app.check('niveau-départements');
  await eventually(async () => {
    const cells = await app.page.locator('[data-testid=vue-communale] tbody tr td:nth-child(3)').allTextContents();
    assert.equal(cells.map(num).reduce((a, b) => a + b, 0), logements);
    assert.equal(await app.page.locator('[data-testid=vue-communale] td.secret').count(), 0, 'nothing masked');
  });
  // No RPLS identifier of the file appears anywhere on the page.
  const ids = readFileSync(DEMO, 'utf8').split('\n').slice(1, 400).map((l) => l.split(';')[0]).filter(Boolean);
  const html = await app.page.content();
  assert.ok(ids.every((id) => !html.includes(id)), 'an RPLS id leaked into the communal view');
});

appTest('publication mode shows the command line\'s mask: the same « s » cells, and their counts', async (app) => {
  await app.goto({ page: 'communes' });
  const cli = flux(DEMO, await app.params());
  const tables = { communes: cli.csv('communes.csv'), epci: cli.csv('epci.csv'), departements: cli.csv('departements.csv') };
  const parNiveau = Object.fromEntries(Object.entries(tables).map(([k, t]) => [k, masked(t)]));
  const total = parNiveau.communes + parNiveau.epci + parNiveau.departements;
  assert.ok(parNiveau.communes > 0 && parNiveau.departements > 0, JSON.stringify(parNiveau));
  // The counts said by the page are the « s » cells of the CLI's three files.
  const note = app.page.getByTestId('secret-statistique');
  const said = await app.expectText(app.page.getByTestId('secret-total'), /cases masquées sur l'ensemble des tableaux publiés/);
  assert.equal(countIn(said, /^([\d ]+) cases masquées/), total);
  assert.equal(countIn(said, /communes : ([\d ]+) ;/), parNiveau.communes);
  assert.equal(countIn(said, /EPCI \/ EPT : ([\d ]+) ;/), parNiveau.epci);
  assert.equal(countIn(said, /départements : ([\d ]+)\)/), parNiveau.departements);
  const parts = ['primaires', 'derivees', 'complementaires'].map(async (k) => countIn(await note.getByTestId(`secret-${k}`).textContent(), /^([\d ]+) /));
  const [primaires, derivees, complementaires] = await Promise.all(parts);
  assert.ok(primaires > 0 && derivees > 0 && complementaires > 0, `${primaires} ${derivees} ${complementaires}`);
  assert.equal(primaires + derivees + complementaires, total);
  assert.match(squash(await note.textContent()), /« s » : secret statistique\. Les effectifs de 1 à 4 logements/);

  // Each table, page 1 of the reserved logements: « s » exactly where the CLI's file has it, the
  // other counts equal; a masked cell is read out « secret statistique ».
  await app.page.selectOption('#colonnes', { label: 'Logements réservés' });
  const categories = Object.keys(tables.communes[0]).filter((h) => h.startsWith('reserves_'));
  for (const [niveau, id, premiere] of [['communes', 'niveau-communes', 'commune'], ['epci', 'niveau-epciept', 'code'], ['departements', 'niveau-départements', 'code']]) {
    await app.check(id);
    const parCode = new Map(tables[niveau].map((r) => [r[premiere], r]));
    await eventually(async () => {
      const shown = await rows(app).evaluateAll((trs) => trs.map((tr) => ({
        code: tr.dataset.code,
        cells: [...tr.querySelectorAll('td.nombre')].slice(1).map((td) => (td.classList.contains('secret') ? 's' : td.textContent)),
        names: [...tr.querySelectorAll('td.secret')].map((td) => td.textContent),
      })));
      assert.ok(shown.length > 0);
      for (const r of shown) {
        const ref = parCode.get(r.code);
        assert.ok(ref, `${niveau} ${r.code} not in the CLI's file`);
        assert.deepEqual(r.cells.map((c) => (c === 's' ? 's' : num(c))), categories.map((h) => (ref[h] === 's' ? 's' : num(ref[h]))), `${niveau} ${r.code}`);
        assert.ok(r.names.every((t) => t === 'ssecret statistique'), r.names.join('|'));
      }
      if (niveau === 'communes') assert.ok(shown.some((r) => r.cells.includes('s')), 'page 1 has masked cells');
    }, { message: niveau });
  }
  await app.check('niveau-communes');
  await app.screenshot('vue-communale');
});

appTest('search and EPCI filter narrow the rows; the view downloads as CSV', async (app) => {
  await app.goto({ page: 'communes' });
  // Bondy (93010) is in the demo, in the EPT Est Ensemble.
  await app.page.fill('#recherche-commune', 'bondy');
  await eventually(async () => {
    const texts = await rows(app).allTextContents();
    assert.ok(texts.length === 1 && /^93010Bondy/.test(texts[0]), `rows: ${texts.join('|')}`);
  });
  await app.page.fill('#recherche-commune', '');
  // The EPCI/EPT filter keeps only that territory's communes.
  await app.page.selectOption('#filtre-epci', { label: 'Est Ensemble' });
  await eventually(async () => {
    const texts = await rows(app).allTextContents();
    assert.ok(texts.length >= 1 && texts.every((r) => /Est Ensemble/.test(r)), texts.join('|'));
  });
  await app.page.selectOption('#filtre-epci', { label: 'Tous' });
  await eventually(async () => assert.ok(!(await rows(app).allTextContents()).every((r) => /Est Ensemble/.test(r))));
  const { name, text: csv } = await app.download('exporter-communes-csv');
  assert.equal(name, 'vue-commune.csv');
  assert.ok(csv.startsWith('\ufeffcommune;nom;'), csv.slice(0, 60));
  assert.match(csv, /;s;/);
  assert.doesNotMatch(csv, /\d+\.\d+/, 'decimal comma, never a point');
  // Unfiltered, the publication view is the CLI's communes.csv, rows in the page's order.
  const cli = flux(DEMO, await app.params());
  const sorted = (t) => t.replace(/^\ufeff/, '').trimEnd().split('\r\n').slice(1).sort();
  assert.deepEqual(sorted(csv), sorted(cli.text('communes.csv')));
  assert.equal(csv.split('\r\n')[0], cli.text('communes.csv').split('\r\n')[0]);
});
