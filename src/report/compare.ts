import type { ConformanceReport, Outcome } from './model.ts';

/** A check's outcome on one side; `absent` when that side's report has no result for the operation and check. */
export type SideOutcome = Outcome | 'absent';

/** One cell of the matrix: an operation and a check, with the outcome against A and against B. */
export interface CompareRow {
  provider: string;
  operationId: string;
  method: string;
  path: string;
  check: string;
  a: SideOutcome;
  b: SideOutcome;
  /** The first failure message on each side, when that side failed. */
  aFailure?: string;
  bFailure?: string;
  /** The stable failure ids on each side (src/report/baseline.ts), to replay them. */
  aFailureIds?: string[];
  bFailureIds?: string[];
}

export interface SideInfo {
  provider: string;
  target: string;
  seed: number;
  passed: number;
  failed: number;
  skipped: number;
}

export interface OutcomeComparison {
  a: SideInfo;
  b: SideInfo;
  /** Every operation and check either side knows, in A's report order, then what only B has. */
  rows: CompareRow[];
  /** Passed by A, failed by B: what stops B from being a drop-in replacement. */
  regressions: CompareRow[];
  /** Failed by A, passed by B. */
  improvements: CompareRow[];
  /** Passed by A, not applicable in (or missing from) B: B was never judged there, so this is no regression, but worth a look. */
  unjudgedInB: CompareRow[];
  /** Failed by both. */
  bothFailed: CompareRow[];
  /** B is a drop-in replacement for A: nothing that passes against A fails against B. */
  dropIn: boolean;
  verdict: string;
}

/**
 * Compares two reports operation by operation and check by check. Rows are keyed by operationId and check;
 * when either report covers more than one provider, the provider is part of the key too.
 */
export function compareOutcomes(a: ConformanceReport, b: ConformanceReport): OutcomeComparison {
  const providers = (r: ConformanceReport) => new Set(r.results.map((x) => x.provider));
  const withProvider = providers(a).size > 1 || providers(b).size > 1;
  const keyOf = (r: ConformanceReport['results'][number]) => (withProvider ? `${r.provider}\u0000` : '') + `${r.operationId}\u0000${r.check}`;
  const rows = new Map<string, CompareRow>();
  const firstFailure = (r: ConformanceReport['results'][number]) => (r.outcome === 'failed' ? r.failures[0]?.message : undefined);
  const ids = (r: ConformanceReport['results'][number]) => r.failures.flatMap((f) => (f.id ? [f.id] : []));
  for (const r of a.results) {
    rows.set(keyOf(r), {
      provider: r.provider,
      operationId: r.operationId,
      method: r.method,
      path: r.path,
      check: r.check,
      a: r.outcome,
      b: 'absent',
      ...(r.outcome === 'failed' ? { aFailure: firstFailure(r), aFailureIds: ids(r) } : {}),
    });
  }
  for (const r of b.results) {
    const key = keyOf(r);
    const row = rows.get(key) ?? { provider: r.provider, operationId: r.operationId, method: r.method, path: r.path, check: r.check, a: 'absent' as const, b: 'absent' as const };
    row.b = r.outcome;
    if (r.outcome === 'failed') Object.assign(row, { bFailure: firstFailure(r), bFailureIds: ids(r) });
    rows.set(key, row);
  }
  const all = [...rows.values()];
  const regressions = all.filter((r) => r.a === 'passed' && r.b === 'failed');
  const improvements = all.filter((r) => r.a === 'failed' && r.b === 'passed');
  const unjudgedInB = all.filter((r) => r.a === 'passed' && (r.b === 'skipped' || r.b === 'absent'));
  const bothFailed = all.filter((r) => r.a === 'failed' && r.b === 'failed');
  const dropIn = regressions.length === 0;
  const side = (r: ConformanceReport): SideInfo => ({ provider: r.run.provider, target: r.run.target, seed: r.run.seed, passed: r.summary.passed, failed: r.summary.failed, skipped: r.summary.skipped });
  const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
  const unjudged = unjudgedInB.length > 0 ? `; ${plural(unjudgedInB.length, 'check')} that pass against A ${unjudgedInB.length === 1 ? 'was' : 'were'} not judged against B` : '';
  const verdict = dropIn
    ? `yes: B is a drop-in replacement for A (nothing that passes against A fails against B; ${plural(improvements.length, 'check')} fixed${unjudged})`
    : `no: B is not a drop-in replacement for A (${plural(regressions.length, 'check')} passed by A ${regressions.length === 1 ? 'fails' : 'fail'} against B${unjudged})`;
  return { a: side(a), b: side(b), rows: all, regressions, improvements, unjudgedInB, bothFailed, dropIn, verdict };
}

const LETTER: Record<SideOutcome, string> = { passed: 'P', failed: 'F', skipped: '-', absent: '?' };

/** The comparison as compact text: the two differing groups, the matrix (one line per operation), and the verdict last. */
export function describeOutcomeComparison(c: OutcomeComparison): string[] {
  const row = (r: CompareRow, message?: string) => `  ${r.check} ${r.operationId} (${r.method} ${r.path})${message ? `: ${message}` : ''}`;
  const lines = [
    `A: ${c.a.target} (${c.a.provider}, seed ${c.a.seed}): ${c.a.passed} passed, ${c.a.failed} failed`,
    `B: ${c.b.target} (${c.b.provider}, seed ${c.b.seed}): ${c.b.passed} passed, ${c.b.failed} failed`,
    `passed by A, failed by B (${c.regressions.length}):`,
    ...c.regressions.map((r) => row(r, `${r.bFailure ?? ''}${r.bFailureIds?.[0] ? ` [${r.bFailureIds[0]}]` : ''}`)),
    `failed by A, passed by B (${c.improvements.length}):`,
    ...c.improvements.map((r) => row(r, `${r.aFailure ?? ''}${r.aFailureIds?.[0] ? ` [${r.aFailureIds[0]}]` : ''}`)),
  ];
  if (c.unjudgedInB.length > 0) lines.push(`passed by A, not applicable in B (${c.unjudgedInB.length}):`, ...c.unjudgedInB.slice(0, 20).map((r) => row(r)), ...(c.unjudgedInB.length > 20 ? [`  ... and ${c.unjudgedInB.length - 20} more in compare.json`] : []));
  lines.push('matrix, A/B per operation (P passed, F failed, - not applicable, ? not in that report; * where they differ; checks passed by both are counted):');
  for (const op of byOperation(c.rows)) {
    const judged = op.rows.filter((r) => !isIdle(r));
    const both = judged.filter((r) => r.a === 'passed' && r.b === 'passed').length;
    const cells = judged.filter((r) => !(r.a === 'passed' && r.b === 'passed')).map((r) => `${r.check} ${LETTER[r.a]}/${LETTER[r.b]}${r.a !== r.b ? '*' : ''}`);
    const text = [...(both > 0 ? [`${both} P/P`] : []), ...cells].join(', ');
    lines.push(`  ${op.method.padEnd(6)} ${op.path} (${op.operationId}): ${text || 'no check applied on either side'}`);
  }
  lines.push(`verdict: ${c.verdict}`);
  return lines;
}

const MARK: Record<SideOutcome, string> = { passed: '✅', failed: '❌', skipped: '·', absent: '' };

/** The matrix as Markdown: one row per operation, one column per check that applied on either side, cells "A / B". */
export function outcomeComparisonMarkdown(c: OutcomeComparison): string {
  const checks = [...new Set(c.rows.filter((r) => !isIdle(r)).map((r) => r.check))];
  const lines = [
    '# Conformance comparison',
    '',
    `- **A**: ${c.a.target} (${c.a.provider}, seed ${c.a.seed}): ${c.a.passed} passed, ${c.a.failed} failed`,
    `- **B**: ${c.b.target} (${c.b.provider}, seed ${c.b.seed}): ${c.b.passed} passed, ${c.b.failed} failed`,
    '',
    `**Drop-in replacement?** ${escapeCell(c.verdict)}`,
    '',
  ];
  const group = (title: string, rows: CompareRow[], message: (r: CompareRow) => string | undefined) => {
    lines.push(`## ${title} (${rows.length})`, '');
    if (rows.length === 0) lines.push('none', '');
    else lines.push(...rows.map((r) => `- **${r.check}** on \`${r.operationId}\` (\`${r.method} ${r.path}\`)${message(r) ? `: ${escapeCell(message(r)!)}` : ''}`), '');
  };
  group('Passed by A, failed by B', c.regressions, (r) => r.bFailure);
  group('Failed by A, passed by B', c.improvements, (r) => r.aFailure);
  lines.push('## Matrix (A / B)', '', `| operation | ${checks.join(' | ')} |`, `|---|${checks.map(() => ':-:').join('|')}|`);
  for (const op of byOperation(c.rows)) {
    const cells = new Map(op.rows.map((r) => [r.check, r]));
    lines.push(
      `| \`${op.method} ${op.path}\` ${op.operationId} | ${checks
        .map((check) => {
          const r = cells.get(check);
          if (!r || isIdle(r)) return MARK.skipped;
          const cell = `${MARK[r.a] || '–'} / ${MARK[r.b] || '–'}`;
          return r.a !== r.b ? `**${cell}**` : cell;
        })
        .join(' | ')} |`,
    );
  }
  lines.push('', `${MARK.passed} passed, ${MARK.failed} failed, ${MARK.skipped} not applicable, – not in that report; bold where A and B differ`, '');
  return lines.join('\n');
}

/** Neither side judged it: left out of the printed matrix. */
function isIdle(r: CompareRow): boolean {
  return (r.a === 'skipped' || r.a === 'absent') && (r.b === 'skipped' || r.b === 'absent');
}

function byOperation(rows: CompareRow[]): { operationId: string; method: string; path: string; rows: CompareRow[] }[] {
  const ops = new Map<string, { operationId: string; method: string; path: string; rows: CompareRow[] }>();
  for (const r of rows) {
    const key = `${r.provider}\u0000${r.operationId}`;
    if (!ops.has(key)) ops.set(key, { operationId: r.operationId, method: r.method, path: r.path, rows: [] });
    ops.get(key)!.rows.push(r);
  }
  return [...ops.values()];
}

function escapeCell(text: string): string {
  return text.replaceAll('|', '\\|').replaceAll('\n', ' ');
}
