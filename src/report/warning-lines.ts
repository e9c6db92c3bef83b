import { groupFailures } from './failure-groups.ts';
import type { ConformanceReport } from './model.ts';

const MAX_SHOWN = 5;

/**
 * The console lines for findings where the docs are silent: a count, then the first few distinct ones.
 * They never fail the run (exit 0 when nothing failed).
 */
export function warningLines(report: ConformanceReport): string[] {
  const groups = groupFailures(report, 'warnings').flatMap((c) => c.groups);
  if (groups.length === 0) return [];
  const requests = groups.reduce((n, g) => n + g.count, 0);
  const lines = [`WARNINGS (not failures; the docs are silent): ${groups.length} distinct, ${requests} requests`];
  for (const g of groups.slice(0, MAX_SHOWN)) lines.push(`  ${g.check} ${g.operations.slice(0, 3).join(', ')}${g.operations.length > 3 ? ` and ${g.operations.length - 3} more` : ''}: ${g.message}`);
  if (groups.length > MAX_SHOWN) lines.push(`  ... and ${groups.length - MAX_SHOWN} more in report.html`);
  return lines;
}
