import type { ConformanceReport } from './model.ts';

export interface Verdict {
  pass: boolean;
  /** The headline: PASS, PASS (3 known failures), FAIL, INTERRUPTED. */
  label: string;
  /** 0 when it passes, 1 otherwise (a signal's 130/143 is the CLI's). */
  exitCode: 0 | 1;
}

/**
 * The one verdict every report headline and the exit code come from. Failures fail the run, except with
 * `--fail-on new` against a baseline, where only new failures do (the others are known: PASS (N known failures)).
 * A run that stopped early without failing is INTERRUPTED, never PASS.
 */
export function verdictOf(report: ConformanceReport): Verdict {
  const b = report.baseline;
  const onlyNew = b?.failOn === 'new';
  if (onlyNew ? b.new.length > 0 : report.summary.failed > 0) return { pass: false, label: 'FAIL', exitCode: 1 };
  if (report.run.interrupted) return { pass: false, label: 'INTERRUPTED', exitCode: 1 };
  const known = onlyNew ? b.stillFailing.length : 0;
  return { pass: true, label: known > 0 ? `PASS (${known} known ${known === 1 ? 'failure' : 'failures'})` : 'PASS', exitCode: 0 };
}
