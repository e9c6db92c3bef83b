import type { ParseArgsConfig } from 'node:util';
import { randomInt } from 'node:crypto';
import { UsageError, errorMessage } from './errors.ts';
import { integer, parseFlags, parseMode, parseVars, profileFrom, readReport } from './cli/common.ts';
import { PROVIDERS } from './providers/registry.ts';
import { runProvider } from './run/orchestrate.ts';
import { cleanupLedger } from './run/cleanup.ts';
import { compareReports, describeComparison } from './report/baseline.ts';
import { warningLines } from './report/warning-lines.ts';
import type { Session } from './run/session.ts';
import { mergeReports } from './report/merge.ts';
import { replayCommand } from './cli/replay.ts';
import { compareCommand } from './cli/compare.ts';
import { serveCommand } from './cli/serve.ts';
import type { ConformanceReport } from './report/model.ts';
import { writeReports } from './report/write.ts';
import { ProgressBoard, terminalStatus, type StatusLine } from './cli/progress.ts';
import { RateLimiter, parseRate } from './http/rate-limit.ts';
import type { ProviderProfile } from './providers/types.ts';

const USAGE = `usage: conformance <command> [options]

commands:
  run      run the conformance checks (against the built-in reference servers unless --target is given)
  serve    start a provider's reference server
  cleanup  delete what an interrupted run left behind (--ledger FILE)
  diff     compare two conformance.json files: new, still failing, fixed (diff OLD NEW)
  merge    combine shard reports into one (merge [--report-dir DIR] A.json B.json ...)
  replay   re-send one failure of a report and re-run its check (replay REPORT FAILURE-ID [--target URL] [--timeout MS] [--ready-timeout MS] [--examples N] [--spec FILE] [--var NAME=VALUE] [--allow-writes])
  compare  is B a drop-in replacement for A? (compare A.json B.json, or compare --provider NAME --target A --target B [--report-dir DIR] [--seed N] [--examples N])
  help     show this help

run options:
  --provider NAME     ${PROVIDERS.map((p) => p.name).join(', ')} (default: all)
  --target URL        the API's server root; credentials from CONFORMANCE_TOKEN or CONFORMANCE_USERNAME/CONFORMANCE_PASSWORD
  --spec FILE         an OpenAPI document to use instead of the bundled one
  --examples N        property-based examples per operation (default 25)
  --seed N            seed for reproducible data (default: random, printed)
  --var NAME=VALUE    value for a path parameter such as organizationId (repeatable)
  --report-dir DIR    where reports go (default ./reports)
  --timeout MS        per-request timeout (default 30000)
  --concurrency N     requests in flight per operation (default 4)
  --rate-limit RATE   at most RATE requests per second over the whole run: 10, 10/s or 600/min (default: unbounded)
  --max-duration D    stop sending after D (90s, 15m, 1h; a bare number is seconds), clean up, report what finished, exit 1
  --ready-timeout MS  how long a resource may take to become ready or gone (default 30000 on loopback, 30 min otherwise)
  --mode MODE         read-only (only GET and HEAD; the default for targets not on this machine) or full
  --allow-writes      confirms --mode full against a target that is not on this machine
  --dry-plan          print the plan (operations, resources to create, requests) and stop
  --list              print every planned operation with its checks, and stop
  --baseline FILE     compare with an earlier conformance.json: each failure is new, still failing, or fixed
  --fail-on any|new   with --baseline, "new" fails the run only on new failures (default any)
  --include SEL       only operations that match (repeatable): an operationId or glob, tag:NAME, GET, or a path glob like /clusters/**
  --exclude SEL       leave out operations that match (repeatable), in the same forms
  --max-resources N   how many resources the run may hold at once (default 3, unlimited on loopback)
  --poll-interval MS  how often its state is read meanwhile (default 50 on loopback, 5000 otherwise)

serve options: conformance serve --help (flags, CONFORMANCE_USERNAME/CONFORMANCE_PASSWORD/CONFORMANCE_TOKEN, seed data)
`;

const RUN_OPTIONS = {
  provider: { type: 'string' },
  target: { type: 'string' },
  spec: { type: 'string' },
  examples: { type: 'string' },
  seed: { type: 'string' },
  var: { type: 'string', multiple: true },
  'report-dir': { type: 'string' },
  timeout: { type: 'string' },
  concurrency: { type: 'string' },
  'rate-limit': { type: 'string' },
  'max-duration': { type: 'string' },
  'ready-timeout': { type: 'string' },
  'poll-interval': { type: 'string' },
  'max-resources': { type: 'string' },
  mode: { type: 'string' },
  'allow-writes': { type: 'boolean' },
  'dry-plan': { type: 'boolean' },
  list: { type: 'boolean' },
  baseline: { type: 'string' },
  'fail-on': { type: 'string' },
  include: { type: 'string', multiple: true },
  exclude: { type: 'string', multiple: true },
  fault: { type: 'string', multiple: true },
} satisfies ParseArgsConfig['options'];

/** Runs the CLI and returns the exit code: 0 all passed, 1 conformance failures, 2 usage or input errors, 130/143 interrupted. */
export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  /** A live status line, on a terminal only. */
  status?: StatusLine;
}

const CONSOLE_IO: Io = {
  out: (s) => console.log(s),
  err: (s) => console.error(s),
  // Plain, line-based output in CI and when piped; a live status line on a terminal.
  ...(process.stdout.isTTY && !process.env.CI ? { status: terminalStatus(process.stdout) } : {}),
};

export async function main(argv: string[], io: Io = CONSOLE_IO): Promise<number> {
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'run':
        return await runCommand(rest, io);
      case 'serve':
        return await serveCommand(rest, io);
      case 'cleanup':
        return await cleanupCommand(rest, io);
      case 'diff':
        return diffCommand(rest, io);
      case 'merge':
        return mergeCommand(rest, io);
      case 'replay':
        return await replayCommand(rest, io);
      case 'compare':
        return await compareCommand(rest, io);
      case 'help':
      case '--help':
      case '-h':
        io.out(USAGE);
        return 0;
      case undefined:
        io.err(USAGE);
        return 2;
      default:
        throw new UsageError(`unknown command '${command}'`, 'run `conformance help` for the commands');
    }
  } catch (error) {
    io.err(error instanceof UsageError ? error.oneLine() : `error: ${errorMessage(error)} (this is a bug in dbaas-conformance; please report it)`);
    return 2;
  }
}

/** Strict parsing of a command's flags, with no positional arguments. */
function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T) {
  const { values, positionals } = parseFlags(args, options, 'run `conformance help` for the options');
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`, 'run `conformance help` for the options');
  return values;
}

export { parseVars };

async function runCommand(args: string[], io: Io): Promise<number> {
  const flags = parse(args, RUN_OPTIONS);
  // Generic mode (--spec without --provider): any OpenAPI document, its resources inferred from its paths.
  if (!flags.provider && flags.spec && !flags.target && !flags['dry-plan'] && !flags.list) throw new UsageError('generic mode (--spec without --provider) needs --target', 'pass the URL of the API the document describes');
  const chosen = await profileFrom(flags.provider, flags.spec);
  const profiles: ProviderProfile[] = chosen ? [chosen] : [...PROVIDERS];
  if (flags.target && profiles.length > 1) throw new UsageError('--target needs --provider', 'a target serves one provider\'s API');
  const seed = flags.seed === undefined ? randomInt(2 ** 31) : integer(flags.seed, 'seed', 0, -(2 ** 31));
  const examples = integer(flags.examples, 'examples', 25, 1);
  const variables = parseVars(flags.var, process.env);
  const reportDir = flags['report-dir'] ?? 'reports';
  const sessions: Session[] = [];
  let signal: NodeJS.Signals | undefined;
  let timedOut = false;
  const onSignal = (s: NodeJS.Signals) => {
    signal = s;
    io.err(`${s}: stopping, cleaning up what this run created...`);
    for (const session of sessions) session.interrupt(s);
  };
  const rate = flags['rate-limit'];
  const perSecond = rate === undefined ? undefined : parseRate(rate);
  if (rate !== undefined && perSecond === undefined) throw new UsageError(`--rate-limit '${rate}' is not a rate`, 'for example --rate-limit 10/s or --rate-limit 600/min');
  const limiter = new RateLimiter(perSecond);
  const maxDurationMs = flags['max-duration'] === undefined ? undefined : parseDuration(flags['max-duration']);
  const deadline = maxDurationMs === undefined ? undefined : setTimeout(() => {
    timedOut = true;
    io.err(`--max-duration ${flags['max-duration']} reached: stopping, cleaning up what this run created...`);
    for (const session of sessions) session.interrupt('max-duration');
  }, maxDurationMs);
  deadline?.unref();
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  const failOn = flags['fail-on'] ?? 'any';
  if (failOn !== 'any' && failOn !== 'new') throw new UsageError(`--fail-on must be any or new, not '${failOn}'`, 'for example --fail-on new');
  if (failOn === 'new' && !flags.baseline) throw new UsageError('--fail-on new needs --baseline', 'pass the conformance.json of an earlier run');
  const baseline = flags.baseline ? { file: flags.baseline, report: readReport(flags.baseline) } : undefined;
  const mode = parseMode(flags.mode);
  const reports = new Map<string, ConformanceReport>();
  let fatal: UsageError | undefined;
  // Providers run side by side, each against its own reference server; a --target serves one provider.
  const side = profiles.length > 1 && !flags.target && !flags['dry-plan'] && !flags.list;
  const board = new ProgressBoard(io.out, io.status, side);
  const runOne = async (profile: ProviderProfile): Promise<void> => {
    if (signal || timedOut || fatal) return;
    try {
      const report = await runProvider({
        profile,
        specFile: flags.spec,
        target: flags.target,
        examples,
        seed,
        variables,
        reportDir,
        env: process.env,
        timeoutMs: integer(flags.timeout, 'timeout', 30_000, 1),
        concurrency: integer(flags.concurrency, 'concurrency', 4, 1),
        readyTimeoutMs: flags['ready-timeout'] === undefined ? undefined : integer(flags['ready-timeout'], 'ready-timeout', 30_000, 1),
        maxResources: flags['max-resources'] === undefined ? undefined : integer(flags['max-resources'], 'max-resources', 3, 1),
        pollIntervalMs: flags['poll-interval'] === undefined ? undefined : integer(flags['poll-interval'], 'poll-interval', 50, 1),
        faults: flags.fault,
        mode,
        allowWrites: flags['allow-writes'],
        dryPlan: flags['dry-plan'] || flags.list,
        list: flags.list,
        include: flags.include,
        exclude: flags.exclude,
        onPlan: (lines) => lines.forEach((line) => board.print(line)),
        limiter,
        ...(side ? { ledgerName: `ledger-${profile.name}.json` } : {}),
        onEvent: board.printer(),
        onSession: (s) => {
          sessions.push(s);
          if (signal) s.interrupt(signal);
          else if (timedOut) s.interrupt('max-duration');
        },
      });
      if (report) reports.set(profile.name, report);
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      fatal ??= error;
      for (const session of sessions) session.interrupt('error');
    }
  };
  const reportsInOrder = () => profiles.flatMap((p) => reports.get(p.name) ?? []);
  try {
    if (side) await Promise.all(profiles.map(runOne));
    else for (const profile of profiles) await runOne(profile);
    board.end();
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    if (deadline) clearTimeout(deadline);
  }
  if (reports.size > 0) {
    const report = mergeReports(reportsInOrder());
    const comparison = baseline ? compareReports(baseline.report, report) : undefined;
    if (comparison) report.baseline = { file: baseline!.file, new: comparison.new.map((f) => f.id), stillFailing: comparison.stillFailing.map((f) => f.id), fixed: comparison.fixed.map((f) => f.id), fixedFailures: comparison.fixed };
    const files = writeReports(report, reportDir);
    const s = report.summary;
    io.out(`\n${s.failed === 0 ? 'PASS' : 'FAIL'}: ${s.passed} passed, ${s.failed} failed, ${s.skipped} not applicable; ${s.operationsExercised}/${s.operations} operations exercised, ${s.requests} requests (seed ${report.run.seed})`);
    for (const alert of report.alerts ?? []) io.out(`WARNING: ${alert}`);
    for (const r of report.results.filter((x) => x.outcome === 'failed').slice(0, 10)) {
      const f = r.failures[0]!;
      io.out(`  ${r.check} ${r.provider} ${r.operationId}: ${f.message}\n    ${f.curl}`);
      if (f.shrunk) io.out(`    smallest failing request (fast-check seed ${f.shrunk.seed}, path ${f.shrunk.path}):\n    ${f.shrunk.curl}`);
    }
    warningLines(report).forEach((line) => io.out(line));
    if (comparison) describeComparison(comparison).forEach((line) => io.out(line));
    io.out(`reports: ${files.join(', ')}`);
    if (fatal) {
      io.err(fatal.oneLine());
      return 2;
    }
    if (signal) return signal === 'SIGINT' ? 130 : 143;
    if (timedOut) {
      io.out(`stopped by --max-duration ${flags['max-duration']}: ${s.operations - s.operationsExercised} operations not exercised`);
      return 1;
    }
    if (failOn === 'new' && comparison) return comparison.new.length > 0 ? 1 : 0;
    return s.failed > 0 ? 1 : 0;
  }
  if (fatal) throw fatal;
  if (flags['dry-plan'] || flags.list) return 0;
  if (timedOut) return 1;
  return signal === 'SIGTERM' ? 143 : 130;
}

/** `90s`, `15m`, `1h`, `500ms`, or a bare number of seconds, in milliseconds. */
export function parseDuration(value: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
  const ms = match ? Number(match[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(match[2] ?? 's') as 'ms' | 's' | 'm' | 'h'] : NaN;
  if (!(ms > 0)) throw new UsageError(`--max-duration '${value}' is not a duration`, 'for example --max-duration 15m or --max-duration 90s');
  return ms;
}

function mergeCommand(args: string[], io: Io): number {
  const { values, positionals } = parseFlags(args, { 'report-dir': { type: 'string' } }, 'conformance merge --report-dir merged shard-1/conformance.json shard-2/conformance.json');
  if (positionals.length === 0) throw new UsageError('merge needs the reports to combine', 'conformance merge --report-dir merged shard-1/conformance.json shard-2/conformance.json');
  const report = mergeReports(positionals.map(readReport));
  const files = writeReports(report, values['report-dir'] ?? 'reports');
  const s = report.summary;
  io.out(`${s.failed === 0 ? 'PASS' : 'FAIL'}: ${s.passed} passed, ${s.failed} failed, ${s.skipped} not applicable; ${s.operationsExercised}/${s.operations} operations exercised, ${s.requests} requests, from ${positionals.length} reports`);
  io.out(`reports: ${files.join(', ')}`);
  return s.failed > 0 || report.run.interrupted ? 1 : 0;
}

function diffCommand(args: string[], io: Io): number {
  if (args.length !== 2 || args.some((a) => a.startsWith('-'))) throw new UsageError('diff takes two reports', 'conformance diff previous/conformance.json reports/conformance.json');
  const comparison = compareReports(readReport(args[0]!), readReport(args[1]!));
  describeComparison(comparison).forEach((line) => io.out(line));
  return comparison.new.length > 0 ? 1 : 0;
}

async function cleanupCommand(args: string[], io: Io): Promise<number> {
  const flags = parse(args, { ledger: { type: 'string' } });
  if (!flags.ledger) throw new UsageError('cleanup needs --ledger FILE', 'pass the ledger.json from the report directory of the interrupted run');
  const result = await cleanupLedger(flags.ledger, process.env);
  io.out(`cleanup: ${result.deleted} deleted, ${result.remaining.length} left in ${flags.ledger}`);
  for (const entry of result.remaining) io.out(`  still there: ${entry.provider} ${entry.resource} ${entry.path}`);
  return result.remaining.length > 0 ? 1 : 0;
}
