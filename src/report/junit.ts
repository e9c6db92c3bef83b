import type { ConformanceReport } from './model.ts';

/** JUnit XML: one testsuite per provider, one testcase per operation and check. */
export function toJUnit(report: ConformanceReport): string {
  const byProvider = new Map<string, ConformanceReport['results']>();
  for (const r of report.results) byProvider.set(r.provider, [...(byProvider.get(r.provider) ?? []), r]);
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  lines.push(`<testsuites name="dbaas-conformance" tests="${report.results.length}" failures="${report.summary.failed}" skipped="${report.summary.skipped}" time="${seconds(report.run.durationMs)}">`);
  for (const [provider, results] of byProvider) {
    const failures = results.filter((r) => r.outcome === 'failed').length;
    const skipped = results.filter((r) => r.outcome === 'skipped').length;
    lines.push(`  <testsuite name="${esc(provider)}" tests="${results.length}" failures="${failures}" skipped="${skipped}">`);
    for (const r of results) {
      const open = `    <testcase classname="${esc(`${provider}.${r.operationId}`)}" name="${esc(r.check)}"`;
      const warned = r.outcome !== 'failed' && (r.warnings?.length ?? 0) > 0;
      // Warnings (the docs are silent) never fail a testcase: they are printed to its output.
      if (warned) lines.push(`${open}>${r.outcome === 'skipped' ? '<skipped/>' : ''}<system-out>${esc(r.warnings!.map((w) => `WARNING (not a failure): ${w.message} (x${w.count})\n${w.curl}`).join('\n\n'))}</system-out></testcase>`);
      else if (r.outcome === 'passed') lines.push(`${open}/>`);
      else if (r.outcome === 'skipped') lines.push(`${open}><skipped message="not applicable to any request"/></testcase>`);
      else {
        const first = r.failures[0]!;
        const detail = r.failures.map((f) => `${f.message} (x${f.count})\n${f.curl}`).join('\n\n');
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
