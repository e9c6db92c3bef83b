import { UsageError } from '../errors.ts';
import { COMMANDS } from './commands.ts';
import { PROVIDERS } from '../providers/registry.ts';
import type { ProviderProfile } from '../providers/types.ts';
import { isLoopback, reachable } from '../run/orchestrate.ts';
import { findFailure, replayFailure } from '../replay/index.ts';
import { integer, parseFlags, parseVars, profileFrom, readReport, signalExitCode, withSignals, type Io } from './common.ts';

const USAGE = 'conformance replay REPORT FAILURE-ID [--target URL] [--timeout MS] [--ready-timeout MS] [--examples N] [--spec FILE] [--var NAME=VALUE] [--allow-writes]';

/**
 * `conformance replay REPORT FAILURE-ID`: re-sends the request of one failure of a conformance.json and judges the
 * answer with the same check, or, for checks judged over a sequence (lifecycle, pagination probes, provider probes),
 * re-runs that sequence with the report's seed. Exit 0 when it no longer fails, 1 when it still fails (or the replay
 * did not reach the check), 2 on bad input.
 *
 * Target: --target, else the report's target. When that was a loopback address that no longer answers (the
 * reference server the run started), the provider's reference server is started again, without the run's faults.
 * Credentials come from the environment (CONFORMANCE_TOKEN, or CONFORMANCE_USERNAME and CONFORMANCE_PASSWORD), never
 * from the report, which is redacted.
 */
export async function replayCommand(args: string[], io: Io, env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const { values: flags, positionals } = parseFlags(args, COMMANDS.replay.flags, USAGE);
  if (positionals.length !== 2) {
    throw new UsageError(positionals.length < 2 ? 'replay needs a report and a failure id' : `replay takes a report and one failure id, not ${positionals.length} arguments`, `${USAGE}; failure ids are results[].failures[].id in conformance.json`);
  }
  const [file, id] = positionals as [string, string];
  const report = readReport(file);
  const found = findFailure(report, id, file);
  const profile = await profileFor(found.result.provider, flags.spec);
  const { result, failure } = found;
  io.out(`replaying ${found.id}: ${result.check} on ${result.provider} ${result.operationId} (${result.method} ${result.path})`);
  io.out(`  recorded: ${failure.message}`);
  const originalTarget = originalTargetOf(report.run.target, found.failure.request.url);
  let target = flags.target;
  if (target === undefined) {
    if (!originalTarget) throw new UsageError(`the report records no usable target ('${report.run.target}')`, 'pass --target URL');
    if (isLoopback(originalTarget) && !(await reachable(originalTarget))) {
      if (!profile.referenceServer) throw new UsageError(`the report's target ${originalTarget} no longer answers`, 'pass --target URL');
      io.out(`  the report's target ${originalTarget} no longer answers: using a freshly started ${profile.name} reference server`);
      target = undefined;
    } else target = originalTarget;
  }
  const recordedExamples = (report.run as { examples?: unknown }).examples;
  const examples = integer(flags.examples, 'examples', typeof recordedExamples === 'number' && recordedExamples > 0 ? recordedExamples : 25, 1);
  const { value: outcome, signal } = await withSignals(io, (onSession) =>
    replayFailure({
      report,
      found,
      profile,
      specFile: flags.spec,
      target,
      originalTarget,
      env,
      variables: parseVars(flags.var, env),
      timeoutMs: integer(flags.timeout, 'timeout', 30_000, 1),
      readyTimeoutMs: flags['ready-timeout'] === undefined ? undefined : integer(flags['ready-timeout'], 'ready-timeout', 30_000, 1),
      examples,
      allowWrites: flags['allow-writes'],
      log: (line) => io.out(`  ${line}`),
      onSession,
    }),
  );
  if (outcome.curl) io.out(`  ${outcome.curlIsRecorded ? 'recorded request: ' : ''}${outcome.curl}`);
  if (signal) return signalExitCode(signal);
  if (outcome.verdict === 'inconclusive') {
    io.out(`inconclusive: ${outcome.reason ?? 'the replay did not reach the check'}`);
    return 1;
  }
  if (outcome.verdict === 'fixed') {
    io.out('no longer fails');
    return 0;
  }
  const [first] = outcome.messages;
  io.out(`still fails: ${first}${outcome.sameId ? '' : ' (a different failure of the same check; the recorded one did not recur)'}`);
  return 1;
}

async function profileFor(provider: string, specFile: string | undefined): Promise<ProviderProfile> {
  // A report of a generic run names no built-in provider: its profile is inferred again from the document.
  const profile = await profileFrom(PROVIDERS.some((p) => p.name === provider) ? provider : undefined, specFile);
  if (!profile) throw new UsageError(`the report's provider '${provider}' is not built in`, 'pass --spec FILE with the OpenAPI document the run used');
  return profile;
}

/** The target the failing request went to: the one of the report's targets its URL starts with. */
function originalTargetOf(targets: string, url: string): string | undefined {
  const candidates = targets.split(',').filter((t) => /^https?:\/\//.test(t));
  return candidates.find((t) => url.startsWith(t)) ?? candidates[0];
}
