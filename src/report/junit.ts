import type { ConformanceReport } from './model.ts';
import { groupFailures } from './failure-groups.ts';

/**
 * JUnit XML: one testsuite per provider, one testcase per operation and check that applied to it. Checks that
 * applied to no request of an operation ("not applicable") are left out: their number is the suite's
 * `not-applicable` property. A testcase's `time` is its operation's wall time shared among the operation's
 * testcases (its checks judge the same requests), so that a suite's times add up to its operations' time.
 * A failing testcase lists each distinct failure once (the deduplication of every report), with its count.
 */
export function toJUnit(report: ConformanceReport): string {
  const byProvider = new Map<string, ConformanceReport['results']>();
  for (const r of report.results) byProvider.set(r.provider, [...(byProvider.get(r.provider) ?? []), r]);
  const opTime = new Map((report.timing?.operations ?? []).map((t) => [`${t.provider}\u0000${t.operationId}`, t.durationMs]));
  const entries = new Map(groupFailures(report).flatMap((c) => c.groups.flatMap((g) => g.entries)).map((e) => [e.failure, e]));
  const judged = (r: ConformanceReport['results'][number]) => r.outcome !== 'skipped' || (r.warnings?.length ?? 0) > 0;
  const applicable = report.results.filter(judged);
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  lines.push(`<testsuites name="dbaas-conformance" tests="${applicable.length}" failures="${report.summary.failed}" time="${seconds(report.run.durationMs)}">`);
  for (const [provider, all] of byProvider) {
    const results = all.filter(judged);
    const perOperation = new Map<string, number>();
    for (const r of results) perOperation.set(r.operationId, (perOperation.get(r.operationId) ?? 0) + 1);
    const time = (operationId: string) => (opTime.get(`${provider}\u0000${operationId}`) ?? 0) / perOperation.get(operationId)!;
    const suiteTime = results.reduce((t, r) => t + time(r.operationId), 0);
    const failures = results.filter((r) => r.outcome === 'failed').length;
    lines.push(`  <testsuite name="${esc(provider)}" tests="${results.length}" failures="${failures}" skipped="0" time="${seconds(suiteTime)}">`);
    lines.push(`    <properties><property name="not-applicable" value="${all.length - results.length}"/></properties>`);
    for (const r of results) {
      const open = `    <testcase classname="${esc(`${provider}.${r.operationId}`)}" name="${esc(r.check)}" time="${seconds(time(r.operationId))}"`;
      const warned = r.outcome !== 'failed' && (r.warnings?.length ?? 0) > 0;
      // Warnings (the docs are silent) never fail a testcase: they are printed to its output.
      if (warned) lines.push(`${open}><system-out>${esc(r.warnings!.map((w) => `WARNING (not a failure): ${w.message} (x${w.count})\n${w.curl}`).join('\n\n'))}</system-out></testcase>`);
      else if (r.outcome === 'passed') lines.push(`${open}/>`);
      else {
        const distinct = r.failures.map((f) => entries.get(f)).filter((e) => e !== undefined);
        const first = distinct[0]?.failure ?? r.failures[0]!;
        const detail = distinct.map((e) => `${e.id}: ${e.failure.message} (x${e.count})\n${e.failure.curl}`).join('\n\n');
        lines.push(`${open}><failure message="${esc(first.message)}" type="${esc(r.check)}">${esc(detail)}</failure></testcase>`);
      }
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}

function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!).replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, '');
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}
