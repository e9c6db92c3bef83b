import { randomBytes, randomInt } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { LIFECYCLE_CHECK_IDS } from '../checks/stateful/registry.ts';
import { allStrings } from '../checks/write-only.ts';
import { RESPONSE_CHECKS } from '../checks/registry.ts';
import type { Check, Exchange, Intent } from '../checks/types.ts';
import { UsageError } from '../errors.ts';
import { invalidCases } from '../generate/invalid.ts';
import { fillPath, type RequestInput } from '../generate/request.ts';
import { mergeSchemas, schemaArbitrary } from '../generate/schema-arbitrary.ts';
import { authorizationHeader } from '../http/auth.ts';
import { curlCommand } from '../http/curl.ts';
import { TransportError, type OutgoingRequest } from '../http/types.ts';
import type { ProviderProfile } from '../providers/types.ts';
import { failureId } from '../report/baseline.ts';
import { parseJson } from '../report/failure-groups.ts';
import type { CheckResult, ConformanceReport, FailureRecord } from '../report/model.ts';
import { REDACTED } from '../report/redact.ts';
import { loadSpec } from '../spec/load.ts';
import type { JsonSchema, Operation } from '../spec/types.ts';
import { Ledger } from './ledger.ts';
import { checkReachable, isLoopback, prepareRun, runProvider } from './orchestrate.ts';
import { SAFE_METHODS, type RunMode } from './plan.ts';
import { Session } from './session.ts';

/** A failure of a report, found by its stable id. */
export interface FoundFailure {
  id: string;
  result: CheckResult;
  failure: FailureRecord;
}

/** Every failure id of a report, in report order, without repeats. */
export function failureIdsOf(report: ConformanceReport): string[] {
  const ids = report.results.flatMap((r) => r.failures.map((f) => f.id ?? failureId(r.provider, r.operationId, r.check, f.message)));
  return [...new Set(ids)];
}

/** Finds a failure by its id (or an unambiguous prefix of at least 4 characters). */
export function findFailure(report: ConformanceReport, id: string, file: string): FoundFailure {
  const all = report.results.flatMap((result) => result.failures.map((failure) => ({ id: failure.id ?? failureId(result.provider, result.operationId, result.check, failure.message), result, failure })));
  const exact = all.find((f) => f.id === id);
  if (exact) return exact;
  const prefixed = id.length >= 4 ? [...new Map(all.filter((f) => f.id.startsWith(id)).map((f) => [f.id, f])).values()] : [];
  if (prefixed.length === 1) return prefixed[0]!;
  const ids = failureIdsOf(report);
  const listed = ids.length === 0 ? 'the report has no failures' : `its failures: ${ids.slice(0, 6).join(', ')}${ids.length > 6 ? ` and ${ids.length - 6} more` : ''}`;
  const what = prefixed.length > 1 ? `'${id}' matches ${prefixed.length} failures in ${file}` : `no failure '${id}' in ${file}`;
  throw new UsageError(what, `failure ids are results[].failures[].id in conformance.json and are printed by conformance diff; ${listed}`);
}

/** The per-response checks that judge one request on its own (write-only-not-returned depends on what earlier requests sent). */
function perRequestChecks(profile: ProviderProfile): Check[] {
  return [...RESPONSE_CHECKS, ...(profile.checks ?? [])].filter((c) => c.id !== 'write-only-not-returned');
}

const INVALID_ANSWERED = / was answered \d+, expected a 4xx refusal$/;

/**
 * Whether a failure can be replayed by re-sending its one request: a per-response check with a recorded request.
 * Lifecycle, pagination-probe and provider-probe checks, write-only-not-returned, and negative-data-rejection's
 * "changed the resource" are judged over a sequence and are replayed by re-running the engine.
 */
export function isPerRequestFailure(check: string, failure: FailureRecord, profile: ProviderProfile): boolean {
  if (!failure.request.method || !failure.request.url) return false;
  if (!perRequestChecks(profile).some((c) => c.id === check)) return false;
  if (check === 'negative-data-rejection' && !INVALID_ANSWERED.test(failure.message)) return false;
  return true;
}

/** The intent the checks need to judge the replayed request as they judged the original. */
export function intentOf(check: string, message: string): { intent: Intent; note?: string } {
  switch (check) {
    case 'auth-required':
      return { intent: 'no-auth' };
    case 'auth-invalid':
      return { intent: 'bad-auth' };
    case 'negative-data-rejection':
      return { intent: 'invalid', note: message.replace(INVALID_ANSWERED, '') };
    case 'status-code-conformance':
      return { intent: /a request for an unknown id/.test(message) ? 'unknown-id' : 'valid' };
    default:
      return { intent: 'valid' };
  }
}

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

/** Whether an operation's path names resources (ids a run creates) rather than only user-supplied values or enums. */
export function addressesResources(operation: Operation, profile: ProviderProfile): boolean {
  return operation.parameters.some((p) => p.in === 'path' && !profile.variables?.includes(p.name) && !Array.isArray(p.schema.enum));
}

/** Which credentials the replayed request carries, as the curl line of the original says. */
export type ReplayAuthorization = { kind: 'run' } | { kind: 'none' } | { kind: 'viewer' } | { kind: 'as-recorded'; value: string };

export interface RebuiltRequest {
  method: string;
  /** The path and query below the target, as recorded. */
  pathAndQuery: string;
  /** Recorded headers without Authorization and without redacted ones. */
  headers: Record<string, string>;
  body?: string;
  input: RequestInput;
  authorization: ReplayAuthorization;
  /** Where a redacted value was replaced by a fresh random one (JSON pointers into the body, or "url"). */
  substituted: string[];
  /** The fresh values, so that they can be redacted in turn. */
  freshValues: string[];
  droppedHeaders: string[];
  /** Set when a broken constraint was re-applied to a fresh value (negative-data-rejection on a secret field). */
  reapplied?: string;
}

/**
 * The recorded request of a failure, ready to be sent to another target: the path below the original target, the
 * recorded headers minus redacted ones, and the body with each redacted value replaced by a fresh value that
 * validates against the field's schema (a random string where the schema says nothing).
 */
export function rebuildRequest(failure: FailureRecord, operation: Operation, originalTarget: string | undefined, note?: string): RebuiltRequest {
  const substituted: string[] = [];
  const freshValues: string[] = [];
  const token = () => {
    const value = randomBytes(12).toString('base64url');
    freshValues.push(value);
    return value;
  };
  let rawUrl = failure.request.url;
  if (rawUrl.includes(REDACTED)) {
    rawUrl = rawUrl.replaceAll(REDACTED, () => token());
    substituted.push('url');
  }
  let url: URL;
  try {
    url = new URL(rawUrl);
  } catch {
    throw new UsageError(`the failure's recorded request has no usable URL ('${failure.request.url}')`, 'replay a failure of a report written by conformance run');
  }
  const input: RequestInput = { path: {}, query: {}, headers: {} };
  const pathBelow = pathBelowTarget(url, operation, originalTarget, input);
  for (const [name, value] of url.searchParams) {
    const current = input.query[name];
    input.query[name] = current === undefined ? value : Array.isArray(current) ? [...current, value] : [current, value];
  }
  const headers: Record<string, string> = {};
  const droppedHeaders: string[] = [];
  let recordedAuthorization = false;
  for (const [name, value] of Object.entries(failure.request.headers)) {
    if (name.toLowerCase() === 'authorization') recordedAuthorization = true;
    else if (value.includes(REDACTED)) droppedHeaders.push(name);
    else headers[name] = value;
  }
  const authorization: ReplayAuthorization = recordedAuthorization ? authorizationFromCurl(failure.curl) : { kind: 'none' };
  let body = failure.request.body;
  let reapplied: string | undefined;
  if (body !== undefined) {
    const parsed = parseJson(body);
    if (body.includes(REDACTED) && parsed.ok) {
      let value = freshen(parsed.value, operation.body?.schema, '', substituted, freshValues, token);
      if (note) {
        // A broken value in a secret field was redacted: break the fresh value the same way.
        const broken = substituted.find((pointer) => note.startsWith(`body${pointer} `));
        const again = broken && invalidCases(operation, { ...input, body: value }).find((c) => c.description === note && c.rawBody === undefined);
        if (again) {
          value = again.input.body;
          reapplied = note;
        }
      }
      body = JSON.stringify(value);
      input.body = value;
    } else if (body.includes(REDACTED)) {
      body = body.replaceAll(REDACTED, () => token());
      substituted.push('body');
      input.body = body;
    } else input.body = parsed.ok ? parsed.value : body;
  }
  return { method: failure.request.method.toUpperCase(), pathAndQuery: pathBelow + url.search, headers, ...(body !== undefined ? { body } : {}), input, authorization, substituted, freshValues, droppedHeaders, ...(reapplied ? { reapplied } : {}) };
}

/** The path below the target: the operation's path template matched at the end of the URL's path. */
function pathBelowTarget(url: URL, operation: Operation, originalTarget: string | undefined, input: RequestInput): string {
  const names: string[] = [];
  const pattern = operation.path
    .split(/(\{[^}]+\})/)
    .map((part) => {
      const param = /^\{([^}]+)\}$/.exec(part);
      if (!param) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      names.push(param[1]!);
      return '([^/]+)';
    })
    .join('');
  const match = new RegExp(`${pattern}$`).exec(url.pathname);
  if (match) {
    names.forEach((name, i) => (input.path[name] = safeDecode(match[i + 1]!)));
    return url.pathname.slice(match.index);
  }
  const base = originalTarget ? safePathname(originalTarget).replace(/\/+$/, '') : '';
  return base && url.pathname.startsWith(base) ? url.pathname.slice(base.length) : url.pathname;
}

/** Splits a curl line into its arguments (single quotes with '\'' escapes, double quotes kept literal). */
export function curlArguments(curl: string): string[] {
  const args: string[] = [];
  let current = '';
  let inArg = false;
  for (let i = 0; i < curl.length; i++) {
    const ch = curl[i]!;
    if (ch === "'") {
      const end = curl.indexOf("'", i + 1);
      current += curl.slice(i + 1, end < 0 ? undefined : end);
      i = end < 0 ? curl.length : end;
      inArg = true;
    } else if (ch === '"') {
      const end = curl.indexOf('"', i + 1);
      current += curl.slice(i + 1, end < 0 ? undefined : end);
      i = end < 0 ? curl.length : end;
      inArg = true;
    } else if (ch === '\\' && i + 1 < curl.length) {
      current += curl[++i];
      inArg = true;
    } else if (/\s/.test(ch)) {
      if (inArg) args.push(current);
      current = '';
      inArg = false;
    } else {
      current += ch;
      inArg = true;
    }
  }
  if (inArg) args.push(current);
  return args;
}

/** Real credentials appear in curl lines as environment variables; deliberately wrong ones as sent. */
function authorizationFromCurl(curl: string): ReplayAuthorization {
  const args = curlArguments(curl);
  for (let i = 0; i < args.length - 1; i++) {
    const next = args[i + 1]!;
    if (args[i] === '-u') return next.includes('CONFORMANCE_VIEWER') ? { kind: 'viewer' } : { kind: 'run' };
    if (args[i] === '-H' && /^authorization:/i.test(next)) {
      const value = next.slice(next.indexOf(':') + 1).trim();
      if (value.includes('$CONFORMANCE_VIEWER')) return { kind: 'viewer' };
      if (value.includes('$CONFORMANCE_')) return { kind: 'run' };
      return { kind: 'as-recorded', value };
    }
  }
  return { kind: 'run' };
}

/** A copy of a JSON value with every redacted value replaced by a fresh one that fits the schema there. */
function freshen(value: unknown, schema: JsonSchema | undefined, pointer: string, substituted: string[], freshValues: string[], token: () => string): unknown {
  if (value === REDACTED) {
    substituted.push(pointer || '/');
    const fresh = generate(schema) ?? token();
    freshValues.push(...allStrings(fresh));
    return fresh;
  }
  if (typeof value === 'string' && value.includes(REDACTED)) {
    substituted.push(pointer || '/');
    return value.replaceAll(REDACTED, () => token());
  }
  if (Array.isArray(value)) return value.map((v, i) => freshen(v, childSchema(schema, i), `${pointer}/${i}`, substituted, freshValues, token));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, freshen(v, childSchema(schema, k), `${pointer}/${k.replaceAll('~', '~0').replaceAll('/', '~1')}`, substituted, freshValues, token)]));
  }
  return value;
}

function generate(schema: JsonSchema | undefined): unknown {
  if (!schema || Object.keys(schema).length === 0) return undefined;
  try {
    const [value] = fc.sample(schemaArbitrary(schema, { direction: 'request' }), { numRuns: 1, seed: randomInt(2 ** 31) });
    return value === undefined || value === null || (typeof value === 'string' && value.length < 4) ? undefined : value;
  } catch {
    return undefined;
  }
}

function childSchema(schema: JsonSchema | undefined, key: string | number): JsonSchema | undefined {
  if (!schema) return undefined;
  let s = schema;
  try {
    if (Array.isArray(schema.allOf)) s = mergeSchemas(schema);
  } catch {
    // an allOf that does not merge: look at the schema as it is
  }
  if (typeof key === 'number' && isObject(s.items)) return s.items;
  if (typeof key === 'string') {
    const properties = s.properties as Record<string, JsonSchema> | undefined;
    if (properties?.[key]) return properties[key];
    if (isObject(s.additionalProperties)) return s.additionalProperties;
  }
  for (const alternative of [...((s.oneOf as JsonSchema[] | undefined) ?? []), ...((s.anyOf as JsonSchema[] | undefined) ?? [])]) {
    const found = childSchema(alternative, key);
    if (found) return found;
  }
  return undefined;
}

// ---------------------------------------------------------------------------------------------------------------
// Running a replay

export interface ReplayOptions {
  report: ConformanceReport;
  found: FoundFailure;
  profile: ProviderProfile;
  specFile?: string;
  /** undefined: start the provider's reference server. */
  target: string | undefined;
  /** The target the report was run against (to find the path below it). */
  originalTarget: string | undefined;
  env: NodeJS.ProcessEnv;
  variables: Record<string, string>;
  timeoutMs?: number;
  readyTimeoutMs?: number;
  examples: number;
  allowWrites?: boolean;
  /** Notes for the user while the replay runs. */
  log: (line: string) => void;
  onSession?: (session: Session) => void;
}

export interface ReplayOutcome {
  /** still-fails: the check fails again; fixed: it passes; inconclusive: the replay did not reach the check. */
  verdict: 'still-fails' | 'fixed' | 'inconclusive';
  /** The failure messages of the replay (the first is shown). */
  messages: string[];
  /** Whether a failure with the same id recurred. */
  sameId: boolean;
  curl: string;
  /** The curl line is the recorded one (the replay produced no failing request to show). */
  curlIsRecorded?: boolean;
  /** For inconclusive: why. */
  reason?: string;
}

/** Re-sends the failure's request, or re-runs its stateful sequence, and judges it with the same check. */
export async function replayFailure(options: ReplayOptions): Promise<ReplayOutcome> {
  const { found, profile } = options;
  if (isPerRequestFailure(found.result.check, found.failure, profile)) {
    const freshServer = options.target === undefined;
    const operation = (await specOperations(options)).find((o) => o.id === found.result.operationId);
    if (!operation) throw new UsageError(`operation ${found.result.operationId} is not in the ${profile.name} spec`, 'pass --spec with the OpenAPI document the run used');
    if (freshServer && addressesResources(operation, profile)) {
      options.log(`the request addresses resources the run created, which a freshly started reference server does not have: replaying the sequence that creates them instead`);
    } else {
      const outcome = await replayRequest(options, operation);
      if (outcome !== 'resource-gone') return outcome;
      options.log(`the resource the request addresses is gone (the run deleted what it created): replaying the sequence that creates it instead`);
    }
  }
  return replaySequence(options);
}

async function specOperations(options: ReplayOptions): Promise<Operation[]> {
  return (await loadSpec(options.specFile ?? options.profile.spec)).operations;
}

function modeFor(options: ReplayOptions, writes: boolean, what: string): RunMode {
  if (options.target === undefined || isLoopback(options.target) || !writes) return writes ? 'full' : 'read-only';
  if (!options.allowWrites) throw new UsageError(`${what} would change resources on ${new URL(options.target).host}`, 'add --allow-writes to confirm');
  return 'full';
}

async function replayRequest(options: ReplayOptions, operation: Operation): Promise<ReplayOutcome | 'resource-gone'> {
  const { found, profile } = options;
  const { check: checkId, operationId } = found.result;
  const check = perRequestChecks(profile).find((c) => c.id === checkId)!;
  const { intent, note } = intentOf(checkId, found.failure.message);
  const rebuilt = rebuildRequest(found.failure, operation, options.originalTarget, note);
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
    else if (auth.kind === 'viewer') {
      const username = options.env.CONFORMANCE_VIEWER_USERNAME ?? config.variables.viewerUsername;
      const password = options.env.CONFORMANCE_VIEWER_PASSWORD ?? config.variables.viewerPassword;
      if (username === undefined || password === undefined) throw new UsageError('the request was sent with the read-only account and its credentials are not set', 'set CONFORMANCE_VIEWER_USERNAME and CONFORMANCE_VIEWER_PASSWORD');
      const header = authorizationHeader({ kind: 'basic', username, password })!;
      config.redactor.addAuthorization(header, '-u "$CONFORMANCE_VIEWER_USERNAME:$CONFORMANCE_VIEWER_PASSWORD"');
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
    const exchange: Exchange = { operation, intent, request, input: rebuilt.input, ...(note ? { note } : {}) };
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
  session.ledger.add({ runId: session.config.runId, provider: session.config.profile.name, target: session.config.target, resource: resource.name, path: read ? fillPath(read.path, params) : fillPath(operation.path, params), params, createdAt: new Date().toISOString() });
  log(`the replay created ${resource.name} ${id}: deleting it again`);
}

async function finishSession(session: Session | undefined, dir: string, log: (line: string) => void): Promise<void> {
  if (session) await session.finish();
  const ledger = join(dir, 'ledger.json');
  const left = existsSync(ledger) ? Ledger.read(ledger) : [];
  if (left.length > 0) log(`could not delete ${left.map((e) => `${e.resource} ${e.path}`).join(', ')}: run conformance cleanup --ledger ${ledger}`);
  else rmSync(dir, { recursive: true, force: true });
}

async function replaySequence(options: ReplayOptions): Promise<ReplayOutcome> {
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
  options.log(`${check} is judged over a sequence of requests: re-running ${profile.name} restricted to ${include.join(', ')} (seed ${report.run.seed}, ${options.examples} examples, ${mode}) against ${options.target ?? 'a freshly started reference server (without the faults of the original run)'}`);
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
  const same = result.failures.find((f) => f.id === found.id);
  const failures = same ? [same, ...result.failures.filter((f) => f !== same)] : result.failures;
  const curl = failures[0]?.curl;
  return { verdict: result.outcome === 'failed' ? 'still-fails' : 'fixed', messages: failures.map((f) => f.message), sameId: same !== undefined, curl: curl || found.failure.curl, ...(curl ? {} : { curlIsRecorded: true }) };
}

/**
 * The values of user-supplied path parameters (an organization id) as the recorded request used them, for a target
 * given on the command line; --var and CONFORMANCE_VAR_* win. A freshly started reference server brings its own.
 */
function withRecordedVariables(options: ReplayOptions, operation: Operation): Record<string, string> {
  if (options.target === undefined || !options.found.failure.request.url) return options.variables;
  let recorded: RequestInput;
  try {
    recorded = rebuildRequest(options.found.failure, operation, options.originalTarget).input;
  } catch {
    return options.variables;
  }
  const values = Object.fromEntries((options.profile.variables ?? []).filter((name) => typeof recorded.path[name] === 'string').map((name) => [name, recorded.path[name] as string]));
  return { ...values, ...options.variables };
}

/** An operationId as a selector (selectors treat * and ? as globs: such characters match themselves or any one character). */
function exactSelector(operationId: string): string {
  return operationId.replace(/[*?]/g, '?');
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

function safePathname(target: string): string {
  try {
    return new URL(target).pathname;
  } catch {
    return '';
  }
}

function isObject(value: unknown): value is JsonSchema {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
