import { readFileSync } from 'node:fs';
import type { ParseArgsConfig } from 'node:util';
import { UsageError, errorMessage } from './errors.ts';
import { COMMANDS, commandHelp, didYouMean, isCommand, overview } from './cli/commands.ts';
import { parseCommand, wantsHelp } from './cli/flags.ts';
import { colourEnabled, paint } from './cli/colour.ts';
import type { Session } from './run/session.ts';
import type { ConformanceReport } from './report/model.ts';
import type { StatusLine } from './cli/progress.ts';
import type { ProviderProfile } from './providers/types.ts';
import { parseVars } from './cli/vars.ts';

// Only the command table and the flag parser load at start (--help and --version print at once);
// each command imports what it needs when it runs.

/** Runs the CLI and returns the exit code: 0 all passed, 1 conformance failures, 2 usage or input errors, 130/143 interrupted. */
export interface Io {
  out: (s: string) => void;
  err: (s: string) => void;
  /** A live status line, on a terminal only. */
  status?: StatusLine;
}

const paintOut = colourEnabled(process.stdout, process.env) ? paint : (s: string) => s;
const paintErr = colourEnabled(process.stderr, process.env) ? paint : (s: string) => s;
const CONSOLE_IO: Io = {
  out: (s) => console.log(paintOut(s)),
  err: (s) => console.error(paintErr(s)),
};

/** Plain, line-based output in CI and when piped; a live status line on a terminal. */
async function withStatus(io: Io): Promise<Io> {
  if (io !== CONSOLE_IO || !process.stdout.isTTY || process.env.CI) return io;
  const { terminalStatus } = await import('./cli/progress.ts');
  return { ...io, status: terminalStatus(process.stdout) };
}

/** The version in package.json. */
export function version(): string {
  return (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;
}

export async function main(argv: string[], io: Io = CONSOLE_IO): Promise<number> {
  const [command, ...rest] = argv;
  try {
    if (command === '--version' || command === '-v' || command === 'version') {
      io.out(version());
      return 0;
    }
    // serve prints its own, longer help (credentials, seed data formats) from src/cli/serve.ts.
    if (command !== undefined && isCommand(command) && command !== 'help' && command !== 'serve' && wantsHelp(rest)) {
      io.out(commandHelp(command));
      return 0;
    }
    switch (command) {
      case 'run':
        return await runCommand(rest, await withStatus(io));
      case 'serve':
        return await (await import('./cli/serve.ts')).serveCommand(rest, io);
      case 'cleanup':
        return await cleanupCommand(rest, io);
      case 'diff':
        return await diffCommand(rest, io);
      case 'merge':
        return await mergeCommand(rest, io);
      case 'replay':
        return await (await import('./cli/replay.ts')).replayCommand(rest, io);
      case 'compare':
        return await (await import('./cli/compare.ts')).compareCommand(rest, io);
      case 'help':
      case '--help':
      case '-h':
        return await helpCommand(rest, io);
      case undefined:
        io.err(overview());
        return 2;
      default: {
        const suggestion = didYouMean(command, Object.keys(COMMANDS));
        if (command.startsWith('-')) throw new UsageError(`'${command}' before a command`, 'put options after the command, e.g. conformance run --help; conformance --help lists the commands');
        throw new UsageError(`unknown command '${command}'${suggestion ? `; did you mean '${suggestion}'?` : ''}`, 'run `conformance --help` for the commands');
      }
    }
  } catch (error) {
    io.err(error instanceof UsageError ? error.oneLine() : `error: ${errorMessage(error)} (this is a bug in dbaas-conformance; please report it)`);
    return 2;
  }
}

/** `conformance help [COMMAND]`. */
async function helpCommand(args: string[], io: Io): Promise<number> {
  const [name] = args.filter((a) => a !== '--help' && a !== '-h');
  if (name === undefined) {
    io.out(overview());
    return 0;
  }
  if (!isCommand(name)) {
    const suggestion = didYouMean(name, Object.keys(COMMANDS));
    throw new UsageError(`unknown command '${name}'${suggestion ? `; did you mean '${suggestion}'?` : ''}`, 'run `conformance --help` for the commands');
  }
  if (name === 'serve') return (await import('./cli/serve.ts')).serveCommand(['--help'], io);
  io.out(commandHelp(name));
  return 0;
}

/** Strict parsing of a command's flags (from the command table), with no positional arguments. */
function parse<F extends NonNullable<ParseArgsConfig['options']>>(command: { name: string; flags: F }, args: string[]) {
  const { values, positionals } = parseCommand(command, args);
  if (positionals.length > 0) throw new UsageError(`unexpected argument '${positionals[0]}'`, `run \`conformance ${command.name} --help\` for its options`);
  return values;
}

export { parseVars };

/** `run`: a report directory the run created is removed again, while empty, when the run ends without writing a report. */
async function runCommand(args: string[], given: Io): Promise<number> {
  const reportDirectory: { release?: () => void } = {};
  try {
    return await runAndReport(args, given, reportDirectory);
  } finally {
    reportDirectory.release?.();
  }
}

async function runAndReport(args: string[], given: Io, reportDirectory: { release?: () => void }): Promise<number> {
  const flags = await (await import('./cli/config-file.ts')).applyConfigFile(COMMANDS.run.flags, parse(COMMANDS.run, args), process.cwd(), process.env);
  // --json: NDJSON events on stdout for machines; the lines for people go to stderr, and no status line.
  const machine = flags.json ? given.out : undefined;
  const io: Io = machine ? { out: given.err, err: given.err } : given;
  const jsonEvents = machine ? (await import('./cli/ndjson.ts')).ndjsonEvents(machine) : undefined;
  const [{ randomInt }, { integer, parseMode, profileFrom, readReport }, { PROVIDERS }, { runProvider }, { compareReports, describeComparison }, { mergeReports }, { writeReports }, { ProgressBoard }, { RateLimiter, parseRate }, { parseHeaders }, { consoleSummary }, { verdictOf }] = await Promise.all([
    import('node:crypto'),
    import('./cli/common.ts'),
    import('./providers/registry.ts'),
    import('./app/run-provider.ts'),
    import('./report/baseline.ts'),
    import('./report/merge.ts'),
    import('./report/write.ts'),
    import('./cli/progress.ts'),
    import('./http/rate-limit.ts'),
    import('./http/headers.ts'),
    import('./report/console.ts'),
    import('./report/verdict.ts'),
  ]);
  // Generic mode (--spec without --provider): any OpenAPI document, its resources inferred from its paths.
  if (!flags.provider && flags.spec && !flags.target && !flags['dry-plan'] && !flags.list) throw new UsageError('generic mode (--spec without --provider) needs --target', 'pass the URL of the API the document describes');
  const chosen = await profileFrom(flags.provider, flags.spec);
  const profiles: ProviderProfile[] = chosen ? [chosen] : [...PROVIDERS];
  if (flags.target && profiles.length > 1) throw new UsageError('--target needs --provider', 'a target serves one provider\'s API');
  const seedFlag = flags.seed ?? (process.env.CONFORMANCE_SEED || undefined);
  const seed = seedFlag === undefined ? randomInt(2 ** 31) : integer(seedFlag, 'seed', 0, -(2 ** 31));
  const examples = integer(flags.examples, 'examples', 25, 1);
  const headers = parseHeaders(flags.header);
  const variables = parseVars(flags.var, process.env);
  const reportDir = flags['report-dir'] ?? 'reports';
  const extraReports = flags.report ?? [];
  for (const format of extraReports) if (format !== 'har') throw new UsageError(`--report ${format} is not a report format`, 'the extra format is har; conformance.json, junit.xml, summary.md and report.html are always written');
  const har = extraReports.includes('har') ? new (await import('./report/har.ts')).HarRecorder() : undefined;
  if (reportDir === '-') throw new UsageError('--report-dir - would write four reports to stdout', 'pass a directory; the console summary is on stdout already');
  // Before anything is sent: results that cannot be written are lost (a plan writes nothing).
  if (!flags['dry-plan'] && !flags.list) reportDirectory.release = (await import('./run/report-dir.ts')).checkReportDir(reportDir);
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
  // The time counts from the first provider's start of sending (run-start), not from the loading of specs and modules
  // before it, which a loaded machine stretches: --max-duration bounds the run's traffic and cleanup.
  let deadline: NodeJS.Timeout | undefined;
  const armDeadline = () => {
    if (maxDurationMs === undefined || deadline) return;
    deadline = setTimeout(() => {
      timedOut = true;
      io.err(`--max-duration ${flags['max-duration']} reached: stopping, cleaning up what this run created...`);
      for (const session of sessions) session.interrupt('max-duration');
    }, maxDurationMs);
    deadline.unref();
  };
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
  if (flags.configFile) board.print(`options from ${flags.configFile}`);
  // The first line comes before the specs load and the servers start, so a run never starts on a blank screen.
  if (!flags['dry-plan'] && !flags.list) board.print(`conformance ${version()}: ${profiles.map((p) => p.name).join(', ')} against ${flags.target ?? (profiles.length > 1 ? 'their built-in reference servers' : 'the built-in reference server')}, seed ${seed}, ${examples} examples per operation`);
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
        headers,
        ...(har ? { har } : {}),
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
        onEvent: withDeadline(tee(board.printer(), jsonEvents?.()), armDeadline),
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
    if (comparison) report.baseline = { file: baseline!.file, failOn, new: comparison.new.map((f) => f.id), stillFailing: comparison.stillFailing.map((f) => f.id), fixed: comparison.fixed.map((f) => f.id), fixedFailures: comparison.fixed };
    delete reportDirectory.release;
    const files = writeReports(report, reportDir);
    if (har) {
      const { writeFileSync } = await import('node:fs');
      const file = (await import('node:path')).join(reportDir, 'exchanges.har');
      writeFileSync(file, har.toJson(version()));
      files.push(file);
    }
    if (flags.allure) {
      (await import('./report/allure-results.ts')).writeAllureResults(report, flags.allure, version());
      files.push(flags.allure);
    }
    const s = report.summary;
    io.out('');
    const [headline, ...details] = consoleSummary(report);
    io.out(headline!);
    for (const alert of report.alerts ?? []) io.out(`WARNING: ${alert}`);
    details.forEach((line) => io.out(line));
    (await import('./report/warning-lines.ts')).warningLines(report).forEach((line) => io.out(line));
    if (comparison) describeComparison(comparison).forEach((line) => io.out(line));
    io.out(`reports: ${files.join(', ')}`);
    const code = fatal ? 2 : signal ? (signal === 'SIGINT' ? 130 : 143) : timedOut ? 1 : verdictOf(report).exitCode;
    if (fatal) io.err(fatal.oneLine());
    else if (timedOut && !signal) io.out(`stopped by --max-duration ${flags['max-duration']}: ${s.operations - s.operationsExercised} operations not exercised`);
    if (machine) machine((await import('./cli/ndjson.ts')).summaryEvent(report, files, code));
    return code;
  }
  if (fatal) throw fatal;
  if (flags['dry-plan'] || flags.list) return 0;
  if (timedOut) return 1;
  return signal === 'SIGTERM' ? 143 : 130;
}

/** One event sink feeding two. */
function tee<E>(a: (event: E) => void, b: ((event: E) => void) | undefined): (event: E) => void {
  return b ? (event) => (a(event), b(event)) : a;
}

/** The event sink, arming the --max-duration timer when a provider starts sending. */
function withDeadline<E extends { type: string }>(sink: (event: E) => void, arm: () => void): (event: E) => void {
  return (event) => {
    if (event.type === 'run-start') arm();
    sink(event);
  };
}

/** `90s`, `15m`, `1h`, `500ms`, or a bare number of seconds, in milliseconds. */
export function parseDuration(value: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h)?$/.exec(value.trim());
  const ms = match ? Number(match[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[(match[2] ?? 's') as 'ms' | 's' | 'm' | 'h'] : NaN;
  if (!(ms > 0)) throw new UsageError(`--max-duration '${value}' is not a duration`, 'for example --max-duration 15m or --max-duration 90s');
  return ms;
}

async function mergeCommand(args: string[], io: Io): Promise<number> {
  const { values, positionals } = parseCommand(COMMANDS.merge, args);
  const [{ readReport }, { mergeReports }, { writeReports }, { consoleSummary }, { verdictOf }] = await Promise.all([import('./cli/common.ts'), import('./report/merge.ts'), import('./report/write.ts'), import('./report/console.ts'), import('./report/verdict.ts')]);
  if (positionals.length === 0) throw new UsageError('merge needs the reports to combine', 'conformance merge --report-dir merged shard-1/conformance.json shard-2/conformance.json');
  const report = mergeReports(positionals.map(readReport));
  const files = writeReports(report, values['report-dir'] ?? 'reports');
  consoleSummary(report, `from ${positionals.length} reports`).forEach((line) => io.out(line));
  io.out(`reports: ${files.join(', ')}`);
  return verdictOf(report).exitCode;
}

async function diffCommand(args: string[], io: Io): Promise<number> {
  const { positionals } = parseCommand(COMMANDS.diff, args);
  if (positionals.length !== 2) throw new UsageError('diff takes two reports', 'conformance diff previous/conformance.json reports/conformance.json');
  const [{ readReport }, { compareReports, describeComparison }] = await Promise.all([import('./cli/common.ts'), import('./report/baseline.ts')]);
  const comparison = compareReports(readReport(positionals[0]!), readReport(positionals[1]!));
  describeComparison(comparison).forEach((line) => io.out(line));
  return comparison.new.length > 0 ? 1 : 0;
}

async function cleanupCommand(args: string[], io: Io): Promise<number> {
  const flags = parse(COMMANDS.cleanup, args);
  const { cleanupLedger } = await import('./run/cleanup.ts');
  if (!flags.ledger) throw new UsageError('cleanup needs --ledger FILE', 'pass the ledger.json from the report directory of the interrupted run');
  const result = await cleanupLedger(flags.ledger, process.env);
  io.out(`cleanup: ${result.deleted} deleted, ${result.remaining.length} left in ${flags.ledger}`);
  for (const entry of result.remaining) io.out(`  still there: ${entry.provider} ${entry.resource} ${entry.path}`);
  return result.remaining.length > 0 ? 1 : 0;
}

