import type { ConformanceReport, Outcome } from './model.ts';

const MARK: Record<Outcome, string> = { passed: '✅', failed: '❌', skipped: '·' };

/** A short Markdown summary: totals, then a matrix of operations by checks, then the first failures. */
export function toMarkdown(report: ConformanceReport): string {
  const { summary, run } = report;
  const checks = [...new Set(report.results.map((r) => r.check))];
  const lines = [
    `# Conformance: ${run.provider}`,
    '',
    `${summary.failed === 0 ? '**PASS**' : '**FAIL**'}: ${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} skipped; ` +
      `${summary.operationsExercised}/${summary.operations} operations exercised with ${summary.requests} requests in ${(run.durationMs / 1000).toFixed(1)} s (seed ${run.seed}).`,
    '',
    `| provider | operation | ${checks.join(' | ')} |`,
    `|---|---|${checks.map(() => ':-:').join('|')}|`,
  ];
  const rows = new Map<string, Map<string, Outcome>>();
  for (const r of report.results) {
    const key = `${r.provider} | \`${r.method} ${r.path}\` ${r.operationId}`;
    if (!rows.has(key)) rows.set(key, new Map());
    rows.get(key)!.set(r.check, r.outcome);
  }
  for (const [key, outcomes] of rows) lines.push(`| ${key} | ${checks.map((c) => MARK[outcomes.get(c) ?? 'skipped']).join(' | ')} |`);
  const failed = report.results.filter((r) => r.outcome === 'failed');
  if (failed.length > 0) {
    lines.push('', '## Failures', '');
    for (const r of failed.slice(0, 20)) {
      const f = r.failures[0]!;
      lines.push(`- **${r.check}** on ${r.provider} \`${r.operationId}\`: ${f.message}${f.count > 1 ? ` (x${f.count})` : ''}`, `  \`${f.shrunk?.curl ?? f.curl}\``);
    }
    if (failed.length > 20) lines.push(`- ... and ${failed.length - 20} more in conformance.json`);
  }
  if (report.warnings.length > 0) lines.push('', '## Warnings', '', ...report.warnings.map((w) => `- ${w}`));
  lines.push('', `${MARK.passed} passed, ${MARK.failed} failed, ${MARK.skipped} not applicable`, '');
  return lines.join('\n');
}
