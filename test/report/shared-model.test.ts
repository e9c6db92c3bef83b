import { describe, expect, it } from 'vitest';
import { failureId } from '../../src/report/baseline.ts';
import { consoleSummary } from '../../src/report/console.ts';
import { failureTotals, groupFailures } from '../../src/report/failure-groups.ts';
import { toHtml } from '../../src/report/html.ts';
import { toJUnit } from '../../src/report/junit.ts';
import { toMarkdown } from '../../src/report/markdown.ts';
import type { CheckResult, ConformanceReport, FailureRecord } from '../../src/report/model.ts';
import { verdictOf } from '../../src/report/verdict.ts';

const P = 'ionos-postgresql';

function record(message: string, count = 1): FailureRecord {
  return { message, count, request: { method: 'POST', url: 'http://127.0.0.1:1/clusters', headers: {} }, response: { status: 400, headers: {}, body: '' }, curl: "curl -sS -X POST 'http://127.0.0.1:1/clusters'" };
}

/** clustersPost fails one check with ten messages that differ only in numbers (one failure id); clustersGet passes; one check is not applicable. */
function report(extra: Partial<ConformanceReport> = {}): ConformanceReport {
  const post = Array.from({ length: 10 }, (_, i) => record(`/properties/cores must be <= ${i + 30}`, 2));
  const results: CheckResult[] = [
    { provider: P, operationId: 'clustersPost', method: 'POST', path: '/clusters', check: 'positive-data-acceptance', outcome: 'failed', checked: 25, failures: post.map((f) => ({ ...f, id: failureId(P, 'clustersPost', 'positive-data-acceptance', f.message) })) },
    { provider: P, operationId: 'clustersPost', method: 'POST', path: '/clusters', check: 'not-a-server-error', outcome: 'passed', checked: 25, failures: [] },
    { provider: P, operationId: 'clustersGet', method: 'GET', path: '/clusters', check: 'not-a-server-error', outcome: 'passed', checked: 5, failures: [] },
    { provider: P, operationId: 'clustersGet', method: 'GET', path: '/clusters', check: 'write-only-not-returned', outcome: 'skipped', checked: 0, failures: [] },
  ];
  return {
    schemaVersion: '1.1',
    run: { provider: P, target: 'http://127.0.0.1:1', seed: 4, startedAt: '2026-12-04T10:00:00.000Z', durationMs: 3000, interrupted: false },
    summary: { operations: 2, operationsExercised: 2, checks: 4, passed: 2, failed: 1, skipped: 1, requests: 30 },
    coverage: { operationsExercised: 2, operations: 2, documentedStatuses: 2, documentedStatusesSeen: 2, operationList: [] },
    timing: { durationMs: 3000, requestsPerSecond: 10, operations: [{ provider: P, operationId: 'clustersPost', durationMs: 2000, requests: 25, latencyMs: null }, { provider: P, operationId: 'clustersGet', durationMs: 500, requests: 5, latencyMs: null }] },
    transient: { retried: 0, rateLimited: 0, unavailable: 0, waitedMs: 0, exhausted: 0, rateLimitHeaders: {} },
    warnings: [],
    lifecycle: [],
    results,
    ...extra,
  };
}

describe('one deduplication model for every report', () => {
  it('records of one operation and check that share a failure id are one entry with their total count', () => {
    const [check] = groupFailures(report());
    expect(check!.groups).toHaveLength(1);
    const group = check!.groups[0]!;
    expect(group.entries).toHaveLength(1);
    expect(group.entries[0]).toMatchObject({ count: 20 });
    expect(group.entries[0]!.records).toHaveLength(10);
    expect(group.operations).toEqual(['clustersPost']);
    expect(failureTotals(groupFailures(report()))).toEqual({ distinct: 1, ids: 1, requests: 20 });
  });

  it('report.html: the failure id is one element, the operation named once', () => {
    const html = toHtml(report());
    const id = failureId(P, 'clustersPost', 'positive-data-acceptance', '/properties/cores must be <= 30');
    expect(html.match(new RegExp(`id="f-${id}"`, 'g'))).toHaveLength(1);
    expect(html.match(/on clustersPost \(POST \/clusters\)/g)).toHaveLength(1);
    expect(html).toContain('<span class="count">×20</span>');
  });

  it('summary.md and the console: one line for the failure, with its count', () => {
    const md = toMarkdown(report());
    expect(md.match(/- \*\*positive-data-acceptance\*\*/g)).toHaveLength(1);
    expect(md).toContain('(x20)');
    const lines = consoleSummary(report());
    expect(lines[0]).toMatch(/^FAIL: 2 passed, 1 failed, 1 not applicable/);
    expect(lines[1]).toBe('1 distinct failure (20 failing requests):');
    expect(lines.filter((l) => l.includes('positive-data-acceptance'))).toEqual(['  positive-data-acceptance ×20 on clustersPost: /properties/cores must be <= 30']);
  });

  it('junit.xml: time on every testcase, not-applicable checks left out and counted in the properties, each failure id once', () => {
    const xml = toJUnit(report());
    const cases = xml.split('\n').filter((l) => l.includes('<testcase '));
    expect(cases).toHaveLength(3);
    expect(cases.every((l) => /time="\d+\.\d{3}"/.test(l))).toBe(true);
    expect(cases[0]).toContain('time="1.000"');
    expect(xml).not.toContain('<skipped');
    expect(xml).not.toContain('write-only-not-returned');
    expect(xml).toContain('<property name="not-applicable" value="1"/>');
    expect(xml).toMatch(/<testsuite name="ionos-postgresql" tests="3" failures="1" skipped="0" time="2.500">/);
    expect(xml.match(/\(x20\)/g)).toHaveLength(1);
  });
});

describe('headline and exit code agree', () => {
  const baseline = (news: string[], still: string[], failOn: 'any' | 'new') => ({ baseline: { file: 'old.json', failOn, new: news, stillFailing: still, fixed: [] } });
  const id = failureId(P, 'clustersPost', 'positive-data-acceptance', '/properties/cores must be <= 30');

  it.each([
    ['failures, no baseline', {}, 'FAIL', 1],
    ['--fail-on new, nothing new', baseline([], [id], 'new'), 'PASS (1 known failure)', 0],
    ['--fail-on new, something new', baseline([id], [], 'new'), 'FAIL', 1],
    ['--fail-on any, nothing new', baseline([], [id], 'any'), 'FAIL', 1],
  ] as const)('%s: %s, exit %i, in every report', (_label, extra, label, exitCode) => {
    const r = report(extra as Partial<ConformanceReport>);
    expect(verdictOf(r)).toMatchObject({ label, exitCode });
    expect(toMarkdown(r)).toContain(`**${label}**:`);
    expect(toHtml(r)).toContain(`<title>Conformance: ionos-postgresql — ${label}</title>`);
    expect(consoleSummary(r)[0]).toMatch(new RegExp(`^${label.replace(/[()]/g, '\\$&')}: `));
  });

  it('a run without failures that stopped early is not PASS', () => {
    const r = report({ results: [], summary: { operations: 2, operationsExercised: 1, checks: 0, passed: 0, failed: 0, skipped: 0, requests: 1 } });
    r.run.interrupted = true;
    expect(verdictOf(r)).toEqual({ pass: false, label: 'INTERRUPTED', exitCode: 1 });
  });
});
