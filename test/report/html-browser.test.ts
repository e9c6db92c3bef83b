import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import type { ConformanceReport } from '../../src/report/model.ts';

/** Debian's Chromium, which CI installs (.ci/run); CHROMIUM_PATH points elsewhere. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

describe('report.html in a real headless browser', () => {
  let browser: Browser | undefined;
  let setup: Promise<{ dir: string; report: ConformanceReport; url: string; browser: Browser }> | undefined;

  /**
   * Runs the CLI against a faulty reference server and launches Chromium, once for all tests. Called from each
   * test rather than a hook, so that without a browser every test fails (a failing hook would show them skipped).
   */
  function prepare(): Promise<{ dir: string; report: ConformanceReport; url: string; browser: Browser }> {
    setup ??= (async () => {
      if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install chromium, as .ci/run does) or set CHROMIUM_PATH`);
      const dir = mkdtempSync(join(tmpdir(), 'conformance-html-browser-'));
      const code = await main(['run', '--provider', 'ionos-postgresql', '--fault', 'versions-500', '--examples', '3', '--seed', '5', '--report-dir', dir], { out: () => {}, err: () => {} });
      if (code !== 1) throw new Error(`the run against the faulty server exited ${code}, expected 1`);
      const report = JSON.parse(readFileSync(join(dir, 'conformance.json'), 'utf8')) as ConformanceReport;
      browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
      return { dir, report, url: pathToFileURL(join(dir, 'report.html')).href, browser };
    })();
    return setup;
  }

  afterAll(async () => {
    await browser?.close();
  });

  /** A page that records every request leaving file://, Content-Security-Policy violations and script errors. */
  async function open(javaScriptEnabled = true): Promise<{ page: Page; network: string[]; errors: string[]; dir: string; report: ConformanceReport }> {
    const { browser, url, dir, report } = await prepare();
    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 }, javaScriptEnabled });
    const page = await context.newPage();
    const network: string[] = [];
    const errors: string[] = [];
    await page.route('**/*', (route) => {
      const target = route.request().url();
      if (target.startsWith('file:')) return route.continue();
      network.push(target);
      return route.abort();
    });
    page.on('request', (request) => {
      if (!request.url().startsWith('file:')) network.push(request.url());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    await page.addInitScript(() => document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.blockedURI}`)));
    await page.goto(url);
    return { page, network, errors, dir, report };
  }

  it('renders the verdict, one matrix row per operation, and sends nothing over the network', async () => {
    const { page, network, errors, report } = await open();
    expect(await page.title()).toBe('Conformance: ionos-postgresql — FAIL');
    await expect.poll(() => page.locator('h1 .verdict').first().textContent()).toBe('FAIL');
    expect(report.summary.operations).toBeGreaterThan(20);
    expect(await page.locator('table.matrix tbody tr').count()).toBe(report.summary.operations);
    expect(await page.locator('table.matrix tbody td.failed').count()).toBe(report.summary.failed);
    expect(await page.locator('table.matrix thead th.check').count()).toBe(new Set(report.results.map((r) => r.check)).size);
    // The page's own script ran (copy buttons) without errors.
    expect(await page.locator('button.copy').count()).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    expect(network).toEqual([]);
    await page.context().close();
  });

  it('opens a failure on click: request, response and curl become visible; a screenshot shows the page', async () => {
    const { page, network, errors, report, dir } = await open();
    const result = report.results.find((r) => r.operationId === 'postgresVersionsGet' && r.check === 'not-a-server-error')!;
    const failure = result.failures[0]!;
    const details = page.locator(`#f-${failure.id}`);
    const request = details.locator('pre.http.request').first();
    const response = details.locator('pre.http.response').first();
    const curl = details.locator('pre.curl').first();
    await expect.poll(() => request.isVisible()).toBe(false);
    await details.locator('summary').first().click();
    await expect.poll(() => details.getAttribute('open')).toBe('');
    expect(await request.isVisible()).toBe(true);
    expect(await response.isVisible()).toBe(true);
    expect(await curl.isVisible()).toBe(true);
    const requestText = await request.innerText();
    expect(requestText).toContain(`GET ${failure.request.url}`);
    expect(requestText).toContain('authorization: [REDACTED]');
    expect(await response.innerText()).toMatch(/^HTTP 500\n/);
    expect(await curl.innerText()).toBe(failure.curl);
    expect(failure.curl).toMatch(/^curl -sS -X GET '.*\/clusters\/postgresversions'/);

    // A failed cell of the matrix links to its failure and opens it.
    const other = report.results.find((r) => r.outcome === 'failed' && r.failures[0]!.id !== failure.id);
    if (other) {
      await page.locator(`table.matrix a[href="#f-${other.failures[0]!.id}"]`).click();
      await expect.poll(() => page.locator(`#f-${other.failures[0]!.id}`).getAttribute('open')).toBe('');
    }

    const png = join(dir, 'report.png');
    await details.scrollIntoViewIfNeeded();
    await page.screenshot({ path: png, fullPage: true });
    expect(existsSync(png)).toBe(true);
    expect(statSync(png).size).toBeGreaterThan(20_000);
    const header = readFileSync(png).subarray(0, 24);
    expect(header.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])), 'PNG signature').toBe(true);
    expect(header.subarray(12, 16).toString('ascii')).toBe('IHDR');
    expect(header.readUInt32BE(16), 'width').toBe(1400);
    expect(header.readUInt32BE(20), 'height').toBeGreaterThan(1000);
    expect(errors).toEqual([]);
    expect(network).toEqual([]);
    await page.context().close();
  });

  it('works without JavaScript: a failure still opens from its summary', async () => {
    const { page, network, report } = await open(false);
    const failure = report.results.find((r) => r.outcome === 'failed')!.failures[0]!;
    const details = page.locator(`#f-${failure.id}`);
    // A failure inside a group of several opens with its group.
    const group = page.locator(`details.group:has(#f-${failure.id})`);
    if ((await group.count()) > 0) await group.locator('summary').first().click();
    await details.locator('summary').first().click();
    expect(await details.locator('pre.curl').first().isVisible()).toBe(true);
    expect(await page.locator('button.copy').count()).toBe(0);
    expect(network).toEqual([]);
    await page.context().close();
  });
});
