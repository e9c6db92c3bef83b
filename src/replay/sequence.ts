import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LIFECYCLE_CHECK_IDS } from '../checks/stateful/registry.ts';
import type { ProviderProfile } from '../providers/types.ts';
import { UsageError } from '../errors.ts';
import type { ConformanceReport, FailureRecord } from '../report/model.ts';
import { runProvider } from '../app/run-provider.ts';
import { isLoopback } from '../run/orchestrate.ts';
import type { RunMode } from '../run/plan.ts';
import type { Operation } from '../spec/types.ts';
import { exactSelector, finishSession, modeFor, specOperations, withRecordedVariables, type ReplayOptions, type ReplayOutcome } from './options.ts';

/**
 * The operations a stateful sequence needs besides the failing one: the create, read, list and delete of every
 * resource it involves or addresses (parents included), the pre-delete step, and where unknown ids come from.
 * In spec order, the failing operation among them.
 */
export function relatedOperations(profile: ProviderProfile, operations: Operation[], operationId: string): string[] {
  const byId = new Map(operations.map((o) => [o.id, o]));
  const wanted = new Set<string>();
  const queue: string[] = [];
  const add = (id: string | undefined) => {
    if (!id || !byId.has(id) || wanted.has(id)) return;
    wanted.add(id);
    queue.push(id);
  };
  const addResource = (r: ProviderProfile['resources'][number]) => [r.create, r.read, r.delete, r.list, r.beforeDelete?.operationId].forEach(add);
  add(operationId);
  while (queue.length > 0) {
    const op = byId.get(queue.shift()!)!;
    for (const r of profile.resources) {
      const own = [r.create, r.read, r.delete, r.list, ...(r.update ?? []), ...(r.upsert ?? []), ...(r.busyConflict?.operations ?? [])];
      if (own.includes(op.id)) addResource(r);
    }
    for (const param of op.parameters.filter((p) => p.in === 'path')) {
      for (const r of profile.resources.filter((x) => x.idParam === param.name)) addResource(r);
      add(profile.idSources?.[param.name]?.operationId);
      for (const id of profile.harvest?.[param.name]?.operationIds ?? []) add(id);
    }
  }
  return operations.filter((o) => wanted.has(o.id)).map((o) => o.id);
}

/**
 * Re-runs the engine restricted to the failing operation and what it needs, with the report's seed. The verdict is the
 * outcome of the same check on the same operation; whether the same failure id recurred is reported beside it.
 */
export async function replaySequence(options: ReplayOptions): Promise<ReplayOutcome> {
  const { found, profile, report } = options;
  const { check, operationId } = found.result;
  const operations = await specOperations(options);
  if (!operations.some((o) => o.id === operationId)) throw new UsageError(`operation ${operationId} is not in the ${profile.name} spec`, 'pass --spec with the OpenAPI document the run used');
  const include = relatedOperations(profile, operations, operationId);
  const variables = withRecordedVariables(options, operations.find((o) => o.id === operationId)!);
  // As the run did: full on this machine; elsewhere read-only unless --allow-writes, which lifecycle checks need.
  const remoteReadOnly = options.target !== undefined && !isLoopback(options.target) && !options.allowWrites;
  if (remoteReadOnly && LIFECYCLE_CHECK_IDS.includes(check)) modeFor(options, true, `replaying ${check}`);
  const mode: RunMode = remoteReadOnly ? 'read-only' : 'full';
  // A per-request failure comes here when its one request cannot be re-sent (resource gone, or an older report).
  const why = found.failure.replay === 'sequence' ? `${check} is judged over a sequence of requests` : 'replaying the sequence';
  options.log(`${why}: re-running ${profile.name} restricted to ${include.join(', ')} (seed ${report.run.seed}, ${options.examples} examples, ${mode}) against ${options.target ?? 'a freshly started reference server (without the faults of the original run)'}`);
  const dir = mkdtempSync(join(tmpdir(), 'conformance-replay-'));
  let replayed: ConformanceReport | undefined;
  try {
    replayed = await runProvider({
      profile,
      specFile: options.specFile,
      target: options.target,
      include: include.map(exactSelector),
      examples: options.examples,
      seed: report.run.seed,
      variables,
      reportDir: dir,
      env: options.env,
      timeoutMs: options.timeoutMs,
      readyTimeoutMs: options.readyTimeoutMs,
      mode,
      allowWrites: options.allowWrites,
      onSession: options.onSession,
    });
  } finally {
    await finishSession(undefined, dir, options.log);
  }
  const result = replayed?.results.find((r) => r.operationId === operationId && r.check === check);
  if (replayed) options.log(`replayed: ${replayed.summary.passed} passed, ${replayed.summary.failed} failed, ${replayed.summary.requests} requests`);
  if (!result || result.outcome === 'skipped') {
    return { verdict: 'inconclusive', messages: [], sameId: false, curl: found.failure.curl, curlIsRecorded: true, reason: `the replay did not reach ${check} on ${operationId}${replayed?.warnings.length ? ` (${replayed.warnings[0]})` : ''}` };
  }
  // Judged from data, never from message text: the same check fails again on the same operation in the same way (a
  // stateful finding again, or a per-response one on a request sent with the same intent). The id, derived from the
  // message, only says whether the very same failure came back.
  const alike = result.failures.filter((f) => sameKind(f, found.failure));
  const other = result.failures.find((f) => !alike.includes(f));
  if (alike.length === 0 && other) options.log(`${check} fails on ${operationId} in another way: ${other.message}`);
  const same = alike.find((f) => f.id === found.id);
  const failures = same ? [same, ...alike.filter((f) => f !== same)] : alike;
  const curl = failures[0]?.curl;
  return { verdict: failures.length > 0 ? 'still-fails' : 'fixed', messages: failures.map((f) => f.message), sameId: same !== undefined, curl: curl || found.failure.curl, ...(curl ? {} : { curlIsRecorded: true }) };
}

/**
 * Whether a failure of the replay is the recorded kind of failure: a stateful one again, or a per-response one on a
 * request with the recorded intent. A failure of a report before 1.4 records neither: any failure of the check counts.
 */
export function sameKind(replayed: FailureRecord, recorded: FailureRecord): boolean {
  if (recorded.replay === undefined) return true;
  if (recorded.replay === 'sequence') return replayed.replay === 'sequence';
  return replayed.replay === 'request' && replayed.intent === recorded.intent;
}
