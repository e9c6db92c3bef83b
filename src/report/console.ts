import { failureTotals, groupFailures } from './failure-groups.ts';
import type { ConformanceReport } from './model.ts';
import { reachText } from './coverage.ts';
import { verdictOf } from './verdict.ts';

/** How many failure groups the console lists (report.html has them all). */
export const CONSOLE_GROUPS = 10;

/**
 * The console's end-of-run summary, from the same verdict and deduplication as the reports: the headline, then
 * each failure group once with its count, the operations it affects and one reproduction.
 */
export function consoleSummary(report: ConformanceReport, suffix = `(seed ${report.run.seed})`): string[] {
  const s = report.summary;
  const verdict = verdictOf(report);
  const grouped = groupFailures(report);
  const totals = failureTotals(grouped);
  const lines = [
    `${verdict.label}: ${s.passed} passed, ${s.failed} failed, ${s.skipped} not applicable; ${s.operationsExercised}/${s.operations} operations exercised${reachText(s)}, ${s.requests} requests ${suffix}`,
  ];
  if (totals.distinct === 0) return lines;
  lines.push(`${totals.distinct} distinct ${totals.distinct === 1 ? 'failure' : 'failures'} (${totals.requests} failing requests${totals.ids > totals.distinct ? `, ${totals.ids} failure ids: one per operation affected` : ''}):`);
  const groups = grouped.flatMap((c) => c.groups);
  for (const group of groups.slice(0, CONSOLE_GROUPS)) {
    const first = [...group.entries].sort((a, b) => b.count - a.count)[0]!;
    const ops = group.operations.length > 3 ? `${group.operations.slice(0, 3).join(', ')} and ${group.operations.length - 3} more` : group.operations.join(', ');
    const marks = [...new Set(group.entries.map((e) => e.mark).filter(Boolean))];
    lines.push(`  ${group.check} ×${group.count} on ${ops}${marks.length ? ` [${marks.join(', ')}]` : ''}: ${group.message}`);
    lines.push(`    ${first.failure.curl}`);
    const shrunk = first.failure.shrunk;
    if (shrunk) lines.push(`    smallest failing request (fast-check seed ${shrunk.seed}, path ${shrunk.path}):`, `    ${shrunk.curl}`);
  }
  if (groups.length > CONSOLE_GROUPS) lines.push(`  ... and ${groups.length - CONSOLE_GROUPS} more groups in report.html`);
  return lines;
}
