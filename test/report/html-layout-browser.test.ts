import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { toHtml } from '../../src/report/html.ts';
import type { CheckResult, ConformanceReport } from '../../src/report/model.ts';

/** Debian's Chromium, which CI installs (.ci/run); CHROMIUM_PATH points elsewhere. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const PROVIDERS = ['ionos-postgresql', 'ionos-inmemorydb', 'redis-enterprise', 'clickhouse-cloud'];
const CHECKS = Array.from({ length: 14 }, (_, i) => `check-number-${i}-of-the-suite`);

/** A four-provider report with long paths, many checks and every status column filled: the widest matrix a run makes. */
function fourProviders(): ConformanceReport {
  const results: CheckResult[] = [];
  const operationList: NonNullable<ConformanceReport['coverage']>['operationList'] = [];
  const operations: NonNullable<ConformanceReport['timing']>['operations'] = [];
  for (const provider of PROVIDERS) {
    for (let i = 0; i < 25; i++) {
      const operationId = `organizationServiceBackupConfigurationUpdate${i}`;
      const path = `/v1/organizations/{organizationId}/services/{serviceId}/backupConfiguration/${i}`;
      for (const check of CHECKS) results.push({ provider, operationId, method: 'PATCH', path, check, outcome: i % 3 === 0 ? 'skipped' : 'passed', checked: 3, failures: [] });
      operationList.push({ provider, operationId, method: 'PATCH', path, requests: 12345, documented: ['200', '400', '401', '403', '404', '409', '500'], seen: { 200: 9000, 400: 3000, 401: 2, 404: 40, 409: 3, 500: 1 }, neverSeen: ['403', '429', '503'], undocumented: ['418', '502'] });
      operations.push({ provider, operationId, durationMs: 123_456, requests: 12345, latencyMs: { mean: 1234, p50: 1000, p95: 123_456, max: 200_000 } });
    }
  }
  return {
    schemaVersion: '1.1',
    run: { provider: PROVIDERS.join(','), target: PROVIDERS.map((p) => `http://127.0.0.1:4${p.length}01`).join(','), seed: 1, startedAt: '2026-12-04T10:00:00.000Z', durationMs: 600_000, interrupted: false },
    summary: { operations: 100, operationsExercised: 100, checks: results.length, passed: results.filter((r) => r.outcome === 'passed').length, failed: 0, skipped: results.filter((r) => r.outcome === 'skipped').length, requests: 1_234_500 },
    coverage: { operationsExercised: 100, operations: 100, documentedStatuses: 700, documentedStatusesSeen: 400, operationList },
    timing: { durationMs: 600_000, requestsPerSecond: 2057, operations },
    transient: { retried: 0, rateLimited: 0, unavailable: 0, waitedMs: 0, exhausted: 0, rateLimitHeaders: {} },
    warnings: [],
    lifecycle: [],
    results,
  };
}

describe('report.html of a four-provider run in a real headless browser', () => {
  it.each([1280])('the operations-by-checks matrix fits a %i px wide page: no column cut, nothing to scroll sideways', async (width) => {
    if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}: install it (apt-get install chromium, as .ci/run does) or set CHROMIUM_PATH`);
    const file = join(mkdtempSync(join(tmpdir(), 'conformance-html-layout-')), 'report.html');
    writeFileSync(file, toHtml(fourProviders()));
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    try {
      const page = await browser.newPage({ viewport: { width, height: 900 } });
      await page.goto(pathToFileURL(file).href);
      const box = await page.evaluate(() => {
        const scroll = document.querySelector('.scroll')!;
        const headers = [...document.querySelectorAll('table.matrix thead th')];
        return { scrollWidth: scroll.scrollWidth, clientWidth: scroll.clientWidth, lastRight: headers.at(-1)!.getBoundingClientRect().right, pageWidth: document.documentElement.scrollWidth, columns: headers.length };
      });
      expect(box.columns).toBe(1 + CHECKS.length + 6);
      expect(box.scrollWidth).toBeLessThanOrEqual(box.clientWidth + 1);
      expect(box.lastRight).toBeLessThanOrEqual(width);
      expect(box.pageWidth).toBeLessThanOrEqual(width);
    } finally {
      await browser.close();
    }
  });
});
