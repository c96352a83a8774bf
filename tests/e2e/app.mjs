// Harness and page object of the end-to-end tests.
//
// One static server (dist/ on 127.0.0.1) and one headless Chromium per test file, started with
// the first test; **one fresh browser context per test** (fresh localStorage, fresh URL, its own
// downloads), so that no test depends on what another one left behind. Every test sets up what it
// needs itself (file, parameters, page) through the page object below, written in the style of
// the Leptos `counters` example (locators and actions in one class, assertions in the tests).
//
// After each test the harness checks that no request left 127.0.0.1 and that no console error
// occurred (a test that provokes one on purpose takes it with `app.takeConsoleErrors()`).
//
// playwright-core has no `expect`: `eventually()` and `app.expectText()` retry an assertion until
// it holds or a timeout passes, and are used after every action that re-renders the page.
import { test as nodeTest, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { inflateRawSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { serve } from '../../scripts/static-server.mjs';

export const SCREENSHOTS = 'target/screenshots';
export const DEMO = 'public/demo/etat-des-lieux-demo.csv';
export const DEMO_NOM = 'etat-des-lieux-demo.csv';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'];
const LOOPBACK = /^(https?:\/\/127\.0\.0\.1[:/]|data:|blob:)/;
const DEFAULT_TIMEOUT = 10_000;

// ---------------------------------------------------------------------------------------------
// Retrying assertions

/**
 * Runs `check` until it returns without throwing (its value is returned), or fails after
 * `timeout` ms with the last assertion error, prefixed by `message` and the time waited.
 */
export async function eventually(check, { timeout = DEFAULT_TIMEOUT, interval = 50, message } = {}) {
  const start = Date.now();
  let last;
  for (let attempt = 0; ; attempt++) {
    try {
      return await check();
    } catch (e) {
      last = e;
    }
    if (Date.now() - start >= timeout) break;
    await new Promise((ok) => setTimeout(ok, Math.min(interval * 2 ** Math.min(attempt, 4), 500)));
  }
  const prefix = `${message ? `${message}: ` : ''}still failing after ${Date.now() - start} ms`;
  if (last instanceof assert.AssertionError) {
    last.message = `${prefix}\n${last.message}`;
    throw last;
  }
  throw new Error(`${prefix}: ${last?.stack ?? last}`);
}

/** Whitespace of French numbers (U+202F, U+00A0) and line breaks folded to one plain space. */
export const squash = (t) => (t ?? '').replace(/[\s\u202f\u00a0]+/g, ' ').trim();

/** A French number as shown by the app (« 1 234,5 », « 12,50 % ») → Number. */
export const num = (t) => Number(String(t).replace(/[\s\u202f\u00a0%]/g, '').replace(',', '.'));

/** A number as the app shows it: `Intl.NumberFormat('fr-FR')` with `d` decimals. */
export const fr = (x, d = 0) => x.toLocaleString('fr-FR', { minimumFractionDigits: d, maximumFractionDigits: d });

/** A fraction as the app shows it in percent (U+00A0 before %). */
export const pct = (x, d = 2) => `${fr(x * 100, d)}\u00a0%`;

// ---------------------------------------------------------------------------------------------
// One browser and one server per test file, one context per test

let shared = null;
let hooked = false;

/** Starts the static server and Chromium (used by the tests once per file, and by the benchmark). */
export async function launch({ args = [] } = {}) {
  const { server, url } = await serve('dist', 0);
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: [...CHROMIUM_ARGS, ...args] });
  return {
    url,
    browser,
    close: async () => { await browser.close(); server.close(); },
  };
}

function sharedBrowser() {
  shared ??= launch();
  return shared;
}

/**
 * A test that gets a fresh `AppPage` (new browser context, nothing loaded yet: call `app.goto()`).
 * Same signature as `node:test`'s `test(name, [options], fn)`; `fn(app, t)`.
 */
export function appTest(name, options, fn) {
  if (typeof options === 'function') [options, fn] = [{}, options];
  if (!hooked) {
    hooked = true;
    after(async () => { if (shared) await (await shared).close(); });
  }
  return nodeTest(name, options, async (t) => {
    const { browser, url } = await sharedBrowser();
    const context = await browser.newContext({
      acceptDownloads: true, locale: 'fr-FR', viewport: { width: 1280, height: 800 },
    });
    const app = new AppPage(context, url);
    try {
      app.page = await context.newPage();
      await fn(app, t);
      assert.deepEqual(app.externalRequests(), [], 'no request may leave 127.0.0.1');
      assert.deepEqual(app.consoleErrors, [], 'no console error');
    } catch (e) {
      if (app.page && !app.page.isClosed()) await app.screenshot(`echec-${slug(name)}`).catch(() => {});
      if (app.consoleErrors.length && e instanceof Error) e.message += `\nconsole errors: ${app.consoleErrors.join(' | ')}`;
      throw e;
    } finally {
      for (const c of app.others) await c.close();
      await context.close();
    }
  });
}

const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const slug = (s) => s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').slice(0, 60);

// ---------------------------------------------------------------------------------------------
// Page object

export class AppPage {
  constructor(context, url) {
    this.context = context;
    this.url = url;
    this.consoleErrors = [];
    this.requests = [];
    this.others = [];
    this.watch(context);
  }

  /** Records console errors and requests of every page of `context` (a second tab too). */
  watch(context) {
    context.on('page', (p) => {
      p.on('console', (m) => { if (m.type() === 'error') this.consoleErrors.push(m.text()); });
      p.on('pageerror', (e) => this.consoleErrors.push(String(e)));
    });
    context.on('request', (r) => this.requests.push(r.url()));
  }

  /**
   * Opens `url` in a second, fresh context (another browser profile: empty localStorage), watched
   * like the first; returns its page. It is closed with the test.
   */
  async openElsewhere(url) {
    const other = await this.context.browser().newContext({ locale: 'fr-FR', viewport: { width: 1280, height: 800 } });
    this.watch(other);
    this.others.push(other);
    const page = await other.newPage();
    await page.goto(url);
    return page;
  }

  // Locators ----------------------------------------------------------------------------------

  get source() { return this.page.getByTestId('source'); }
  get comptes() { return this.page.getByTestId('comptes'); }
  get heading() { return this.page.locator('main h1'); }
  get currentNav() { return this.page.locator('nav [aria-current=page]'); }
  get alertes() { return this.page.getByTestId('alertes'); }
  get alertesParametres() { return this.page.getByTestId('alertes-parametres'); }
  get anneesNommees() { return this.page.getByTestId('annees-nommees'); }
  get perimetre() { return this.page.locator('#perimetre'); }

  // Navigation --------------------------------------------------------------------------------

  /**
   * Opens the app at `#page` with `parametres` in the URL (as a shared link does), and waits
   * until the demo état des lieux is loaded (so that a file given next never races with it).
   */
  async goto({ page, parametres, demo = true } = {}) {
    const query = parametres ? `?parametres=${encodeURIComponent(JSON.stringify(parametres))}` : '';
    await this.page.goto(`${this.url}${query}${page ? `#${page}` : ''}`);
    await this.heading.waitFor();
    if (demo) await this.waitForSource(DEMO_NOM);
  }

  /** Goes to a page through the main navigation (`donnees`, `parametres`, `parts`, …). */
  async open(page) {
    await this.page.click(`nav a[data-page=${page}]`);
    await this.page.locator(`nav a[data-page=${page}][aria-current=page]`).waitFor();
    await this.heading.waitFor();
  }

  /** Waits until the results come from the file named `name` (read or failed). */
  async waitForSource(name, timeout = 30_000) {
    await this.expectText(this.source, new RegExp(`^Fichier : ${escapeRe(name)}( —|$)`), { timeout });
  }

  /** Loads a file through the file picker of « Données » and waits until it is read. */
  async upload(path, { timeout = 30_000 } = {}) {
    await this.open('donnees');
    await this.page.setInputFiles('#fichier', path);
    await this.waitForSource(basename(path), timeout);
    await this.page.locator('[data-testid=comptes], [data-testid=lecture-echec]').first().waitFor({ timeout });
  }

  /** The import counts line of « Données », once a file is read. */
  async counts() {
    await this.comptes.waitFor();
    return squash(await this.comptes.textContent());
  }

  /** Chooses the convention perimeter (index in `synthese.json`'s `perimetres`). */
  async choosePerimetre(i, per) {
    await this.perimetre.selectOption(String(i));
    if (per) {
      // Both result pages title their chart « … — BAILLEUR (DÉPARTEMENT) ».
      await this.expectText(this.page.locator('main figure figcaption').first(), new RegExp(`— ${escapeRe(per.bailleur)} \\(${per.departement}\\)$`));
    }
  }

  // Parameters --------------------------------------------------------------------------------

  /** The parameters the page runs with, read from its URL (`?parametres=…`). */
  async params() {
    return eventually(() => {
      const json = new URL(this.page.url()).searchParams.get('parametres');
      assert.ok(json, `no parameters in ${this.page.url()}`);
      return JSON.parse(json);
    });
  }

  /** Waits until the parameters of the URL satisfy `check(params)`, and returns them. */
  async paramsWhere(check, message) {
    return eventually(async () => {
      const p = await this.params();
      assert.ok(check(p), `${message ?? 'parameters'}: ${JSON.stringify(p)}`);
      return p;
    });
  }

  /** Imports a parameters JSON through the file input of « Paramètres ». */
  async importParams(json) {
    await this.open('parametres');
    const dir = mkdtempSync(join(tmpdir(), 'flux-params-'));
    const file = join(dir, 'parametres.json');
    writeFileSync(file, typeof json === 'string' ? json : JSON.stringify(json));
    await this.page.setInputFiles('#importer-parametres', file);
    await this.expectText(this.page.locator('[role=status]'), 'Paramètres importés.');
    return file;
  }

  /** Sets a number input and commits it (`change` fires on blur). */
  async setNumber(selector, value) {
    await this.page.fill(selector, String(value));
    await this.page.press(selector, 'Tab');
  }

  /** Clicks the label of a radio button or checkbox (DSFR hides the input itself). */
  async check(id) {
    await this.page.click(`label[for="${id}"]`);
  }

  // Reading -----------------------------------------------------------------------------------

  /** Text of the share cell of a party in the parts table. */
  async share(party) {
    return squash(await this.page.locator(`[data-testid=parts] tr[data-partie="${party}"] .part`).textContent());
  }

  /** A table as text: `{ headers: [...], rows: [[th/td texts…], …] }` (whitespace squashed). */
  async table(locator) {
    const loc = typeof locator === 'string' ? this.page.locator(locator) : locator;
    await loc.first().waitFor({ timeout: 2000 });
    return loc.first().evaluate((t) => {
      const text = (c) => c.textContent.replace(/[\s\u202f\u00a0]+/g, ' ').trim();
      return {
        headers: [...t.querySelectorAll('thead th')].map(text),
        rows: [...t.querySelectorAll('tbody tr')].map((r) => [...r.querySelectorAll('th, td')].map(text)),
      };
    });
  }

  /**
   * Retries until the « Années nommées » callout of « Étalement » lists exactly the parties of
   * `per` (synthese.json) under one logement a year, each with its `annees_nommees`.
   */
  async expectNamedYears(per) {
    const small = per.parts.filter((p) => p.categorie !== 'bailleur' && p.part > 0 && p.logements_par_an < 1);
    await eventually(async () => {
      const items = await this.anneesNommees.locator('li[data-partie]')
        .evaluateAll((ls) => ls.map((l) => {
          const c = l.cloneNode(true);
          c.querySelectorAll('.fr-badge').forEach((b) => b.remove()); // « noyé dans le flux »
          return [l.dataset.partie, c.textContent];
        }));
      assert.deepEqual(items.map((x) => x[0]), small.map((p) => p.reservataire), 'parties listed');
      items.forEach(([, text], k) => {
        const p = small[k];
        const years = p.annees_nommees.length ? p.annees_nommees.join(', ') : 'aucune année avec un logement entier';
        assert.equal(squash(text), `${libelle(p)} : ${years}`, `named years of ${p.reservataire}`);
      });
    }, { message: `named years of ${per.bailleur} (${per.departement})` });
    return small;
  }

  /** Requests that left the loopback interface (there must be none). */
  externalRequests() {
    return this.requests.filter((u) => !LOOPBACK.test(u));
  }

  /** Console errors so far, forgotten (for a test that provokes one on purpose). */
  takeConsoleErrors() {
    return this.consoleErrors.splice(0);
  }

  // Assertions --------------------------------------------------------------------------------

  /**
   * Retries until the text of `locator` (whitespace squashed) equals `expected` (a string) or
   * matches it (a RegExp).
   */
  async expectText(locator, expected, { timeout = DEFAULT_TIMEOUT } = {}) {
    const loc = typeof locator === 'string' ? this.page.locator(locator) : locator;
    return eventually(async () => {
      const actual = squash(await loc.textContent({ timeout: 1000 }));
      if (expected instanceof RegExp) assert.match(actual, expected);
      else assert.equal(actual, squash(expected));
      return actual;
    }, { timeout, message: `text of ${loc}` });
  }

  /** Retries until the value of an input is `expected`. */
  async expectValue(locator, expected, { timeout = DEFAULT_TIMEOUT } = {}) {
    const loc = typeof locator === 'string' ? this.page.locator(locator) : locator;
    return eventually(async () => assert.equal(await loc.inputValue({ timeout: 1000 }), expected),
      { timeout, message: `value of ${loc}` });
  }

  /** Retries until `locator` matches `n` elements. */
  async expectCount(locator, n, { timeout = DEFAULT_TIMEOUT } = {}) {
    const loc = typeof locator === 'string' ? this.page.locator(locator) : locator;
    await eventually(async () => assert.equal(await loc.count(), n), { timeout, message: `count of ${loc}` });
  }

  // Files -------------------------------------------------------------------------------------

  /** Clicks a button that downloads a file; returns its suggested name, bytes and text. */
  async download(testid) {
    const [d] = await Promise.all([this.page.waitForEvent('download'), this.page.click(`[data-testid=${testid}]`)]);
    const bytes = readFileSync(await d.path());
    return { name: d.suggestedFilename(), bytes, text: bytes.toString('utf8') };
  }

  async screenshot(name) {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const path = `${SCREENSHOTS}/${name}.png`;
    await this.page.screenshot({ path, fullPage: true });
    return path;
  }
}

/** How the app names a party of `synthese.json` (État parties by their category, the bailleur marked). */
export function libelle(part) {
  if (part.categorie === 'etat_prioritaires') return 'État — prioritaires';
  if (part.categorie === 'etat_agents') return 'État — agents';
  if (part.categorie === 'bailleur') return `${part.reservataire} (bailleur)`;
  return part.reservataire;
}

// ---------------------------------------------------------------------------------------------
// Workbooks read back in Node (no dependency): the cells of every sheet of an XLSX file

/** The entries of a ZIP archive: name → bytes (stored or deflated entries). */
export function unzip(buf) {
  let eocd = buf.length - 22;
  while (eocd >= 0 && buf.readUInt32LE(eocd) !== 0x06054b50) eocd--;
  assert.ok(eocd >= 0, 'not a ZIP archive');
  const n = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const entries = new Map();
  for (let k = 0; k < n; k++) {
    assert.equal(buf.readUInt32LE(p), 0x02014b50, 'central directory');
    const method = buf.readUInt16LE(p + 10);
    const size = buf.readUInt32LE(p + 20);
    const nameLen = buf.readUInt16LE(p + 28);
    const extra = buf.readUInt16LE(p + 30);
    const comment = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.toString('utf8', p + 46, p + 46 + nameLen);
    const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
    const data = buf.subarray(start, start + size);
    entries.set(name, method === 8 ? inflateRawSync(data) : Buffer.from(data));
    p += 46 + nameLen + extra + comment;
  }
  return entries;
}

const xmlText = (s) => s.replace(/&(#x?[0-9a-f]+|amp|lt|gt|quot|apos);/gi, (_, e) => {
  const named = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" }[e.toLowerCase()];
  if (named) return named;
  return String.fromCodePoint(e[1].toLowerCase() === 'x' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
});

/**
 * The cells of an XLSX workbook: `{ sheetName: [[cell, …], …] }` in sheet order, each cell a
 * string (shared or inline) or a number, `null` for an empty cell.
 */
export function readXlsx(buf) {
  const z = unzip(buf);
  const text = (name) => z.get(name)?.toString('utf8') ?? '';
  const shared = [...text('xl/sharedStrings.xml').matchAll(/<si>([\s\S]*?)<\/si>/g)]
    .map((m) => xmlText([...m[1].matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((t) => t[1]).join('')));
  const rels = new Map([...text('xl/_rels/workbook.xml.rels').matchAll(/<Relationship [^>]*>/g)].map((m) => [
    m[0].match(/Id="([^"]+)"/)[1], m[0].match(/Target="([^"]+)"/)[1].replace(/^\/?(xl\/)?/, 'xl/'),
  ]));
  const col = (ref) => [...ref.replace(/\d+$/, '')].reduce((n, c) => n * 26 + c.charCodeAt(0) - 64, 0) - 1;
  const sheets = {};
  for (const m of text('xl/workbook.xml').matchAll(/<sheet [^>]*>/g)) {
    const name = xmlText(m[0].match(/name="([^"]*)"/)[1]);
    const rows = [];
    const xml = text(rels.get(m[0].match(/r:id="([^"]+)"/)[1]));
    for (const r of xml.matchAll(/<row [^>]*?r="(\d+)"[^>]*>([\s\S]*?)<\/row>/g)) {
      const row = [];
      for (const c of r[2].matchAll(/<c ([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
        const ref = c[1].match(/r="([A-Z]+\d+)"/)[1];
        const type = c[1].match(/t="(\w+)"/)?.[1];
        const v = c[2]?.match(/<v>([\s\S]*?)<\/v>/)?.[1];
        let value = null;
        if (type === 's') value = shared[Number(v)];
        else if (type === 'inlineStr') value = xmlText([...(c[2] ?? '').matchAll(/<t[^>]*>([\s\S]*?)<\/t>/g)].map((t) => t[1]).join(''));
        else if (type === 'str' || type === 'b') value = v === undefined ? null : xmlText(v);
        else if (v !== undefined) value = Number(v);
        row[col(ref)] = value;
      }
      rows[Number(r[1]) - 1] = Array.from(row, (x) => x ?? null);
    }
    sheets[name] = Array.from(rows, (x) => x ?? []);
  }
  return sheets;
}
