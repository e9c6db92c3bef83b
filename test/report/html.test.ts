import { describe, expect, it } from 'vitest';
import { toHtml } from '../../src/report/html.ts';
import type { ConformanceReport } from '../../src/report/model.ts';

const report: ConformanceReport = {
  schemaVersion: '1.0',
  run: { provider: 'ionos-postgresql', target: 'http://127.0.0.1:1', seed: 7, startedAt: '2026-11-23T10:00:00.000Z', durationMs: 1200, interrupted: false },
  summary: { operations: 1, operationsExercised: 1, checks: 2, passed: 1, failed: 1, skipped: 0, requests: 3 },
  coverage: { operationsExercised: 1, operations: 1, documentedStatuses: 2, documentedStatusesSeen: 1, operationList: [{ provider: 'ionos-postgresql', operationId: 'clustersGet', method: 'GET', path: '/clusters', requests: 3, documented: ['200', '401'], seen: { 200: 3 }, neverSeen: ['401'], undocumented: [] }] },
  timing: { durationMs: 1200, requestsPerSecond: 2.5, operations: [{ provider: 'ionos-postgresql', operationId: 'clustersGet', durationMs: 900, requests: 3, latencyMs: { mean: 3, p50: 3, p95: 4, max: 4 } }] },
  transient: { retried: 0, rateLimited: 0, unavailable: 0, waitedMs: 0, exhausted: 0, rateLimitHeaders: {} },
  warnings: [],
  lifecycle: [],
  results: [
    { provider: 'ionos-postgresql', operationId: 'clustersGet', method: 'GET', path: '/clusters', check: 'not-a-server-error', outcome: 'passed', checked: 3, failures: [] },
    {
      provider: 'ionos-postgresql', operationId: 'clustersGet', method: 'GET', path: '/clusters', check: 'response-schema-conformance', outcome: 'failed', checked: 3,
      failures: [{ message: '<script>alert(1)</script> /items/0/id must be string', count: 300, request: { method: 'GET', url: 'http://127.0.0.1:1/clusters', headers: { authorization: '[REDACTED]' } }, response: { status: 200, headers: {}, body: '{"items":[{"id":1}]}' }, curl: "curl -sS -X GET 'http://127.0.0.1:1/clusters'" }],
    },
  ],
};

describe('report.html', () => {
  const html = toHtml(report);

  it('is one self-contained page: no scripts, styles or fonts from the network', () => {
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<(script|link)\b/i);
    expect(html).not.toMatch(/(src|href)=["']https?:/i);
  });

  it('colours the matrix and shows one failure with its count, request, response and curl', () => {
    expect(html).toContain('<td class="passed"');
    expect(html).toContain('<td class="failed"');
    expect(html).toContain('×300');
    expect(html).toContain('&quot;id&quot;: 1');
    expect(html).toContain("curl -sS -X GET &#39;http://127.0.0.1:1/clusters&#39;");
  });

  it('escapes what the API sent', () => {
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });
});
