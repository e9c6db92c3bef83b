import { describe, expect, it } from 'vitest';
import { failureId } from '../../src/report/baseline.ts';
import { MAX_FAILING_ROWS, MAX_MATRIX_OPERATIONS, toMarkdown } from '../../src/report/markdown.ts';
import type { CheckResult, ConformanceReport, FailureRecord } from '../../src/report/model.ts';

const P = 'ionos-postgresql';
const CHECKS = ['not-a-server-error', 'response-schema-conformance', 'busy-conflict'];

function failure(message: string, count: number, curl = "curl -sS -X GET 'http://127.0.0.1:1/x'"): FailureRecord {
  return { message, count, request: { method: 'GET', url: 'http://127.0.0.1:1/x', headers: {} }, response: { status: 500, headers: {}, body: '' }, curl };
}

/** `operations` operations; those in `failing` fail response-schema-conformance the same way (numbers vary). */
function build(operations: number, failing: (i: number) => boolean, extra: Partial<ConformanceReport> = {}): ConformanceReport {
  const ids = Array.from({ length: operations }, (_, i) => `op${i}`);
  const results: CheckResult[] = ids.flatMap((operationId, i) =>
    CHECKS.map((check) => {
      const failures = check === 'response-schema-conformance' && failing(i) ? [failure(`/items/${i}/id must be string`, 2)] : [];
      const outcome = check === 'busy-conflict' ? 'skipped' : failures.length ? 'failed' : 'passed';
      return { provider: P, operationId, method: 'GET', path: `/things/${i}`, check, outcome, checked: outcome === 'skipped' ? 0 : 3, failures: failures.map((f) => ({ ...f, id: failureId(P, operationId, check, f.message) })) } satisfies CheckResult;
    }),
  );
  const failed = results.filter((r) => r.outcome === 'failed').length;
  const skipped = results.filter((r) => r.outcome === 'skipped').length;
  return {
    schemaVersion: '1.1',
    run: { provider: P, target: 'http://127.0.0.1:1', seed: 9, startedAt: '2026-11-23T10:00:00.000Z', durationMs: 65_000, interrupted: false },
    summary: { operations, operationsExercised: operations, checks: results.length, passed: results.length - failed - skipped, failed, skipped, requests: operations * 3 },
    coverage: {
      operationsExercised: operations,
      operations,
      documentedStatuses: operations * 2,
      documentedStatusesSeen: operations,
      operationList: ids.map((operationId, i) => ({ provider: P, operationId, method: 'GET', path: `/things/${i}`, requests: 3, documented: ['200', '404'], seen: (i === 1 ? { 200: 2, 418: 1 } : { 200: 3 }) as Record<string, number>, neverSeen: ['404'], undocumented: i === 1 ? ['418'] : [] })),
    },
    timing: { durationMs: 65_000, requestsPerSecond: 4.6, operations: ids.map((operationId, i) => ({ provider: P, operationId, durationMs: 100, requests: 3, latencyMs: { mean: 2, p50: 2, p95: i === 1 ? 250 : 3, max: 300 } })) },
    transient: { retried: 5, rateLimited: 4, unavailable: 1, waitedMs: 2500, exhausted: 0, rateLimitHeaders: {} },
    warnings: [],
    lifecycle: [],
    results,
    ...extra,
  };
}

describe('summary.md', () => {
  it('a small run: the whole matrix (checks that applied somewhere), coverage, transient and latency lines', () => {
    const md = toMarkdown(build(3, (i) => i === 2));
    expect(md).toContain('**FAIL**: 5 passed, 1 failed, 3 not applicable; 9 requests in 1 min 5 s (4.6 requests/s), seed 9.');
    expect(md).toContain('- Coverage: 3/3 operations exercised, 3/6 documented status codes seen; undocumented codes answered by 1 operation: `op1` 418');
    expect(md).toContain('- Transient answers (retried, not failures): 429 ×4, 503 ×1; 5 retried after 2.5 s of waiting');
    expect(md).not.toContain('still 429/503');
    expect(md).toContain('- Slowest p95 latency: `op1` 250 ms');
    expect(md).toContain('| provider | operation | not-a-server-error | response-schema-conformance |\n|---|---|:-:|:-:|');
    expect(md).not.toContain('busy-conflict'); // applied nowhere
    const rows = md.split('\n').filter((l) => l.startsWith('| ionos-postgresql |'));
    expect(rows).toEqual(['| ionos-postgresql | `GET /things/0` op0 | ✅ | ✅ |', '| ionos-postgresql | `GET /things/1` op1 | ✅ | ✅ |', '| ionos-postgresql | `GET /things/2` op2 | ✅ | ❌ |']);
    expect(md).not.toContain('operations**:'); // no totals line: nothing was left out
    expect(md).toContain("- **response-schema-conformance** on ionos-postgresql `op2` (x2): `/items/2/id must be string`\n  `curl -sS -X GET 'http://127.0.0.1:1/x'`");
  });

  it('many operations: only the failing ones, their failing checks, a totals line and a pointer to report.html', () => {
    const operations = 300;
    const md = toMarkdown(build(operations, (i) => i % 50 === 7));
    const rows = md.split('\n').filter((l) => l.startsWith('| ionos-postgresql |'));
    expect(operations).toBeGreaterThan(MAX_MATRIX_OPERATIONS);
    expect(rows).toHaveLength(6);
    expect(rows[0]).toBe('| ionos-postgresql | `GET /things/7` op7 | ❌ |');
    expect(md).toContain('| provider | operation | response-schema-conformance |');
    expect(md).toContain('**300 operations**: 6 with failures (above, failing checks only), 294 passed every applicable check. The full matrix is in `report.html`.');
    // One failure entry for the six operations failing the same way.
    expect(md).toContain('1 distinct failure (12 failing requests, 6 failure ids: one per operation affected), by check and cause:');
    expect(md).toContain('- **response-schema-conformance** on ionos-postgresql `op7`, `op57`, `op107`, `op157`, `op207` and 1 more (x12): ');
    expect(md.length).toBeLessThan(4000);
  });

  it('many operations, none failing: no table, just the totals line', () => {
    const md = toMarkdown(build(100, () => false));
    expect(md).toContain('**PASS**');
    expect(md).not.toContain('| provider |');
    expect(md).toContain('**100 operations**: 0 with failures, 100 passed every applicable check.');
    expect(md).not.toContain('## Failures');
    // No legend of a table that is not shown.
    expect(md).not.toContain('not applicable.');
    expect(md).not.toContain('✅');
  });

  it('thousands of distinct failures stay a short summary', () => {
    const r = build(2000, () => true);
    for (const [i, result] of r.results.entries()) for (const f of result.failures) f.message = `${'x'.repeat(i % 97)} distinct cause ${'y'.repeat(i % 89)} must be string`;
    const md = toMarkdown(r);
    expect(md).toContain('more in `report.html` and `conformance.json`');
    expect(md.match(/^- \*\*/gm)).toHaveLength(20);
    expect(md.split('\n').filter((l) => l.startsWith('| ionos-postgresql |'))).toHaveLength(MAX_FAILING_ROWS);
    expect(md).toContain(`**2000 operations**: 2000 with failures (the first ${MAX_FAILING_ROWS} above, failing checks only), 0 passed every applicable check.`);
    expect(md.length).toBeLessThan(20_000);
  });

  it('marks the run interrupted, lists lifecycle ready times and baseline counts', () => {
    const md = toMarkdown(
      build(2, () => false, {
        run: { provider: P, target: 'x', seed: 1, startedAt: '', durationMs: 10, interrupted: true, stopReason: 'SIGTERM' },
        lifecycle: [
          { provider: P, resource: 'cluster', readyMs: 3000 },
          { provider: P, resource: 'cluster', readyMs: 1000 },
          { provider: P, resource: 'cluster', readyMs: 2000 },
        ],
        baseline: { file: 'base.json', new: ['a'], stillFailing: ['b', 'c'], fixed: [] },
        transient: { retried: 1, rateLimited: 2, unavailable: 0, waitedMs: 10, exhausted: 1, rateLimitHeaders: {} },
      }),
    );
    expect(md).toContain('> **Interrupted**: SIGTERM. Operations after that point were not exercised.');
    expect(md).toContain('- Time to ready: cluster median 2.0 s (1.0 s–3.0 s, 3 created)');
    expect(md).toContain('- Against baseline `base.json` (failure ids, one per operation): **1 new**, 2 still failing, 0 fixed');
    expect(md).toContain('**1 still 429/503 when retries ran out** (judged by the checks)');
  });

  it('keeps messages and curl lines intact in code spans, and API text out of HTML', () => {
    const r = build(1, () => true);
    r.results[1]!.failures[0]!.message = 'a `quoted` value\nover two lines';
    r.results[1]!.failures[0]!.curl = `curl --data-raw '${'z'.repeat(2000)}'`;
    r.warnings = ['could not delete <cluster>'];
    const md = toMarkdown(r);
    expect(md).toContain('`` a `quoted` value over two lines ``');
    expect(md).toContain('_curl line of 2018 characters: see `report.html`_');
    expect(md).not.toContain('zzzz');
    expect(md).toContain('- could not delete &lt;cluster&gt;');
  });
});
