import { randomInt } from 'node:crypto';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { UsageError } from '../errors.ts';
import { COMMANDS } from './commands.ts';
import { compareOutcomes, describeOutcomeComparison, outcomeComparisonMarkdown } from '../report/compare.ts';
import type { ConformanceReport } from '../report/model.ts';
import { writeReports } from '../report/write.ts';
import { runProvider } from '../app/run-provider.ts';
import { isLoopback } from '../run/orchestrate.ts';
import type { RunMode } from '../run/plan.ts';
import { integer, parseFlags, parseMode, parseVars, profileFrom, readReport, signalExitCode, withSignals, type Io } from './common.ts';

const USAGE = 'conformance compare A.json B.json, or conformance compare --provider NAME --target A --target B [--report-dir DIR] [--seed N] [--examples N] [run options]';

/**
 * `conformance compare`: is B a drop-in replacement for A? Either compares two existing conformance.json files, or
 * runs one provider against two targets in turn with the same seed (with one --target, A is the provider's
 * built-in reference server). Prints what A passes and B fails and the reverse, the matrix, and a verdict; writes
 * compare.json and compare.md (and each run's reports under a/ and b/) into --report-dir.
 * Exit 0 when nothing that passes against A fails against B, 1 otherwise, 2 on bad input.
 */
export async function compareCommand(args: string[], io: Io, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values: flags, positionals } = parseFlags(args, COMMANDS.compare.flags, USAGE);
  const reportDir = flags['report-dir'] ?? 'reports';
  let a: ConformanceReport;
  let b: ConformanceReport;
  const sources: { a: string; b: string } = { a: '', b: '' };
  if (positionals.length > 0) {
    const runFlags = Object.keys(flags).filter((f) => f !== 'report-dir');
    if (positionals.length !== 2) throw new UsageError(`compare takes two reports, not ${positionals.length}`, USAGE);
    if (runFlags.length > 0) throw new UsageError(`--${runFlags[0]} is for comparing two targets, not two reports`, USAGE);
    [sources.a, sources.b] = positionals as [string, string];
    a = readReport(sources.a);
    b = readReport(sources.b);
  } else {
    const targets = flags.target ?? [];
    if (targets.length === 0 || targets.length > 2) throw new UsageError(`compare needs two targets (or one, compared with the built-in reference server), not ${targets.length}`, USAGE);
    const profile = await profileFrom(flags.provider, flags.spec);
    if (!profile) throw new UsageError('compare needs --provider (or --spec for any OpenAPI document)', USAGE);
    const [targetA, targetB] = targets.length === 2 ? [targets[0], targets[1]] : [undefined, targets[0]];
    const mode: RunMode = parseMode(flags.mode) ?? ([targetA, targetB].every((t) => t === undefined || isLoopback(t)) ? 'full' : 'read-only');
    const seed = flags.seed === undefined ? randomInt(2 ** 31) : integer(flags.seed, 'seed', 0, -(2 ** 31));
    const options = {
      profile,
      specFile: flags.spec,
      examples: integer(flags.examples, 'examples', 25, 1),
      seed,
      variables: parseVars(flags.var, env),
      env,
      timeoutMs: integer(flags.timeout, 'timeout', 30_000, 1),
      concurrency: integer(flags.concurrency, 'concurrency', 4, 1),
      readyTimeoutMs: flags['ready-timeout'] === undefined ? undefined : integer(flags['ready-timeout'], 'ready-timeout', 30_000, 1),
      mode,
      allowWrites: flags['allow-writes'],
      include: flags.include,
      exclude: flags.exclude,
    };
    const runs: ConformanceReport[] = [];
    const { signal } = await withSignals(io, async (onSession) => {
      for (const [label, target] of [['a', targetA], ['b', targetB]] as const) {
        io.out(`${label.toUpperCase()}: running ${profile.name} against ${target ?? 'the built-in reference server'} (seed ${seed}, ${mode})`);
        const dir = join(reportDir, label);
        const report = await runProvider({ ...options, target, reportDir: dir, onSession });
        if (!report) return;
        // Each side's own reports, so that its failures can be replayed (conformance replay a/conformance.json ID).
        writeReports(report, dir, {});
        runs.push(report);
        if (report.run.interrupted) return;
      }
    });
    if (signal) return signalExitCode(signal);
    if (runs.length !== 2) throw new UsageError('a run produced no report', USAGE);
    [a, b] = runs as [ConformanceReport, ConformanceReport];
    sources.a = join(reportDir, 'a', 'conformance.json');
    sources.b = join(reportDir, 'b', 'conformance.json');
  }
  const comparison = compareOutcomes(a, b);
  mkdirSync(reportDir, { recursive: true });
  const json = join(reportDir, 'compare.json');
  const md = join(reportDir, 'compare.md');
  const markdown = outcomeComparisonMarkdown(comparison);
  writeFileSync(json, `${JSON.stringify({ schemaVersion: '1.0', reports: sources, ...comparison }, null, 2)}\n`);
  writeFileSync(md, markdown);
  if (env.GITHUB_STEP_SUMMARY) appendFileSync(env.GITHUB_STEP_SUMMARY, markdown);
  io.out(`comparison: ${json}, ${md}`);
  describeOutcomeComparison(comparison).forEach((line) => io.out(line));
  return comparison.dropIn ? 0 : 1;
}
