import { failureTotals, formatMs, groupFailures, type FailureGroup } from './failure-groups.ts';
import type { ConformanceReport, Outcome } from './model.ts';
import { reachText } from './coverage.ts';
import { verdictOf } from './verdict.ts';

const MARK: Record<Outcome | 'warned', string> = { passed: '✅', failed: '❌', skipped: '·', warned: '⚠️' };
/** Above this many operations the matrix shows only the operations with failures, plus a totals line. */
export const MAX_MATRIX_OPERATIONS = 20;
/** And at most this many failing operations. */
export const MAX_FAILING_ROWS = 40;
const MAX_FAILURE_GROUPS = 20;
const MAX_OPERATIONS_NAMED = 5;
const MAX_MESSAGE_CHARS = 300;
const MAX_CURL_CHARS = 1000;
const MAX_WARNINGS = 10;

/**
 * A short Markdown summary, sized for a GitHub job summary: verdict, coverage, throughput, transient answers,
 * lifecycle and baseline lines; a matrix of operations by checks (only the failing operations when there are
 * many); then the failures, deduplicated by cause. report.html has everything else.
 */
export function toMarkdown(report: ConformanceReport): string {
  const { summary, run } = report;
  const lines = [`# Conformance: ${run.provider}`, ''];
  lines.push(
    `**${verdictOf(report).label}**: ${summary.passed} passed, ${summary.failed} failed, ${summary.skipped} not applicable; ` +
      `${summary.warned ? `${summary.warningFindings ?? summary.warned} warnings where the docs are silent (not failures); ` : ''}${summary.requests} requests in ${formatMs(run.durationMs)}${report.timing ? ` (${report.timing.requestsPerSecond} requests/s)` : ''}, seed ${run.seed}.`,
  );
  if (run.interrupted || run.stopReason) lines.push('', `> **Interrupted**${run.stopReason ? `: ${text(run.stopReason)}` : ''}. Operations after that point were not exercised.`);
  for (const alert of report.alerts ?? []) lines.push('', `> **Warning**: ${text(alert)}`);
  lines.push('', ...facts(report).map((f) => `- ${f}`));

  const checks = [...new Set(report.results.map((r) => r.check))];
  const rows = new Map<string, { label: string; outcomes: Map<string, Outcome | 'warned'> }>();
  for (const r of report.results) {
    const key = `${r.provider}\u0000${r.operationId}`;
    if (!rows.has(key)) rows.set(key, { label: `${r.provider} | \`${r.method} ${r.path}\` ${r.operationId}`, outcomes: new Map() });
    rows.get(key)!.outcomes.set(r.check, r.outcome !== 'failed' && (r.warnings?.length ?? 0) > 0 ? 'warned' : r.outcome);
  }
  const all = [...rows.values()];
  const failing = all.filter((row) => [...row.outcomes.values()].includes('failed'));
  const capped = all.length > MAX_MATRIX_OPERATIONS;
  const shownRows = capped ? failing.slice(0, MAX_FAILING_ROWS) : all;
  // Columns: when capped, the checks that failed somewhere; otherwise every check that applied somewhere.
  const columns = checks.filter((c) => shownRows.some((row) => (capped ? row.outcomes.get(c) === 'failed' : (row.outcomes.get(c) ?? 'skipped') !== 'skipped')));
  const matrixShown = shownRows.length > 0 && columns.length > 0;
  if (matrixShown) {
    lines.push('', `| provider | operation | ${columns.join(' | ')} |`, `|---|---|${columns.map(() => ':-:').join('|')}|`);
    for (const row of shownRows) lines.push(`| ${row.label} | ${columns.map((c) => MARK[row.outcomes.get(c) ?? 'skipped']).join(' | ')} |`);
  }
  if (capped) {
    lines.push(
      '',
      `**${all.length} operations**: ${failing.length} with failures${failing.length > MAX_FAILING_ROWS ? ` (the first ${MAX_FAILING_ROWS} above, failing checks only)` : failing.length ? ' (above, failing checks only)' : ''}, ${all.length - failing.length} passed every applicable check. The full matrix is in \`report.html\`.`,
    );
  }

  const grouped = groupFailures(report);
  const groups = grouped.flatMap((c) => c.groups);
  if (groups.length > 0) {
    const { distinct, ids, requests } = failureTotals(grouped);
    lines.push('', '## Failures', '', `${distinct} distinct ${distinct === 1 ? 'failure' : 'failures'} (${requests} failing requests${ids > distinct ? `, ${ids} failure ids: one per operation affected` : ''}), by check and cause:`, '');
    for (const group of groups.slice(0, MAX_FAILURE_GROUPS)) lines.push(...groupLines(group));
    if (groups.length > MAX_FAILURE_GROUPS) lines.push(`- ... and ${groups.length - MAX_FAILURE_GROUPS} more in \`report.html\` and \`conformance.json\``);
  }
  const warned = groupFailures(report, 'warnings').flatMap((c) => c.groups);
  if (warned.length > 0) {
    lines.push('', '## Warnings where the docs are silent', '', `${warned.length} distinct ${warned.length === 1 ? 'finding' : 'findings'}, reported but not failed: the documentation does not state the expected behaviour.`, '');
    for (const group of warned.slice(0, MAX_FAILURE_GROUPS)) lines.push(...groupLines(group));
    if (warned.length > MAX_FAILURE_GROUPS) lines.push(`- ... and ${warned.length - MAX_FAILURE_GROUPS} more in \`report.html\` and \`conformance.json\``);
  }
  if (report.warnings.length > 0) {
    lines.push('', '## Warnings', '', ...report.warnings.slice(0, MAX_WARNINGS).map((w) => `- ${text(w)}`));
    if (report.warnings.length > MAX_WARNINGS) lines.push(`- ... and ${report.warnings.length - MAX_WARNINGS} more in \`conformance.json\``);
  }
  // The legend belongs to the matrix: none without it.
  if (matrixShown) lines.push('', `${MARK.passed} passed, ${MARK.failed} failed, ${MARK.warned} passed with warnings, ${MARK.skipped} not applicable.${groups.length > 0 ? ' Requests, responses and curl lines of every failure: `report.html`.' : ''}`);
  else if (groups.length > 0) lines.push('', 'Requests, responses and curl lines of every failure: `report.html`.');
  lines.push('');
  return lines.join('\n');
}

/** One line each: coverage, transient answers, latency, lifecycle, baseline. */
function facts(report: ConformanceReport): string[] {
  const out: string[] = [];
  const cov = report.coverage;
  if (cov) {
    const undocumented = cov.operationList.filter((o) => o.undocumented.length > 0);
    out.push(
      `Coverage: ${cov.operationsExercised}/${cov.operations} operations exercised${reachText(cov)}, ${cov.documentedStatuses ? `${cov.documentedStatusesSeen}/${cov.documentedStatuses}` : '0'} documented status codes seen` +
        (undocumented.length
          ? `; undocumented codes answered by ${undocumented.length} ${undocumented.length === 1 ? 'operation' : 'operations'}: ${undocumented.slice(0, MAX_OPERATIONS_NAMED).map((o) => `\`${o.operationId}\` ${o.undocumented.join(', ')}`).join('; ')}${undocumented.length > MAX_OPERATIONS_NAMED ? ` and ${undocumented.length - MAX_OPERATIONS_NAMED} more` : ''}`
          : '; no undocumented status codes'),
    );
  }
  const t = report.transient;
  if (t) {
    out.push(
      `Transient answers (retried, not failures): 429 ×${t.rateLimited}, 503 ×${t.unavailable}; ${t.retried} retried after ${formatMs(t.waitedMs)} of waiting` +
        (t.exhausted ? `; **${t.exhausted} still 429/503 when retries ran out** (judged by the checks)` : ''),
    );
  }
  const slowest = [...(report.timing?.operations ?? [])].filter((o) => o.latencyMs).sort((a, b) => b.latencyMs!.p95 - a.latencyMs!.p95)[0];
  if (slowest) out.push(`Slowest p95 latency: \`${slowest.operationId}\` ${formatMs(slowest.latencyMs!.p95)}`);
  const byResource = new Map<string, number[]>();
  const deleted = new Map<string, number>();
  for (const l of report.lifecycle ?? []) {
    byResource.set(l.resource, [...(byResource.get(l.resource) ?? []), l.readyMs]);
    if (l.deletedMs !== undefined) deleted.set(l.resource, (deleted.get(l.resource) ?? 0) + 1);
  }
  if (byResource.size > 0) {
    const parts = [...byResource].map(([resource, times]) => {
      const sorted = [...times].sort((a, b) => a - b);
      return `${resource} median ${formatMs(sorted[Math.floor((sorted.length - 1) / 2)]!)} (${formatMs(sorted[0]!)}–${formatMs(sorted[sorted.length - 1]!)}, ${sorted.length} created${deleted.has(resource) ? `, ${deleted.get(resource)} of them seen gone after the delete` : ''})`;
    });
    out.push(`Time to ready: ${parts.join('; ')}`);
  }
  const b = report.baseline;
  if (b) out.push(`Against baseline \`${b.file}\` (failure ids, one per operation): **${b.new.length} new**, ${b.stillFailing.length} still failing, ${b.fixed.length} fixed${b.failOn === 'new' ? '; only new failures fail this run (--fail-on new)' : ''}`);
  return out;
}

function groupLines(group: FailureGroup): string[] {
  const byProvider = new Map<string, string[]>();
  for (const e of group.entries) {
    const ops = byProvider.get(e.result.provider) ?? [];
    if (!ops.includes(e.result.operationId)) ops.push(e.result.operationId);
    byProvider.set(e.result.provider, ops);
  }
  let named = 0;
  const where = [...byProvider].flatMap(([provider, ops]) => {
    const shown = ops.slice(0, Math.max(0, MAX_OPERATIONS_NAMED - named));
    named += shown.length;
    return shown.length ? [`${provider} ${shown.map((o) => `\`${o}\``).join(', ')}`] : [];
  });
  const hidden = group.operations.length - named;
  const marks = [...new Set(group.entries.map((e) => e.mark).filter((m) => m !== undefined))];
  const first = [...group.entries].sort((a, b) => b.count - a.count)[0]!.failure;
  return [
    `- **${group.check}** on ${where.join('; ')}${hidden > 0 ? ` and ${hidden} more` : ''}${group.count > 1 ? ` (x${group.count})` : ''}${marks.length ? ` _${marks.join(', ')}_` : ''}: ${code(truncate(group.message))}`,
    ...curlLine(first.shrunk?.curl ?? first.curl),
  ];
}

/** The reproduction, unless it is too long for a summary (a long body): report.html has it then. */
function curlLine(curl: string): string[] {
  if (!curl) return [];
  return [curl.length > MAX_CURL_CHARS ? `  _curl line of ${curl.length} characters: see \`report.html\`_` : `  ${code(curl)}`];
}

function truncate(s: string): string {
  return s.length > MAX_MESSAGE_CHARS ? `${s.slice(0, MAX_MESSAGE_CHARS)}…` : s;
}

/** An inline code span that survives backticks and line breaks in its content. */
function code(s: string): string {
  const flat = s.replace(/\s*\n\s*/g, ' ');
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((m) => m.length));
  const fence = '`'.repeat(longest + 1);
  return longest ? `${fence} ${flat} ${fence}` : `${fence}${flat}${fence}`;
}

/** Plain text that cannot open HTML tags in the rendered summary. */
function text(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/\s*\n\s*/g, ' ');
}
