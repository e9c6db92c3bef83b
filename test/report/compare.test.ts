import { describe, expect, it } from 'vitest';
import { compareOutcomes, describeOutcomeComparison, outcomeComparisonMarkdown } from '../../src/report/compare.ts';
import { emptyTransient } from '../../src/report/coverage.ts';
import type { CheckResult, ConformanceReport, Outcome } from '../../src/report/model.ts';

function result(operationId: string, check: string, outcome: Outcome, message = 'server error 500'): CheckResult {
  const failures = outcome === 'failed' ? [{ id: `${operationId}-${check}`.slice(0, 12), message, count: 1, request: { method: 'GET', url: 'http://x/things', headers: {} }, curl: "curl -sS -X GET 'http://x/things'" }] : [];
  return { provider: 'p', operationId, method: 'GET', path: `/${operationId}`, check, outcome, checked: outcome === 'skipped' ? 0 : 1, failures };
}

function report(target: string, results: CheckResult[]): ConformanceReport {
  const count = (o: Outcome) => results.filter((r) => r.outcome === o).length;
  return {
    schemaVersion: '1.0',
    run: { provider: 'p', target, seed: 7, startedAt: '2026-01-01T00:00:00.000Z', durationMs: 1, interrupted: false },
    summary: { operations: 2, operationsExercised: 2, checks: results.length, passed: count('passed'), failed: count('failed'), skipped: count('skipped'), requests: 10 },
    coverage: { operationsExercised: 2, operations: 2, documentedStatuses: 0, documentedStatusesSeen: 0, operationList: [] },
    timing: { durationMs: 1, requestsPerSecond: 0, operations: [] },
    transient: emptyTransient(),
    warnings: [],
    lifecycle: [],
    results,
  };
}

describe('compareOutcomes', () => {
  it('B regresses: a check passed by A fails against B, so B is no drop-in replacement', () => {
    const a = report('http://a', [result('list', 'not-a-server-error', 'passed'), result('list', 'status-code-conformance', 'failed', 'undocumented status 418'), result('get', 'use-after-delete', 'passed')]);
    const b = report('http://b', [result('list', 'not-a-server-error', 'failed'), result('list', 'status-code-conformance', 'passed'), result('get', 'use-after-delete', 'passed')]);
    const c = compareOutcomes(a, b);
    expect(c.dropIn).toBe(false);
    expect(c.regressions).toEqual([expect.objectContaining({ operationId: 'list', check: 'not-a-server-error', a: 'passed', b: 'failed', bFailure: 'server error 500' })]);
    expect(c.improvements).toEqual([expect.objectContaining({ operationId: 'list', check: 'status-code-conformance', a: 'failed', b: 'passed' })]);
    expect(c.verdict).toMatch(/^no: B is not a drop-in replacement for A \(1 check passed by A fails against B\)/);
    const text = describeOutcomeComparison(c);
    expect(text.indexOf('passed by A, failed by B (1):')).toBeLessThan(text.indexOf('failed by A, passed by B (1):'));
    expect(text).toContain('  not-a-server-error list (GET /list): server error 500 [list-not-a-s]');
    expect(text).toContain('  GET    /list (list): not-a-server-error P/F*, status-code-conformance F/P*');
    expect(text).toContain('  GET    /get (get): 1 P/P');
    expect(text.at(-1)).toBe(`verdict: ${c.verdict}`);
    const md = outcomeComparisonMarkdown(c);
    expect(md).toContain('| operation | not-a-server-error | status-code-conformance | use-after-delete |');
    expect(md).toContain('| `GET /list` list | **✅ / ❌** | **❌ / ✅** | · |');
  });

  it('B does not regress: only fixes, and checks B never judged, keep it a drop-in replacement', () => {
    const a = report('http://a', [result('list', 'not-a-server-error', 'failed'), result('list', 'pagination-walk', 'passed'), result('get', 'auth-required', 'skipped')]);
    const b = report('http://b', [result('list', 'not-a-server-error', 'passed'), result('list', 'pagination-walk', 'skipped'), result('get', 'auth-required', 'failed')]);
    const c = compareOutcomes(a, b);
    expect(c.dropIn).toBe(true);
    expect(c.regressions).toEqual([]);
    expect(c.improvements).toHaveLength(1);
    expect(c.unjudgedInB).toEqual([expect.objectContaining({ check: 'pagination-walk', a: 'passed', b: 'skipped' })]);
    expect(c.verdict).toBe('yes: B is a drop-in replacement for A (nothing that passes against A fails against B; 1 check fixed; 1 check that pass against A was not judged against B)');
  });

  it('identical reports are a drop-in replacement; rows only one side has are absent on the other', () => {
    const a = report('http://a', [result('list', 'not-a-server-error', 'passed')]);
    const b = report('http://b', [result('list', 'not-a-server-error', 'passed'), result('extra', 'not-a-server-error', 'failed')]);
    const c = compareOutcomes(a, b);
    expect(c.dropIn).toBe(true);
    expect(c.rows).toContainEqual(expect.objectContaining({ operationId: 'extra', a: 'absent', b: 'failed' }));
    expect(describeOutcomeComparison(c)).toContain('  GET    /extra (extra): not-a-server-error ?/F*');
  });

  it('keys rows by provider when a report covers several providers', () => {
    const a = report('http://a', [result('list', 'not-a-server-error', 'passed'), { ...result('list', 'not-a-server-error', 'passed'), provider: 'q' }]);
    const b = report('http://b', [result('list', 'not-a-server-error', 'passed'), { ...result('list', 'not-a-server-error', 'failed'), provider: 'q' }]);
    const c = compareOutcomes(a, b);
    expect(c.rows).toHaveLength(2);
    expect(c.regressions).toEqual([expect.objectContaining({ provider: 'q' })]);
  });
});
