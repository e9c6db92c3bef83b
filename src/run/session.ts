import { RESPONSE_CHECKS } from '../checks/registry.ts';
import type { Check, CheckContext, Exchange, Intent } from '../checks/types.ts';
import { ValidatorCache } from '../checks/validators.ts';
import { authorizationHeader } from '../http/auth.ts';
import { fillPath, type RequestInput } from '../generate/request.ts';
import type { HttpResponse, OutgoingRequest } from '../http/types.ts';
import type { ProfileProbeApi, ResourceProfile } from '../providers/types.ts';
import type { Operation } from '../spec/types.ts';
import type { RunConfig } from './config.ts';
import type { CheckOutcome, EventSink } from './events.ts';
import { Ledger } from './ledger.ts';
import { checksFor, runCheckIds } from '../checks/listing.ts';
import { checksFollowing } from '../checks/stateful/registry.ts';
import { operationBudget, sampleBounded } from '../generate/bounded.ts';
import { PathIdCheck } from './path-ids.ts';
import { LifecycleProbes } from './probes.ts';
import { discoverIds, DiscoveredValues } from './values-discovery.ts';
import { WriteTracker } from './writes.ts';
import { CreateOutcomes } from './create-outcomes.ts';
import { ShrinkTargets, type ShrinkTargetsHost } from './shrink.ts';
import { probeFilters, probeListOperation, type PagingHost } from './pagination-probe.ts';
import { planOperations, type PlannedOperation } from './plan.ts';
import { Cases, seedFor, unknownValue } from './cases.ts';
import { Exchanger } from './exchanger.ts';
import { authCases, invalidCases } from './negative.ts';
import { Resources } from './resources.ts';
import { harvestIds, runConcurrently, sameParams } from './ids.ts';
import { join } from 'node:path';

/**
 * One conformance run against one target: plans the operations and runs each (its generated cases, negative and auth
 * cases, shrinking and probes), then cleans up. Requests go through the exchanger (src/run/exchanger.ts), request data
 * comes from the cases (cases.ts), what the run creates is kept by the resources (resources.ts). Emits events; knows
 * no reporter.
 */
export class Session implements PagingHost, ShrinkTargetsHost {
  readonly plan: PlannedOperation[];
  /** The per-response checks: the generic ones and the provider's own. */
  readonly checks: readonly Check[];
  readonly context: CheckContext;
  private readonly pathIds: PathIdCheck;
  readonly ids = new Map<string, string[]>();
  readonly writeOnlyValues = new Set<string>();
  private readonly started = performance.now();
  private interrupted = false;
  private stopReason: string | undefined;
  private creates = 0;
  /** Every write the run sends, per resource: read-after-write checks compare only with the run's own last write. */
  readonly writes: WriteTracker;
  readonly exchanger: Exchanger;
  readonly cases: Cases;
  readonly resources: Resources;
  private readonly probes = new LifecycleProbes(this);
  /** Values that x-conformance-values-from annotations take from other operations' answers. */
  private readonly discovered = new DiscoveredValues(this, this.ids, (message) => this.warnOnce(message));
  private readonly deletedByRun = new Map<string, Record<string, string>>();
  /** The resource of each type that the create probes followed. */
  private readonly followed = new Map<string, Record<string, string>>();
  private readonly createOutcomes = new CreateOutcomes();
  private readonly shrinkTargets = new ShrinkTargets(this);

  constructor(
    readonly config: RunConfig,
    readonly emit: EventSink,
    ledger?: Ledger,
  ) {
    this.plan = planOperations(config.spec.operations, config.profile, config.mode);
    this.context = { validators: new ValidatorCache(config.spec.openapi, (w) => this.warnOnce(w)), profile: config.profile, writeOnlyValues: this.writeOnlyValues };
    this.pathIds = new PathIdCheck(config.spec.operations, this.context.validators, (w) => this.warnOnce(w));
    this.writes = new WriteTracker(config.target);
    for (const [name, value] of Object.entries(config.variables)) this.ids.set(name, [value]);
    this.checks = [...RESPONSE_CHECKS, ...(config.profile.checks ?? [])];
    this.exchanger = new Exchanger({
      config,
      emit,
      writes: this.writes,
      context: this.context,
      checks: this.checks,
      writeOnlyValues: this.writeOnlyValues,
      stopped: () => this.interrupted,
      warnOnce: (message) => this.warnOnce(message),
      harvest: (operation, response) => harvestIds(config.profile, this.ids, (param, id) => this.pathIds.fits(param, id), operation, response),
    });
    this.resources = new Resources(this, ledger ?? Ledger.forRun(join(config.reportDir, config.ledgerName ?? 'ledger.json')));
    this.cases = new Cases({
      config,
      ids: this.ids,
      held: () => this.resources.ledger.list(),
      valuesFrom: (operation, annotation) => this.discovered.lookup(operation, annotation),
      warnOnce: (message) => this.warnOnce(message),
    });
    emit({ type: 'run-start', provider: config.profile.name, target: config.target, seed: config.seed, operations: config.spec.operations, checks: runCheckIds(config.profile), startedAt: new Date().toISOString() });
  }

  /** The run's resource ledger. */
  get ledger(): Ledger {
    return this.resources.ledger;
  }

  /** What the provider's own probe may use. */
  private get probeApi(): ProfileProbeApi {
    return {
      ids: this.ids,
      variables: this.config.variables,
      env: process.env,
      pollIntervalMs: this.config.pollIntervalMs,
      readyTimeoutMs: this.config.readyTimeoutMs,
      neverReady: (resource) => this.isNeverReady(resource),
      operation: (id) => this.operation(id),
      valid: (operation, path) => this.validInput(operation, { ...this.pathFor(operation), ...(path ?? {}) }),
      exchange: (operation, input, options = {}) => this.exchange(operation, 'lifecycle', input, options.authorization, undefined, options.note),
      report: (operation, check, observation, exchange) => this.emit({ type: 'probe', operation, check: check.id, ...check.judge(observation), exchange }),
      account: (name) => authorizationHeader(this.config.accounts[name] ?? { kind: 'none' }),
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
    if (await this.discovered.discover(operation)) this.cases.forget(operation);
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
    const unknownId = this.cases.unknownIdCase(operation);
    if (unknownId) await this.exchange(operation, 'unknown-id', unknownId);
    if (first && operation.security.length > 0 && !operation.security.some((req) => Object.keys(req).length === 0)) await authCases(this, planned, first);
    if (first && planned.phase !== 'delete') await invalidCases(this, planned, first);
    if (planned.phase === 'exercise') await this.shrinkTargets.shrink(operation);
    await this.probe(planned);
    this.emit({ type: 'operation-end', operation, durationMs: performance.now() - started });
  }

  get checkContext(): CheckContext {
    return this.context;
  }

  /** Generated data addressed at known ids (the index picks among them) with the profile's rules applied. */
  addressed(operation: Operation, generated: RequestInput, index = 0): RequestInput {
    return this.cases.addressed(operation, generated, index);
  }

  /** Sends a shrink candidate: counted like every request, judged only by the check being shrunk, not reported. */
  trial(operation: Operation, input: RequestInput): Promise<Exchange> {
    return this.exchanger.trial(operation, input);
  }

  outcomesOf(exchange: Exchange): readonly CheckOutcome[] | undefined {
    return this.exchanger.outcomes.get(exchange);
  }

  private async probe(planned: PlannedOperation): Promise<void> {
    if (this.interrupted) return;
    const { operation, resource } = planned;
    if (this.config.profile.probe) await this.config.profile.probe(operation, this.probeApi);
    if (planned.phase === 'create' && resource) {
      // Followed: the first create nothing has changed since (ids can be reused), else the first one without an echo.
      const intact = this.writes.intactCreate(resource.name, (c) => this.ledger.list().some((e) => e.resource === c.resource && sameParams(e.params, c.params)));
      const first = intact ?? this.resources.firstCreated.get(resource.name);
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
        const first = this.resources.firstCreated.get(r.name);
        if (first && this.ledger.list().some((e) => e.resource === r.name && sameParams(e.params, first.params))) await this.probes.updated(r, operation, first.params);
      }
    }
  }


  /** Deletes everything still in the ledger (polling until it is gone) and closes connections. */
  async finish(): Promise<void> {
    await this.resources.cleanup();
    await this.exchanger.close();
    this.ledger.close();
    const requests = this.exchanger.sent + (this.config.requestsBefore ?? 0);
    this.emit({ type: 'run-end', durationMs: performance.now() - this.started, interrupted: this.interrupted, ...(this.stopReason ? { stopReason: this.stopReason } : {}), requests });
  }

  /**
   * Whether one more resource of this type may be created under --max-resources, which is never exceeded: within it,
   * every type gets one, and the types still to come keep a slot each. (Creates are sent one at a time.)
   */
  private mayCreate(resource: ResourceProfile): boolean {
    const held = this.ledger.list();
    if (held.length >= this.config.maxResources) return false;
    if (!held.some((e) => e.resource === resource.name)) return true;
    const later = this.plan.filter((p) => p.phase === 'create' && p.resource && !this.resources.firstCreated.has(p.resource.name) && p.resource.name !== resource.name).length;
    return held.length + later < this.config.maxResources;
  }

  private async exerciseCase(planned: PlannedOperation, generated: RequestInput, index: number): Promise<void> {
    if (this.interrupted) return;
    const { operation } = planned;
    if (planned.phase === 'create' && planned.resource && !this.mayCreate(planned.resource)) {
      this.warnOnce(`${operation.id}: creates beyond --max-resources ${this.config.maxResources} were not sent`);
      return;
    }
    if (planned.phase === 'create' && planned.resource && this.resources.neverReady.has(planned.resource.name)) {
      this.warnOnce(`${operation.id}: further creates were not sent: a ${planned.resource.name} of this run did not become ready within ${this.config.readyTimeoutMs} ms`);
      return;
    }
    const input = structuredClone(generated);
    this.cases.addressInPlace(operation, input, index);
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
    this.cases.prepare(operation, input);
    if (planned.phase === 'create' && planned.resource?.markName && isObject(input.body)) {
      // The run marker names the run and numbers the create, so that names are recognisable and unique.
      planned.resource.markName(input.body, `cf-${this.config.runId}-${++this.creates}`);
    }
    if (!(await this.resources.ownership.mayWrite(operation.method.toUpperCase(), fillPath(operation.path, input.path)))) return;
    const settling = this.settlingResource(operation);
    if (settling && input.path[settling.idParam] !== undefined) await this.resources.settle(settling, input.path as Record<string, string>);
    const ours = planned.phase === 'delete' && planned.resource !== undefined && this.resources.has(fillPath(operation.path, input.path));
    if (ours) await this.resources.settle(planned.resource!, input.path as Record<string, string>);
    if (ours && !(await this.resources.deletePrecondition(planned.resource!, operation, input))) return;
    if (ours) await this.resources.prepareDelete(planned.resource!, input.path as Record<string, string>);
    const exchange = await this.exchange(operation, 'valid', input);
    if (planned.phase === 'exercise') this.shrinkTargets.note(operation, exchange, index);
    const status = exchange.response?.status ?? 0;
    const dry = this.cases.isDryRun(input);
    if (planned.phase === 'create' && planned.resource && status >= 200 && status < 300 && !dry) {
      const first = !this.resources.firstCreated.has(planned.resource.name);
      this.resources.recordCreated(planned.resource, input, exchange.response!);
      await this.resources.ownership.confirmNew();
      // Before another of its type is created: a first one that never becomes ready is not followed by more.
      const created = this.resources.firstCreated.get(planned.resource.name);
      if (first && created) await this.resources.awaitFirstReady(planned.resource, created.params);
    }
    if (planned.phase === 'create' && planned.resource && !dry) this.createOutcomes.note(planned.resource.name, exchange.response?.status, status >= 200 && status < 300);
    if (status === 201 && !dry) this.resources.recordUpserted(operation, input, exchange.response!);
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

  /** `authorization`: undefined sends the run's credentials, null none, a string that header instead. */
  exchange(operation: Operation, intent: Intent, input: RequestInput, authorization?: string | null, adjust?: (request: OutgoingRequest) => void, note?: string, strict?: boolean): Promise<Exchange> {
    return this.exchanger.exchange(operation, intent, input, { authorization, ...(adjust ? { adjust } : {}), ...(note ? { note } : {}), ...(strict !== undefined ? { strict } : {}) });
  }

  /** A request of the run's own bookkeeping (poll, read, cleanup step): checked and reported, its ids not harvested. */
  lifecycle(operation: Operation, params: Record<string, unknown>, body?: unknown): Promise<Exchange> {
    return this.exchanger.lifecycle(operation, params, body);
  }

  sendLifecycle(operation: Operation, input: RequestInput): Promise<Exchange> {
    return this.exchanger.exchange(operation, 'lifecycle', input, { harvest: false });
  }

  /** A lifecycle read whose answer is needed (values discovery): rejects with the transport error when none came. */
  async read(operation: Operation, path: Record<string, unknown>): Promise<HttpResponse> {
    const { response, error } = await this.exchanger.lifecycle(operation, path);
    if (!response) throw error!;
    return response;
  }

  buildRequest(operation: Operation, input: RequestInput): OutgoingRequest {
    return this.exchanger.buildRequest(operation, input);
  }

  /** Sends a request as it is (a replayed one): counted, rate-limited and retried like all, but neither checked nor reported. */
  async send(request: OutgoingRequest): Promise<HttpResponse> {
    return (await this.exchanger.send(request)).response;
  }

  /** One more valid request for an operation, with the profile's rules applied, addressed at these path parameters. */
  validInput(operation: Operation, path: Record<string, string>): RequestInput | undefined {
    return this.cases.validInput(operation, path);
  }

  pathFor(operation: Operation): Record<string, string> {
    return this.cases.pathFor(operation);
  }

  arbitraryFor(operation: Operation) {
    return this.cases.arbitraryFor(operation);
  }

  /** Whether the first resource of this type never became ready: waits for its states are not repeated. */
  isNeverReady(resource: string): boolean {
    return this.resources.neverReady.has(resource);
  }

  readyAfter(resource: string, id: string | undefined): number | undefined {
    return this.resources.readyMs.get(`${resource} ${id}`);
  }

  fits(param: string, id: string): boolean {
    return this.pathIds.fits(param, id);
  }

  async runConcurrently(tasks: (() => Promise<void>)[]): Promise<void> {
    await runConcurrently(tasks, this.config.concurrency);
  }

  operation(id: string): Operation | undefined {
    return this.config.spec.operations.find((o) => o.id === id);
  }

  /** An operation the run needs to wait for or clean up its own resources: found even when --include/--exclude left it out. */
  lifecycleOperation(id: string): Operation | undefined {
    return this.operation(id) ?? this.config.allOperations?.find((o) => o.id === id);
  }

  private readonly warned = new Set<string>();
  private warnOnce(message: string): void {
    if (this.warned.has(message)) return;
    this.warned.add(message);
    this.emit({ type: 'warning', message });
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
