import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RESPONSE_CHECKS } from '../checks/registry.ts';
import type { Check, Exchange } from '../checks/types.ts';
import { UsageError } from '../errors.ts';
import { fillPath, type RequestInput } from '../generate/request.ts';
import { authorizationHeader } from '../http/auth.ts';
import { curlCommand } from '../http/curl.ts';
import { TransportError, type OutgoingRequest } from '../http/types.ts';
import type { ProviderProfile } from '../providers/types.ts';
import { failureId } from '../report/baseline.ts';
import type { FailureRecord } from '../report/model.ts';
import { checkReachable, prepareRun } from '../run/orchestrate.ts';
import { SAFE_METHODS } from '../run/plan.ts';
import { Session } from '../run/session.ts';
import type { Operation } from '../spec/types.ts';
import { addressesResources, exactSelector, finishSession, modeFor, withRecordedVariables, type ReplayOptions, type ReplayOutcome } from './options.ts';
import { rebuildRequest } from './rebuild.ts';

/** The per-response checks that judge one request on its own (write-only-not-returned depends on what earlier requests sent). */
function perRequestChecks(profile: ProviderProfile): Check[] {
  return [...RESPONSE_CHECKS, ...(profile.checks ?? [])].filter((c) => c.id !== 'write-only-not-returned');
}

/**
 * Whether a failure can be replayed by re-sending its one request: the run recorded it as a `request` failure (a
 * per-response check judged that one exchange) with its request, and the check judges a request on its own.
 * Lifecycle, pagination-probe and provider-probe checks, write-only-not-returned, and negative-data-rejection's
 * "changed the resource" are `sequence` failures and are replayed by re-running the engine. Read from the
 * failure's data (schema 1.4), never from its message.
 */
export function isPerRequestFailure(check: string, failure: FailureRecord, profile: ProviderProfile): boolean {
  if (failure.replay !== 'request' || failure.intent === undefined) return false;
  if (!failure.request.method || !failure.request.url) return false;
  return perRequestChecks(profile).some((c) => c.id === check);
}

/** Whether the failure comes from a report written before schema 1.4, which does not record how to replay it. */
export function predatesReplayData(check: string, failure: FailureRecord, profile: ProviderProfile): boolean {
  return failure.replay === undefined && perRequestChecks(profile).some((c) => c.id === check);
}

export async function replayRequest(options: ReplayOptions, operation: Operation): Promise<ReplayOutcome | 'resource-gone'> {
  const { found, profile } = options;
  const { check: checkId, operationId } = found.result;
  const check = perRequestChecks(profile).find((c) => c.id === checkId)!;
  // The checks judge the replayed request against the recorded intent, broken constraint and strictness.
  const { intent, constraint, strict } = found.failure;
  if (intent === undefined) throw new Error('replayRequest needs a failure that records its intent (see isPerRequestFailure)');
  const rebuilt = rebuildRequest(found.failure, operation, options.originalTarget, profile.extraAccounts);
  const writes = !SAFE_METHODS.has(rebuilt.method.toLowerCase());
  const created = profile.resources.find((r) => r.create === operationId || r.upsert?.includes(operationId));
  // The created resource's read and delete let the session delete what the replay may create.
  const include = [operationId, ...(created ? [created.read, created.delete, created.beforeDelete?.operationId].filter((x): x is string => x !== undefined) : [])];
  const dir = mkdtempSync(join(tmpdir(), 'conformance-replay-'));
  const { config, server } = await prepareRun({
    profile,
    specFile: options.specFile,
    target: options.target,
    include: include.map(exactSelector),
    examples: 1,
    seed: options.report.run.seed,
    variables: withRecordedVariables(options, operation),
    reportDir: dir,
    env: options.env,
    timeoutMs: options.timeoutMs,
    readyTimeoutMs: options.readyTimeoutMs,
    mode: modeFor(options, writes, `re-sending ${rebuilt.method} ${operation.path}`),
    allowWrites: options.allowWrites,
  });
  let session: Session | undefined;
  try {
    if (!server) await checkReachable(config.target);
    if (server) options.log(`started the ${profile.name} reference server at ${server.url} (without the faults of the original run)`);
    session = new Session(config, () => {});
    options.onSession?.(session);
    const headers = { ...rebuilt.headers };
    const auth = rebuilt.authorization;
    if (auth.kind === 'run') {
      const header = authorizationHeader(config.credentials);
      if (header) headers.authorization = header;
    } else if (auth.kind === 'as-recorded') headers.authorization = auth.value;
    else if (auth.kind === 'account') {
      // prepareRun resolved the profile's extra accounts and taught the redactor their curl arguments.
      const account = profile.extraAccounts?.find((a) => a.name === auth.name);
      const header = authorizationHeader(config.accounts[auth.name] ?? { kind: 'none' });
      if (header === undefined) throw new UsageError(`the request was sent with ${account?.description ?? `the ${auth.name} account`} and its credentials are not set`, `set ${account?.envPrefix ?? 'CONFORMANCE'}_USERNAME and ${account?.envPrefix ?? 'CONFORMANCE'}_PASSWORD`);
      headers.authorization = header;
    }
    for (const value of rebuilt.freshValues) config.redactor.addSecret(value);
    if (rebuilt.substituted.length > 0) options.log(`replaced ${rebuilt.substituted.length} redacted value${rebuilt.substituted.length === 1 ? '' : 's'} with fresh random ones: ${rebuilt.substituted.join(', ')}`);
    if (rebuilt.reapplied) options.log(`broke the fresh value the same way as the original: ${rebuilt.reapplied}`);
    if (rebuilt.droppedHeaders.length > 0) options.log(`left out redacted header${rebuilt.droppedHeaders.length === 1 ? '' : 's'}: ${rebuilt.droppedHeaders.join(', ')}`);
    // Values the user supplies (an organization id) may differ on this target: --var, or the started server's own.
    const overridden = (profile.variables ?? []).filter((name) => config.variables[name] !== undefined && name in rebuilt.input.path && rebuilt.input.path[name] !== config.variables[name]);
    let pathAndQuery = rebuilt.pathAndQuery;
    if (overridden.length > 0) {
      for (const name of overridden) rebuilt.input.path[name] = config.variables[name];
      const query = pathAndQuery.indexOf('?');
      pathAndQuery = fillPath(operation.path, rebuilt.input.path) + (query >= 0 ? pathAndQuery.slice(query) : '');
      options.log(`used this target's ${overridden.join(', ')} instead of the recorded one`);
    }
    const request: OutgoingRequest = { method: rebuilt.method, url: config.target.replace(/\/+$/, '') + pathAndQuery, headers, ...(rebuilt.body !== undefined ? { body: rebuilt.body } : {}) };
    const exchange: Exchange = { operation, intent, request, input: rebuilt.input, ...(constraint !== undefined ? { note: constraint } : {}), ...(strict !== undefined ? { strict } : {}) };
    try {
      exchange.response = await session.send(request);
    } catch (error) {
      if (!(error instanceof TransportError)) throw error;
      exchange.error = error;
    }
    const curl = curlCommand(request, config.redactor);
    const response = exchange.response;
    options.log(response ? `answered ${response.status}${found.failure.response ? ` (recorded: ${found.failure.response.status})` : ''}` : `no answer: ${exchange.error!.message}`);
    if (created && response && response.status >= 200 && response.status < 300) recordCreated(session, created, operation, rebuilt.input, response.json, operationId, response.status, options.log);
    if (!response && checkId !== 'not-a-server-error') {
      throw new UsageError(`the replayed request got no answer from ${config.target}: ${exchange.error!.message}`, 'check that the target is up, or pass --target URL');
    }
    const gone = response && (response.status === 404 || response.status === 410) && found.failure.response?.status !== response.status;
    if (gone && intent !== 'unknown-id' && addressesResources(operation, profile)) return 'resource-gone';
    const messages = check.applies(exchange, session.checkContext) ? check.run(exchange, session.checkContext).map((m) => config.redactor.text(m)) : [];
    const sameId = messages.some((m) => failureId(found.result.provider, operationId, checkId, m) === found.id);
    return { verdict: messages.length > 0 ? 'still-fails' : 'fixed', messages, sameId, curl };
  } finally {
    await finishSession(session, dir, options.log);
    await server?.close();
  }
}

/** A create the replay sent was accepted: it goes into the ledger, and the session deletes it again. */
function recordCreated(session: Session, resource: ProviderProfile['resources'][number], operation: Operation, input: RequestInput, body: unknown, operationId: string, status: number, log: (line: string) => void): void {
  if (resource.create !== operationId && status !== 201) return;
  const id = resource.create === operationId ? resource.idFrom(body) : String(input.path[resource.idParam] ?? '');
  if (!id) {
    log(`the replay may have created a ${resource.name} whose id is not in the answer: check ${session.config.target} for it`);
    return;
  }
  const read = session.operation(resource.read);
  const params = { ...(input.path as Record<string, string>), [resource.idParam]: id };
  session.resources.adopt(resource, params, fillPath((read ?? operation).path, params));
  log(`the replay created ${resource.name} ${id}: deleting it again`);
}
