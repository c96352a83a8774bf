// Page object and harness shared by the end-to-end tests: serves dist/ on 127.0.0.1, launches
// Debian's headless Chromium through playwright-core, records console errors and every request.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { serve } from '../../scripts/static-server.mjs';

export const SCREENSHOTS = 'target/screenshots';

export async function openApp() {
  const { server, url } = await serve('dist', 0);
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
      '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  });
  const context = await browser.newContext({
    acceptDownloads: true, locale: 'fr-FR', viewport: { width: 1280, height: 800 },
  });
  const page = await context.newPage();
  const app = new AppPage(page, url);
  page.on('console', (m) => { if (m.type() === 'error') app.consoleErrors.push(m.text()); });
  page.on('pageerror', (e) => app.consoleErrors.push(String(e)));
  page.on('request', (r) => app.requests.push(r.url()));
  app.close = async () => { await browser.close(); server.close(); };
  return app;
}

export class AppPage {
  constructor(page, url) {
    this.page = page;
    this.url = url;
    this.consoleErrors = [];
    this.requests = [];
  }

  async goto() {
    await this.page.goto(this.url);
    await this.page.waitForSelector('h1');
  }

  /** The import counts line of the Données page, once a file is read. */
  async counts() {
    const c = this.page.getByTestId('comptes');
    await c.waitFor();
    return (await c.textContent()).trim();
  }

  /** Goes to a page through the main navigation. */
  async open(page) {
    await this.page.click(`nav a[data-page=${page}]`);
    await this.page.locator('main h1').waitFor();
  }

  /** Loads a file through the file picker and waits until it is read. */
  async upload(path) {
    await this.open('donnees');
    const before = await this.page.getByTestId('source').textContent().catch(() => '');
    await this.page.setInputFiles('#fichier', path);
    await this.page.waitForFunction((b) => {
      const s = document.querySelector('[data-testid=source]');
      return s && s.textContent !== b;
    }, before);
  }

  /** Text of a table cell of the shares table for a party. */
  async share(party) {
    return (await this.page.locator(`tr[data-partie="${party}"] .part`).textContent()).trim();
  }

  /** Requests that left the loopback interface (there must be none). */
  externalRequests() {
    return this.requests.filter((u) => !/^(https?:\/\/127\.0\.0\.1[:/]|data:|blob:)/.test(u));
  }

  async screenshot(name) {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const path = `${SCREENSHOTS}/${name}.png`;
    await this.page.screenshot({ path, fullPage: true });
    return path;
  }
}
