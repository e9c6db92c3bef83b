import fc from 'fast-check';
import { RESPONSE_CHECKS } from '../checks/registry.ts';
import type { CheckContext, Exchange, Intent } from '../checks/types.ts';
import { ValidatorCache } from '../checks/validators.ts';
import { fillPath, queryString, requestInputArbitrary, serializeBody, type RequestInput } from '../generate/request.ts';
import { authorizationHeader } from '../http/auth.ts';
import { overrideCredentials, withCredentialQuery } from '../http/headers.ts';
import { HttpClient } from '../http/client.ts';
import { QUOTA_DISTRUSTED, RateLimiter, quotaResetTime, rateLimitHeaders, transientDelayMs } from '../http/rate-limit.ts';
import { TransportError, type HttpResponse, type OutgoingRequest } from '../http/types.ts';
import type { ProfileProbeApi, ResourceProfile } from '../providers/types.ts';
import type { Operation } from '../spec/types.ts';
import type { RunConfig } from './config.ts';
import type { CheckOutcome, EventSink } from './events.ts';
import { Ledger, type LedgerEntry } from './ledger.ts';
import { heldWithin } from './held-ids.ts';
import { allStrings, writeOnlyValues } from '../checks/write-only.ts';
import { checksFor, runCheckIds } from '../checks/listing.ts';
import { checksFollowing } from '../checks/stateful/registry.ts';
import { negativeDataChange } from '../checks/stateful/negative-data-change.ts';
import { deletePrecondition as deletePreconditionCheck } from '../checks/stateful/delete-precondition.ts';
import { invalidCases } from '../generate/invalid.ts';
import { operationBudget, sampleBounded, sampleNow } from '../generate/bounded.ts';
import { operationBase } from '../spec/servers.ts';
import { PathIdCheck } from './path-ids.ts';
import { judge } from '../checks/types.ts';
import { LifecycleProbes } from './probes.ts';
import { discoverIds, DiscoveredValues } from './values-discovery.ts';
import { WriteTracker } from './writes.ts';
import { CreateOutcomes } from './create-outcomes.ts';
import { shrinkFailure, type ShrinkHost } from './shrink.ts';
import type { Check } from '../checks/types.ts';
import { probeFilters, probeListOperation, type PagingHost } from './pagination-probe.ts';
import { planOperations, type PlannedOperation } from './plan.ts';
import { OwnershipGuard } from './ownership.ts';
import { deletionWaves } from './deletion-order.ts';
import { costWarning, judgeable } from './body-cost.ts';
import { join } from 'node:path';


/**
 * One conformance run against one target: plans the operations, generates and sends requests,
 * runs the checks, keeps the resource ledger, and cleans up. Emits events; knows no reporter.
 */
export class Session implements PagingHost, ShrinkHost {
  readonly plan: PlannedOperation[];
  /** The per-response checks: the generic ones and the provider's own. */
  private readonly checks: readonly Check[];
  readonly ledger: Ledger;
  private readonly http: HttpClient;
  private readonly context: CheckContext;
  private readonly pathIds: PathIdCheck;
  private readonly ids = new Map<string, string[]>();
  private readonly writeOnlyValues = new Set<string>();
  private readonly started = performance.now();
  private interrupted = false;
  private stopReason: string | undefined;
  private readonly limiter: RateLimiter;
  /** The run's Authorization header (credentials do not change during a run). */
  private readonly authorization: string | undefined;
  private creates = 0;
  private readonly probes = new LifecycleProbes(this);
  /** Values that x-conformance-values-from annotations take from other operations' answers. */
  private readonly discovered = new DiscoveredValues(this, this.ids, (message) => this.warnOnce(message));
  /** The body and path of the first resource of each type the run created: the fixture the lifecycle probes follow. */
  private readonly firstCreated = new Map<string, { params: Record<string, string>; body: unknown }>();
  private readonly deletedByRun = new Map<string, Record<string, string>>();
  /** Every change or delete of a ledger resource is sent only after a read shows it is still the one this run created. */
  private readonly ownership = new OwnershipGuard({
    ledger: () => this.ledger,
    resources: () => this.config.profile.resources,
    read: (operationId, params) => {
      const op = this.lifecycleOperation(operationId);
      return op ? this.send(this.buildRequest(op, { path: params, query: {}, headers: {} })).catch(() => undefined) : Promise.resolve(undefined);
    },
    ids: this.ids,
    warn: (message) => this.emit({ type: 'warning', message }),
  });
  /** The resource of each type that the create probes followed. */
  private readonly followed = new Map<string, Record<string, string>>();
  /** Every write the run sends, per resource: read-after-write checks compare only with the run's own last write. */
  readonly writes: WriteTracker;
  private readonly createOutcomes = new CreateOutcomes();

  constructor(
    readonly config: RunConfig,
    readonly emit: EventSink,
    ledger?: Ledger,
  ) {
    this.plan = planOperations(config.spec.operations, config.profile, config.mode);
    this.http = new HttpClient({ timeoutMs: config.timeoutMs, connections: Math.max(4, config.concurrency) });
    this.limiter = config.limiter ?? new RateLimiter();
    this.authorization = authorizationHeader(config.credentials);
    this.context = { validators: new ValidatorCache(config.spec.openapi, (w) => this.warnOnce(w)), profile: config.profile, writeOnlyValues: this.writeOnlyValues };
    this.pathIds = new PathIdCheck(config.spec.operations, this.context.validators, (w) => this.warnOnce(w));
    this.ledger = ledger ?? Ledger.forRun(join(config.reportDir, config.ledgerName ?? 'ledger.json'));
    this.writes = new WriteTracker(config.target);
    for (const [name, value] of Object.entries(config.variables)) this.ids.set(name, [value]);
    this.checks = [...RESPONSE_CHECKS, ...(config.profile.checks ?? [])];
    emit({ type: 'run-start', provider: config.profile.name, target: config.target, seed: config.seed, operations: config.spec.operations, checks: runCheckIds(config.profile), startedAt: new Date().toISOString() });
  }

  /** What the provider's own probe may use. */
  private get probeApi(): ProfileProbeApi {
    return {
      ids: this.ids,
      variables: this.config.variables,
      env: process.env,
      pollIntervalMs: this.config.pollIntervalMs,
      readyTimeoutMs: this.config.readyTimeoutMs,
      operation: (id) => this.operation(id),
      valid: (operation, path) => this.validInput(operation, { ...this.pathFor(operation), ...(path ?? {}) }),
      exchange: (operation, input, options = {}) => this.exchange(operation, 'lifecycle', input, options.authorization, undefined, options.note),
      report: (operation, check, observation, exchange) => this.emit({ type: 'probe', operation, check: check.id, ...check.judge(observation), exchange }),
    };
  }

  /** The checks that can judge an operation of the plan (for --list). */
  readonly checksFor = (planned: PlannedOperation): string[] => checksFor(planned.operation, this.config.profile, this.config.mode);

  /** Stops sending new requests; what is under way finishes, and `finish` still cleans up. `reason`: SIGINT, SIGTERM, max-duration. */
  interrupt(reason = 'interrupted'): void {
    this.interrupted = true;
    this.stopReason ??= reason;
  }

  get isInterrupted(): boolean {
    return this.interrupted;
  }

  async runOperation(planned: PlannedOperation): Promise<void> {
    if (this.interrupted) return;
    const { operation } = planned;
    const started = performance.now();
    this.emit({ type: 'operation-start', operation });
    await discoverIds(this, this.ids, operation, (name, found) => this.pathIds.keep(name, found));
    if (await this.discovered.discover(operation)) this.arbitraries.delete(operation);
    // Examples are generated in chunks (the same values as one sample), so memory does not grow with --examples;
    // time-bounded, serving the event loop in between (src/generate/bounded.ts).
    const chunk = Math.max(1000, Math.ceil(this.config.examples / 10));
    const budget = operationBudget();
    let first: RequestInput | undefined;
    for (let start = 0; start < this.config.examples && !this.interrupted; start += chunk) {
      const { values: batch, exceeded } = await sampleBounded(this.arbitraryFor(operation), { seed: seedFor(this.config.seed, operation.id, 0), count: Math.min(chunk, this.config.examples - start), from: start, budget, stopped: () => this.interrupted });
      if (exceeded) this.emit({ type: 'budget-exceeded', operation, message: `${operation.id}: ${exceeded}; the operation ran with the examples generated so far` });
      first ??= batch[0];
      if (planned.phase === 'exercise' && !this.settlingResource(operation)) await this.runConcurrently(batch.map((input, i) => () => this.exerciseCase(planned, input, start + i)));
      else for (const [i, input] of batch.entries()) await this.exerciseCase(planned, input, start + i);
      if (exceeded) break;
    }
    const unknownId = this.unknownIdCase(operation);
    if (unknownId) await this.exchange(operation, 'unknown-id', unknownId);
    if (first && operation.security.length > 0 && !operation.security.some((req) => Object.keys(req).length === 0)) await this.authCases(planned, first);
    if (first && planned.phase !== 'delete') await this.invalidCases(planned, first);
    if (planned.phase === 'exercise') await this.shrinkFailures(operation);
    await this.probe(planned);
    this.emit({ type: 'operation-end', operation, durationMs: performance.now() - started });
  }

  private addressInPlace(operation: Operation, input: RequestInput, index: number): void {
    for (const param of operation.parameters.filter((p) => p.in === 'path')) {
      const known = this.ids.get(param.name);
      if (known && known.length > 0) input.path[param.name] = known[index % known.length]!;
    }
  }

  get checkContext(): CheckContext {
    return this.context;
  }

  /** Generated data addressed at known ids (the index picks among them) with the profile's rules applied. */
  addressed(operation: Operation, generated: RequestInput, index = 0): RequestInput {
    const input = structuredClone(generated);
    this.addressInPlace(operation, input, index);
    this.prepare(operation, input);
    return input;
  }

  async trial(operation: Operation, input: RequestInput): Promise<Exchange> {
    const request = this.buildRequest(operation, input);
    const exchange: Exchange = { operation, intent: 'valid', request, input };
    try {
      exchange.response = await this.send(request);
    } catch (error) {
      if (!(error instanceof TransportError)) throw error;
      exchange.error = error;
    }
    return exchange;
  }

  /** What the checks said about each exchange (read again when choosing what to shrink). */
  private readonly outcomes = new WeakMap<Exchange, CheckOutcome[]>();

  /** The first failing case of each check on an operation is shrunk once the operation's cases are done. */
  private readonly shrinkTargets = new Map<string, { check: Check; index: number }>();

  private noteShrinkTarget(operation: Operation, exchange: Exchange, index: number): void {
    // Nothing to shrink without generated data; and a request that got no answer is not re-sent over and over.
    const generated = operation.body !== undefined || operation.parameters.some((p) => !this.config.profile.variables?.includes(p.name));
    if (!generated || exchange.error) return;
    for (const outcome of this.outcomes.get(exchange) ?? []) {
      const key = `${operation.id} ${outcome.check}`;
      const check = this.checks.find((c) => c.id === outcome.check);
      if (this.shrinkTargets.has(key) || outcome.failures.length === 0 || !check) continue;
      this.shrinkTargets.set(key, { check, index });
    }
  }

  private async shrinkFailures(operation: Operation): Promise<void> {
    for (const [key, target] of this.shrinkTargets) {
      if (!key.startsWith(`${operation.id} `) || this.interrupted) continue;
      const shrunk = await shrinkFailure(this, operation, target.check, seedFor(this.config.seed, operation.id, 0), target.index, 10_000).catch(() => undefined);
      if (shrunk) this.emit({ type: 'shrunk', operation, check: target.check.id, exchange: shrunk.exchange, message: shrunk.message, seed: shrunk.seed, path: shrunk.path });
    }
  }

  /** Applies the profile's cross-field rules to a generated request, in place. */
  private prepare(operation: Operation, input: RequestInput): void {
    const pathParams = input.path as Record<string, string>;
    const context = { operationId: operation.id, ids: this.ids, pathParams, idsWithin: (param: string) => heldWithin(this.ledger.list(), param, pathParams) };
    const { prepareBody, prepareQuery, prepareHeaders } = this.config.profile;
    if (input.body !== undefined && prepareBody) input.body = prepareBody(input.body, context);
    if (prepareQuery) input.query = prepareQuery(input.query, context);
    if (prepareHeaders) input.headers = prepareHeaders(input.headers, context);
  }

  /** Whether a request only validates (the profile's dry-run parameter is set). */
  private isDryRun(input: RequestInput): boolean {
    const param = this.config.profile.dryRun?.param;
    if (!param || !(param in input.query)) return false;
    const value = input.query[param];
    return value !== false && value !== 'false';
  }

  /**
   * Requests that each break one constraint: each must be refused with a 4xx and must change nothing.
   * A create that is wrongly accepted is recorded, so that it is cleaned up like any other.
   */
  private async invalidCases(planned: PlannedOperation, generated: RequestInput): Promise<void> {
    const { operation } = planned;
    const base = this.addressed(operation, generated);
    const updated = this.config.profile.resources.find((r) => r.update?.includes(operation.id) && base.path[r.idParam] !== undefined);
    const readOp = updated && this.operation(updated.read);
    if (!(await this.ownership.mayWrite(operation.method.toUpperCase(), fillPath(operation.path, base.path)))) return;
    for (const invalid of invalidCases(operation, base)) {
      if (this.interrupted) return;
      // A wrongly accepted invalid create holds a resource too: not sent once the cap is reached.
      if (planned.phase === 'create' && planned.resource && this.ledger.list().length >= this.config.maxResources) return;
      const before = readOp ? await this.send(this.buildRequest(readOp, { path: base.path, query: {}, headers: {} })).catch(() => undefined) : undefined;
      const exchange = await this.exchange(operation, 'invalid', invalid.input, undefined, (request) => {
        if (invalid.rawBody !== undefined) request.body = invalid.rawBody;
        if (invalid.contentType) request.headers['content-type'] = invalid.contentType;
      }, invalid.description, invalid.strict);
      const status = exchange.response?.status ?? 0;
      if (planned.phase === 'create' && planned.resource && status >= 200 && status < 300 && !this.isDryRun(invalid.input)) this.recordCreated(planned.resource, invalid.input, exchange.response!);
      if (updated && readOp && before?.status === 200 && status >= 200 && status < 300) {
        const after = await this.send(this.buildRequest(readOp, { path: base.path, query: {}, headers: {} })).catch(() => undefined);
        const verdict = after?.status === 200 ? negativeDataChange.judge({ resource: updated.name, description: invalid.description, strict: invalid.strict === true, before: updated.echoRoot ? updated.echoRoot(before.json) : before.json, after: updated.echoRoot ? updated.echoRoot(after.json) : after.json, volatile: updated.volatile ?? [] }) : undefined;
        if (verdict && (verdict.failures.length > 0 || verdict.warnings?.length)) this.emit({ type: 'probe', operation, check: negativeDataChange.id, ...verdict, exchange });
      }
    }
  }

  /** The operation without credentials, with wrong ones, and with a malformed Authorization header. */
  private async authCases(planned: PlannedOperation, generated: RequestInput): Promise<void> {
    const { operation } = planned;
    const input = this.addressed(operation, generated);
    if (!(await this.ownership.mayWrite(operation.method.toUpperCase(), fillPath(operation.path, input.path)))) return;
    const wrong = this.config.credentials.kind === 'bearer' ? 'Bearer conformance-wrong-token-0000' : `Basic ${Buffer.from('conformance-nobody:wrong-password-0000').toString('base64')}`;
    for (const [intent, authorization] of [['no-auth', undefined], ['bad-auth', wrong], ['bad-auth', 'Basic !!not-base64']] as const) {
      if (planned.phase === 'create' && planned.resource && this.ledger.list().length >= this.config.maxResources) return;
      const exchange = await this.exchange(operation, intent, input, authorization ?? null);
      // A create that wrongly succeeded without valid credentials still leaves a resource: clean it up too.
      if (planned.phase === 'create' && planned.resource && exchange.response && exchange.response.status < 300 && !this.isDryRun(input)) this.recordCreated(planned.resource, input, exchange.response);
    }
  }

  private async probe(planned: PlannedOperation): Promise<void> {
    if (this.interrupted) return;
    const { operation, resource } = planned;
    if (this.config.profile.probe) await this.config.profile.probe(operation, this.probeApi);
    if (planned.phase === 'create' && resource) {
      // Followed: the first create nothing has changed since (ids can be reused), else the first one without an echo.
      const intact = this.writes.intactCreate(resource.name, (c) => this.ledger.list().some((e) => e.resource === c.resource && sameParams(e.params, c.params)));
      const first = intact ?? this.firstCreated.get(resource.name);
      if (first) this.followed.set(resource.name, first.params);
      if (first) await this.probes.created(resource, first.params, first.body, intact?.seq);
      const warning = this.createOutcomes.warning(resource.name, operation.id, checksFollowing(resource, this.config.profile, this.config.spec.operations));
      if (warning) this.emit({ type: 'warning', message: warning, prominent: true });
    } else if (planned.phase === 'delete' && resource) {
      for (const r of this.config.profile.resources.filter((x) => x.delete === operation.id)) {
        const params = this.deletedByRun.get(r.name);
        if (params) await this.probes.deleted(r, params);
      }
    } else {
      const { pagination, filters } = this.config.profile;
      const query = operation.parameters.filter((p) => p.in === 'query').map((p) => p.name);
      if (pagination && query.includes(pagination.limit) && query.includes(pagination.offset)) {
        await probeListOperation(this, operation, pagination);
        if (filters) await probeFilters(this, operation, pagination, filters);
      }
      for (const r of this.config.profile.resources.filter((x) => x.update?.includes(operation.id))) {
        const first = this.firstCreated.get(r.name);
        if (first && this.ledger.list().some((e) => e.resource === r.name && sameParams(e.params, first.params))) await this.probes.updated(r, operation, first.params);
      }
    }
  }

  /** Deletes everything still in the ledger (polling until it is gone) and closes connections. */
  async finish(): Promise<void> {
    for (const wave of deletionWaves(this.ledger.list(), this.config.profile.resources)) {
      await this.runConcurrently(wave.map((entry) => () => this.deleteFromLedger(entry)));
    }
    await this.http.close();
    this.ledger.close();
    this.emit({ type: 'run-end', durationMs: performance.now() - this.started, interrupted: this.interrupted, ...(this.stopReason ? { stopReason: this.stopReason } : {}) });
  }

  private async deleteFromLedger(entry: LedgerEntry): Promise<void> {
    const resource = this.config.profile.resources.find((r) => r.name === entry.resource);
    const op = resource && this.lifecycleOperation(resource.delete);
    if (!resource || !op) return;
    try {
      const verdict = await this.ownership.verify(entry);
      if (verdict === 'gone') this.ledger.remove(entry.path);
      if (verdict !== 'ours') return;
      await this.settle(resource, entry.params);
      await this.prepareDelete(resource, entry.params);
      // A resource still busy with a change may refuse the delete (409): try again until it is accepted.
      const deadline = Date.now() + this.config.readyTimeoutMs;
      let response = await this.send(this.buildRequest(op, { path: entry.params, query: {}, headers: {} }));
      while (response.status === 409 && Date.now() < deadline) {
        await sleep(this.config.pollIntervalMs);
        response = await this.send(this.buildRequest(op, { path: entry.params, query: {}, headers: {} }));
      }
      // A refused delete will not make the resource go away: say so now rather than wait out the timeout.
      if (response.status >= 400 && response.status !== 404 && response.status !== 410) throw new Error(`the delete was answered ${response.status}`);
      await this.waitUntilGone(resource, entry.params);
      this.ledger.remove(entry.path);
    } catch (error) {
      this.emit({ type: 'warning', message: `could not delete ${entry.resource} ${entry.path}: ${(error as Error).message}; it stays in ${this.ledger.file}` });
    }
  }

  /**
   * Whether one more resource of this type may be created under --max-resources, which is never exceeded: within it,
   * every type gets one, and the types still to come keep a slot each. (Creates are sent one at a time.)
   */
  private mayCreate(resource: ResourceProfile): boolean {
    const held = this.ledger.list();
    if (held.length >= this.config.maxResources) return false;
    if (!held.some((e) => e.resource === resource.name)) return true;
    const later = this.plan.filter((p) => p.phase === 'create' && p.resource && !this.firstCreated.has(p.resource.name) && p.resource.name !== resource.name).length;
    return held.length + later < this.config.maxResources;
  }

  private async exerciseCase(planned: PlannedOperation, generated: RequestInput, index: number): Promise<void> {
    if (this.interrupted) return;
    const { operation } = planned;
    if (planned.phase === 'create' && planned.resource && !this.mayCreate(planned.resource)) {
      this.warnOnce(`${operation.id}: creates beyond --max-resources ${this.config.maxResources} were not sent`);
      return;
    }
    const input = structuredClone(generated);
    this.addressInPlace(operation, input, index);
    let deleting: string | undefined;
    if (planned.phase === 'delete' && planned.resource) {
      // Each delete takes one resource the run created (the newest first, but one of each type that shares the
      // delete operation before that), with the parent ids it was created under.
      const resource = planned.resource;
      const sharing = this.config.profile.resources.filter((r) => r.delete === operation.id).map((r) => r.name);
      const held = this.ledger.list().filter((e) => sharing.includes(e.resource));
      const fresh = held.filter((e) => !this.deletedByRun.has(e.resource));
      // The resource the create probes followed goes first, so that the report shows one resource from ready to gone.
      const entry = fresh.find((e) => sameParams(e.params, this.followed.get(e.resource) ?? {})) ?? fresh.at(-1) ?? held.at(-1);
      deleting = entry?.resource;
      if (entry) {
        Object.assign(input.path, entry.params);
        const known = this.ids.get(resource.idParam);
        const at = known?.indexOf(entry.params[resource.idParam]!) ?? -1;
        if (at >= 0) known!.splice(at, 1);
      } else {
        input.path[resource.idParam] = unknownValue(operation.parameters.find((p) => p.name === resource.idParam)?.schema ?? {}, this.config.seed + index);
      }
    }
    this.prepare(operation, input);
    if (planned.phase === 'create' && planned.resource?.markName && isObject(input.body)) {
      // The run marker names the run and numbers the create, so that names are recognisable and unique.
      planned.resource.markName(input.body, `cf-${this.config.runId}-${++this.creates}`);
    }
    if (!(await this.ownership.mayWrite(operation.method.toUpperCase(), fillPath(operation.path, input.path)))) return;
    const settling = this.settlingResource(operation);
    if (settling && input.path[settling.idParam] !== undefined) await this.settle(settling, input.path as Record<string, string>);
    const ours = planned.phase === 'delete' && planned.resource !== undefined && this.ledgerHas(operation, input);
    if (ours) await this.settle(planned.resource!, input.path as Record<string, string>);
    if (ours && !(await this.deletePrecondition(planned.resource!, operation, input))) return;
    if (ours) await this.prepareDelete(planned.resource!, input.path as Record<string, string>);
    const exchange = await this.exchange(operation, 'valid', input);
    if (planned.phase === 'exercise') this.noteShrinkTarget(operation, exchange, index);
    const status = exchange.response?.status ?? 0;
    const dry = this.isDryRun(input);
    if (planned.phase === 'create' && planned.resource && status >= 200 && status < 300 && !dry) {
      this.recordCreated(planned.resource, input, exchange.response!);
      await this.ownership.confirmNew();
    }
    if (planned.phase === 'create' && planned.resource && !dry) this.createOutcomes.note(planned.resource.name, exchange.response?.status, status >= 200 && status < 300);
    if (status === 201 && !dry) this.recordUpserted(operation, input, exchange.response!);
    if (ours && status >= 200 && status < 300) {
      this.ledger.remove(fillPath(operation.path, input.path));
      const name = deleting ?? planned.resource!.name;
      if (!this.deletedByRun.has(name)) this.deletedByRun.set(name, { ...(input.path as Record<string, string>) });
    }
  }

  /** The resource whose state this operation changes, when its profile says to settle it first (ResourceProfile.settleBefore). */
  private settlingResource(operation: Operation): ResourceProfile | undefined {
    return this.config.profile.resources.find((r) => r.settleBefore?.includes(operation.id));
  }

  private ledgerHas(operation: Operation, input: RequestInput): boolean {
    const path = fillPath(operation.path, input.path);
    return this.ledger.list().some((e) => e.path === path);
  }

  /**
   * Where a delete has a documented precondition (ClickHouse: stop first), the first delete is sent without it
   * and must be refused. Returns false when the delete was wrongly accepted (the resource is then gone).
   */
  private async deletePrecondition(resource: ResourceProfile, operation: Operation, input: RequestInput): Promise<boolean> {
    if (!resource.beforeDelete || this.preconditionChecked.has(resource.name)) return true;
    // Only meaningful while the precondition does not hold yet (a service that is running, not stopped).
    const readOp = this.lifecycleOperation(resource.read);
    const current = readOp && (await this.send(this.buildRequest(readOp, { path: input.path, query: {}, headers: {} })).catch(() => undefined));
    const state = current?.status === 200 ? resource.states?.read(current.json) : undefined;
    if (state === undefined || resource.beforeDelete.until.includes(state)) return true;
    this.preconditionChecked.add(resource.name);
    const request = this.buildRequest(operation, input);
    const response = await this.send(request).catch(() => undefined);
    if (!response) return true;
    const accepted = response.status < 300;
    const exchange: Exchange = { operation, intent: 'lifecycle', request, input, response };
    this.emit({ type: 'probe', operation, check: deletePreconditionCheck.id, ...deletePreconditionCheck.judge({ step: resource.beforeDelete.operationId, until: resource.beforeDelete.until, status: response.status }), exchange });
    if (accepted) {
      await this.waitUntilGone(resource, input.path as Record<string, string>).catch(() => undefined);
      this.ledger.remove(fillPath(operation.path, input.path));
    }
    return !accepted;
  }

  private readonly preconditionChecked = new Set<string>();

  /** Waits until a resource is out of its transitional states (ready or failed), so that a delete or change is not refused as busy. */
  private async settle(resource: ResourceProfile, params: Record<string, string>): Promise<void> {
    if (!resource.states) return;
    // Also when interrupted: a resource still being created may refuse its delete or its pre-delete step.
    await this.waitForState(resource, params, [...resource.states.ready, ...resource.states.failed], true, true);
  }

  /** Runs the resource's documented pre-delete step (for example a stop) and waits for its end state. */
  private async prepareDelete(resource: ResourceProfile, params: Record<string, string>): Promise<void> {
    const step = resource.beforeDelete;
    const op = step && this.lifecycleOperation(step.operationId);
    if (!step || !op) return;
    await this.send(this.buildRequest(op, { path: params, query: {}, headers: {}, body: structuredClone(step.body) })).catch(() => undefined);
    // Also when interrupted: the delete is refused until the step has taken effect (ClickHouse: stopped).
    await this.waitForState(resource, params, step.until, false, true);
  }

  /** A create-or-replace that created (201) a resource the run did not hold yet: it is cleaned up like any other. */
  private recordUpserted(operation: Operation, input: RequestInput, response: HttpResponse): void {
    const resource = this.config.profile.resources.find((r) => r.upsert?.includes(operation.id));
    if (!resource || this.ledgerHas(operation, input)) return;
    const readOp = this.lifecycleOperation(resource.read);
    if (readOp && this.ledger.list().some((e) => e.path === fillPath(readOp.path, input.path))) return;
    this.recordCreated(resource, input, response);
  }

  private recordCreated(resource: ResourceProfile, input: RequestInput, response: HttpResponse): void {
    const id = resource.idFrom(response.json);
    if (id === undefined) {
      this.emit({ type: 'warning', message: `${resource.create}: could not find the new ${resource.name}'s id in the response` });
      return;
    }
    const readOp = this.lifecycleOperation(resource.read);
    const params = { ...(input.path as Record<string, string>), [resource.idParam]: id };
    const { runId, profile, target } = this.config;
    const entry = { runId, provider: profile.name, target, resource: resource.name, path: readOp ? fillPath(readOp.path, params) : id, params, createdAt: new Date().toISOString() };
    if (!this.ownership.record(resource, entry, input.body, response.json)) {
      this.writes.replaced(entry.path);
      return;
    }
    const list = this.ids.get(resource.idParam) ?? [];
    if (this.pathIds.fits(resource.idParam, id)) list.push(id);
    this.ids.set(resource.idParam, list);
    this.writes.created(resource.name, readOp ? fillPath(readOp.path, params) : id, params, input.body);
    if (!this.firstCreated.has(resource.name)) this.firstCreated.set(resource.name, { params, body: structuredClone(input.body) });
  }

  /** One more valid request for an operation, with the profile's rules applied, addressed at these path parameters. */
  validInput(operation: Operation, path: Record<string, string>): RequestInput | undefined {
    const [input] = this.generate(operation, 1, 2);
    if (!input) return undefined;
    Object.assign(input.path, path);
    // Probes need the request to take effect.
    if (this.config.profile.dryRun) delete input.query[this.config.profile.dryRun.param];
    this.prepare(operation, input);
    return input;
  }

  /**
   * Watches the values sent in writeOnly fields. A value the run also sends in or as part of a public field (a password
   * equal to a username, or inside a display name, in this request or another) may rightly come back: not watched.
   */
  private noteWriteOnlyValues(operation: Operation, input: RequestInput): void {
    const secrets = writeOnlyValues(operation.body?.schema, input.body);
    const remaining = [...secrets];
    const added: string[] = [];
    for (const value of allStrings(input.body)) {
      const at = remaining.indexOf(value);
      if (at >= 0) remaining.splice(at, 1);
      else if (!this.publicValues.has(value)) {
        this.publicValues.add(value);
        added.push(value);
      }
    }
    // New secrets against every public value; the secrets already watched only against the new public values.
    for (const secret of this.writeOnlyValues) if (added.some((value) => value.includes(secret))) this.writeOnlyValues.delete(secret);
    for (const secret of secrets) {
      this.config.redactor.addSecret(secret);
      if (this.writeOnlyValues.has(secret)) continue;
      let isPublic = false;
      for (const value of this.publicValues) {
        if (value.includes(secret)) {
          isPublic = true;
          break;
        }
      }
      if (!isPublic) this.writeOnlyValues.add(secret);
    }
  }

  private readonly publicValues = new Set<string>();

  pathFor(operation: Operation): Record<string, string> {
    const path: Record<string, string> = {};
    for (const p of operation.parameters.filter((q) => q.in === 'path')) {
      const known = this.ids.get(p.name)?.[0];
      if (known !== undefined) path[p.name] = known;
    }
    return path;
  }

  /** `authorization`: undefined sends the run's credentials, null none, a string that header instead. */
  async exchange(operation: Operation, intent: Intent, input: RequestInput, authorization?: string | null, adjust?: (request: OutgoingRequest) => void, note?: string, strict?: boolean): Promise<Exchange> {
    // Deliberately invalid data is no secret: only what a valid request sends in writeOnly fields is watched for.
    if (intent === 'valid' || intent === 'lifecycle') this.noteWriteOnlyValues(operation, input);
    const request = this.buildRequest(operation, input);
    overrideCredentials(request, this.config, authorization);
    adjust?.(request);
    const exchange: Exchange = { operation, intent, request, input, ...(note ? { note } : {}), ...(strict !== undefined ? { strict } : {}) };
    try {
      const sent = await this.sendCounting(request);
      exchange.response = sent.response;
      exchange.transientRetries = sent.retries;
    } catch (error) {
      if (!(error instanceof TransportError)) throw error;
      exchange.error = error;
    }
    const outcomes: CheckOutcome[] = [];
    for (const check of this.checks) {
      if (judgeable(check, exchange) && check.applies(exchange, this.context)) outcomes.push({ check: check.id, ...judge(check, exchange, this.context) });
    }
    const tooCostly = costWarning(exchange);
    if (tooCostly) this.warnOnce(tooCostly);
    this.outcomes.set(exchange, outcomes);
    this.emit({ type: 'exchange', exchange, outcomes });
    this.harvestIds(operation, exchange.response);
    return exchange;
  }

  private readonly acceptHeaders = new Map<Operation, string>();

  buildRequest(operation: Operation, input: RequestInput): OutgoingRequest {
    const headers: Record<string, string> = {};
    let accept = this.acceptHeaders.get(operation);
    if (accept === undefined) {
      const types = new Set(operation.responses.flatMap((r) => Object.keys(r.content)));
      accept = types.size > 0 ? [...types].join(', ') : '*/*';
      this.acceptHeaders.set(operation, accept);
    }
    headers.accept = accept;
    if (this.config.headers) Object.assign(headers, this.config.headers);
    for (const [name, value] of Object.entries(input.headers)) if (value !== undefined) headers[name.toLowerCase()] = String(value);
    const auth = operation.security.length > 0 ? this.authorization : undefined;
    if (auth) headers.authorization = auth;
    let body: string | undefined;
    if (input.body !== undefined && operation.body) {
      this.config.redactor.learn(input.body);
      ({ contentType: headers['content-type'], body } = serializeBody(operation.body.contentType, input.body, operation.body.schema));
    }
    const { base, warning } = operationBase(operation, this.config.target);
    if (warning) this.warnOnce(warning);
    const url = withCredentialQuery(base + fillPath(operation.path, input.path) + queryString(operation, input.query), operation.security.length > 0 ? this.config.credentialQuery : undefined);
    return { method: operation.method.toUpperCase(), url, headers, body };
  }

  /**
   * Sends a request within the run's rate limit. 429 and 503 answers are retried after Retry-After,
   * X-RateLimit-Reset or an exponential backoff, a bounded number of times, and reported apart (transient
   * events); only an answer that persists past that budget reaches the checks. A spent quota
   * (X-RateLimit-Remaining: 0) holds every request until it resets.
   */
  async send(request: OutgoingRequest): Promise<HttpResponse> {
    return (await this.sendCounting(request)).response;
  }

  /** `send`, also saying how many 429/503 answers were retried on the way. */
  private async sendCounting(request: OutgoingRequest): Promise<{ response: HttpResponse; retries: number }> {
    for (let attempt = 0; ; attempt++) {
      await this.limiter.acquire();
      const response = await this.http.send(request).catch((error: unknown) => {
        this.writes.sent(request, undefined);
        throw error;
      });
      if (response.status !== 429 && response.status !== 503) this.writes.sent(request, response.status);
      const reset = quotaResetTime(response.headers);
      if (reset !== undefined && this.limiter.holdForQuota(reset)) this.warnOnce(QUOTA_DISTRUSTED);
      if (response.status !== 429 && response.status !== 503) return { response, retries: attempt };
      // An interrupted run takes the answer as it is: its retry budget was not spent, so the answer neither counts nor fails it.
      if (this.interrupted) return { response, retries: 0 };
      const waitMs = transientDelayMs(response.status, response.headers, attempt);
      this.emit({ type: 'transient', status: response.status, attempt, waitMs, rateLimit: rateLimitHeaders(response.headers) });
      if (waitMs === undefined) return { response, retries: attempt };
      this.limiter.pauseUntil(Date.now() + waitMs);
    }
  }

  /** `count` examples of a stream, from the `from`-th on (the same values as one longer sample). */
  private generate(operation: Operation, count: number, stream: number, from = 0): RequestInput[] {
    if (count <= 0) return [];
    return sampleNow(this.arbitraryFor(operation), seedFor(this.config.seed, operation.id, stream), count, from);
  }

  private readonly arbitraries = new Map<Operation, fc.Arbitrary<RequestInput>>();
  /** One arbitrary per operation: building one merges allOf and compiles patterns. */
  arbitraryFor(operation: Operation): fc.Arbitrary<RequestInput> {
    let arbitrary = this.arbitraries.get(operation);
    if (!arbitrary) {
      arbitrary = requestInputArbitrary(operation, {
        onUnsupported: (what) => this.warnOnce(`${operation.id}: ${what} is not supported by the generator`),
        valuesFrom: (annotation) => this.discovered.lookup(operation, annotation),
      });
      this.arbitraries.set(operation, arbitrary);
    }
    return arbitrary;
  }

  /** A request whose last id-like path parameter names nothing that exists. */
  private unknownIdCase(operation: Operation): RequestInput | undefined {
    const pathParams = operation.parameters.filter((p) => p.in === 'path' && !Array.isArray(p.schema.enum));
    const target = pathParams.at(-1);
    if (!target || this.config.profile.variables?.includes(target.name)) return undefined;
    if (this.config.profile.resources.some((r) => r.upsert?.includes(operation.id))) return undefined;
    const [input] = this.generate(operation, 1, 1);
    if (!input) return undefined;
    for (const param of pathParams) {
      const known = this.ids.get(param.name);
      if (known?.length) input.path[param.name] = known[0];
    }
    input.path[target.name] = unknownValue(target.schema, this.config.seed);
    this.prepare(operation, input);
    return input;
  }

  /** Polls the resource's read operation until its state is one of `wanted`, without busy-waiting. */
  private async waitForState(resource: ResourceProfile, params: Record<string, string>, wanted: string[], quiet = false, evenIfInterrupted = false): Promise<void> {
    const readOp = this.lifecycleOperation(resource.read);
    if (!resource.states || !readOp) return;
    const deadline = Date.now() + this.config.readyTimeoutMs;
    while ((evenIfInterrupted || !this.interrupted) && Date.now() < deadline) {
      const response = await this.send(this.buildRequest(readOp, { path: params, query: {}, headers: {} })).catch(() => undefined);
      const state = response?.status === 200 ? resource.states.read(response.json) : undefined;
      if (state && wanted.includes(state)) return;
      if (quiet && response?.status === 404) return;
      await sleep(this.config.pollIntervalMs);
    }
    if (!quiet) this.emit({ type: 'warning', message: `${resource.name} ${fillPath(readOp.path, params)} did not reach ${wanted.join('/')} within ${this.config.readyTimeoutMs} ms` });
  }

  private harvestIds(operation: Operation, response: HttpResponse | undefined): void {
    if (!response || response.status >= 300 || !this.config.profile.harvest) return;
    for (const [param, rule] of Object.entries(this.config.profile.harvest)) {
      if (!rule.operationIds.includes(operation.id)) continue;
      const id = rule.id(response.json);
      if (id === undefined || !this.pathIds.fits(param, id)) continue;
      const list = this.ids.get(param) ?? [];
      list.push(id);
      this.ids.set(param, list);
    }
  }

  private async waitUntilGone(resource: ResourceProfile, params: Record<string, string>): Promise<void> {
    const readOp = this.lifecycleOperation(resource.read);
    if (!readOp) return;
    const deadline = Date.now() + this.config.readyTimeoutMs;
    while (Date.now() < deadline) {
      const response = await this.send(this.buildRequest(readOp, { path: params, query: {}, headers: {} }));
      if (response.status === 404 || response.status === 410) return;
      await sleep(this.config.pollIntervalMs);
    }
    throw new Error(`${resource.name} still exists after ${this.config.readyTimeoutMs} ms`);
  }

  private async runConcurrently(tasks: (() => Promise<void>)[]): Promise<void> {
    let next = 0;
    const worker = async () => {
      while (next < tasks.length) await tasks[next++]!();
    };
    await Promise.all(Array.from({ length: Math.min(Math.max(1, this.config.concurrency), tasks.length) }, worker));
  }

  operation(id: string): Operation | undefined {
    return this.config.spec.operations.find((o) => o.id === id);
  }

  /** An operation the run needs to wait for or clean up its own resources: found even when --include/--exclude left it out. */
  private lifecycleOperation(id: string): Operation | undefined {
    return this.operation(id) ?? this.config.allOperations?.find((o) => o.id === id);
  }

  private readonly warned = new Set<string>();
  private warnOnce(message: string): void {
    if (this.warned.has(message)) return;
    this.warned.add(message);
    this.emit({ type: 'warning', message });
  }
}

/** An id that names nothing: far out of range for integers, a fixed-shape uuid, otherwise a marked string. */
function unknownValue(schema: Record<string, unknown>, seed: number): string {
  const n = Math.abs(seed) % 1000;
  if (schema.type === 'integer' || schema.type === 'number') return String(900_000_000 + n);
  if (schema.format === 'uuid') return `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  const max = typeof schema.maxLength === 'number' ? schema.maxLength : 64;
  return `unknown${n}`.slice(0, Math.max(1, max));
}

/** A per-operation seed, so adding an operation does not change the data of the others. */
export function seedFor(seed: number, operationId: string, stream: number): number {
  let hash = seed ^ (stream * 0x9e3779b1);
  for (let i = 0; i < operationId.length; i++) hash = Math.imul(hash ^ operationId.charCodeAt(i), 0x01000193);
  return hash | 0;
}

function sameParams(a: Record<string, string>, b: Record<string, string>): boolean {
  return Object.keys(a).length === Object.keys(b).length && Object.entries(a).every(([k, v]) => b[k] === v);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
