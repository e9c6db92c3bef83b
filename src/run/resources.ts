import { deletePrecondition as deletePreconditionCheck } from '../checks/stateful/delete-precondition.ts';
import type { Exchange, Intent } from '../checks/types.ts';
import { fillPath, type RequestInput } from '../generate/request.ts';
import type { HttpResponse } from '../http/types.ts';
import type { ResourceProfile } from '../providers/types.ts';
import type { Operation } from '../spec/types.ts';
import type { RunConfig } from './config.ts';
import { deletionWaves } from './deletion-order.ts';
import type { EventSink } from './events.ts';
import type { Ledger, LedgerEntry } from './ledger.ts';
import { OwnershipGuard } from './ownership.ts';
import type { WriteTracker } from './writes.ts';

export interface ResourcesHost {
  readonly config: RunConfig;
  readonly emit: EventSink;
  /** The run's known ids by path parameter: created ids join them, ids found not to be ours leave them. */
  readonly ids: Map<string, string[]>;
  readonly writes: WriteTracker;
  /** Whether an id can be used in its path parameter (src/run/path-ids.ts). */
  fits(param: string, id: string): boolean;
  /** An operation of the spec, also one --include/--exclude left out (the run still cleans up with it). */
  lifecycleOperation(id: string): Operation | undefined;
  /** Sends a request of the run's own bookkeeping through the per-response checks (src/run/exchanger.ts). */
  lifecycle(operation: Operation, params: Record<string, unknown>, body?: unknown): Promise<Exchange>;
  exchange(operation: Operation, intent: Intent, input: RequestInput): Promise<Exchange>;
  isInterrupted: boolean;
  runConcurrently(tasks: (() => Promise<void>)[]): Promise<void>;
}

/**
 * What the run creates: the ledger, proof that a resource is still the run's own before it is changed or deleted, waits
 * for states, the documented pre-delete step, and cleanup. A resource type whose first instance never became ready is
 * known here, so that neither the run nor its cleanup waits the ready timeout for it again.
 */
export class Resources {
  /** The body and path of the first resource of each type the run created: the fixture the lifecycle probes follow. */
  readonly firstCreated = new Map<string, { params: Record<string, string>; body: unknown }>();
  /** Resource types whose first instance did not become ready within --ready-timeout. */
  readonly neverReady = new Set<string>();
  /** How long the first resource of each type took from its create's answer to ready, by `<type> <id>`. */
  readonly readyMs = new Map<string, number>();
  /** Every change or delete of a ledger resource is sent only after a read shows it is still the one this run created. */
  readonly ownership: OwnershipGuard;
  private readonly preconditionChecked = new Set<string>();

  constructor(
    private readonly host: ResourcesHost,
    readonly ledger: Ledger,
  ) {
    this.ownership = new OwnershipGuard({
      ledger: () => this.ledger,
      resources: () => host.config.profile.resources,
      read: async (operationId, params) => {
        const op = host.lifecycleOperation(operationId);
        return op ? (await host.lifecycle(op, params)).response : undefined;
      },
      ids: host.ids,
      warn: (message) => host.emit({ type: 'warning', message }),
    });
  }

  /** Puts a resource the caller created (a replayed create) into the ledger, so that cleanup deletes it. */
  adopt(resource: ResourceProfile, params: Record<string, string>, path: string): void {
    const { runId, profile, target } = this.host.config;
    this.ledger.add({ runId, provider: profile.name, target, resource: resource.name, path, params, createdAt: new Date().toISOString() });
  }

  has(path: string): boolean {
    return this.ledger.list().some((e) => e.path === path);
  }

  /** A create-or-replace that created (201) a resource the run did not hold yet: it is cleaned up like any other. */
  recordUpserted(operation: Operation, input: RequestInput, response: HttpResponse): void {
    const resource = this.host.config.profile.resources.find((r) => r.upsert?.includes(operation.id));
    if (!resource || this.has(fillPath(operation.path, input.path))) return;
    const readOp = this.host.lifecycleOperation(resource.read);
    if (readOp && this.has(fillPath(readOp.path, input.path))) return;
    this.recordCreated(resource, input, response);
  }

  recordCreated(resource: ResourceProfile, input: RequestInput, response: HttpResponse): void {
    const id = resource.idFrom(response.json);
    if (id === undefined) {
      this.host.emit({ type: 'warning', message: `${resource.create}: could not find the new ${resource.name}'s id in the response` });
      return;
    }
    const readOp = this.host.lifecycleOperation(resource.read);
    const params = { ...(input.path as Record<string, string>), [resource.idParam]: id };
    const { runId, profile, target } = this.host.config;
    const entry = { runId, provider: profile.name, target, resource: resource.name, path: readOp ? fillPath(readOp.path, params) : id, params, createdAt: new Date().toISOString() };
    if (!this.ownership.record(resource, entry, input.body, response.json)) {
      this.host.writes.replaced(entry.path);
      return;
    }
    const list = this.host.ids.get(resource.idParam) ?? [];
    if (this.host.fits(resource.idParam, id)) list.push(id);
    this.host.ids.set(resource.idParam, list);
    this.host.writes.created(resource.name, readOp ? fillPath(readOp.path, params) : id, params, input.body);
    if (!this.firstCreated.has(resource.name)) this.firstCreated.set(resource.name, { params, body: structuredClone(input.body) });
  }

  /**
   * Waits for the first resource of a type with states to become ready (or failed), before another of its type is
   * created. One that does not within --ready-timeout makes its type never-ready: said once, prominently, and no
   * further creates, settles or cleanups of that type wait for it.
   */
  async awaitFirstReady(resource: ResourceProfile, params: Record<string, string>): Promise<void> {
    if (!resource.states || this.neverReady.has(resource.name)) return;
    const started = performance.now();
    const outcome = await this.waitForState(resource, params, [...resource.states.ready, ...resource.states.failed], true);
    if (outcome === 'reached') this.readyMs.set(`${resource.name} ${params[resource.idParam]}`, performance.now() - started);
    if (outcome !== 'timeout' || this.host.isInterrupted) return;
    // Types read by the same operation are the same kind of resource on the server (Redis: a database created by v1 or v2).
    const same = this.host.config.profile.resources.filter((r) => r.name === resource.name || (r.states && r.read === resource.read));
    for (const r of same) this.neverReady.add(r.name);
    const names = same.map((r) => r.name).join(' or ');
    this.host.emit({
      type: 'warning',
      prominent: true,
      message: `the first ${resource.name} the run created did not become ${resource.states.ready.join('/')} within ${this.host.config.readyTimeoutMs} ms: no further ${names} is created in this run, and its settling is not waited for again`,
    });
  }

  /** Polls the resource's read operation until its state is one of `wanted`, without busy-waiting. */
  private async waitForState(resource: ResourceProfile, params: Record<string, string>, wanted: string[], quiet = false, evenIfInterrupted = false): Promise<'reached' | 'gone' | 'timeout'> {
    const readOp = this.host.lifecycleOperation(resource.read);
    if (!resource.states || !readOp) return 'reached';
    const deadline = Date.now() + this.host.config.readyTimeoutMs;
    while ((evenIfInterrupted || !this.host.isInterrupted) && Date.now() < deadline) {
      const response = (await this.host.lifecycle(readOp, params)).response;
      const state = response?.status === 200 ? resource.states.read(response.json) : undefined;
      if (state && wanted.includes(state)) return 'reached';
      if (quiet && response?.status === 404) return 'gone';
      await sleep(this.host.config.pollIntervalMs);
    }
    if (!quiet) this.host.emit({ type: 'warning', message: `${resource.name} ${fillPath(readOp.path, params)} did not reach ${wanted.join('/')} within ${this.host.config.readyTimeoutMs} ms` });
    return 'timeout';
  }

  async waitUntilGone(resource: ResourceProfile, params: Record<string, string>): Promise<void> {
    const readOp = this.host.lifecycleOperation(resource.read);
    if (!readOp) return;
    const deadline = Date.now() + this.host.config.readyTimeoutMs;
    while (Date.now() < deadline) {
      const { response, error } = await this.host.lifecycle(readOp, params);
      if (!response) throw error!;
      if (response.status === 404 || response.status === 410) return;
      await sleep(this.host.config.pollIntervalMs);
    }
    throw new Error(`${resource.name} still exists after ${this.host.config.readyTimeoutMs} ms`);
  }

  /** Waits until a resource is out of its transitional states (ready or failed), so that a delete or change is not refused as busy. */
  async settle(resource: ResourceProfile, params: Record<string, string>): Promise<void> {
    // A type known never to become ready is not waited for again.
    if (!resource.states || this.neverReady.has(resource.name)) return;
    // Also when interrupted: a resource still being created may refuse its delete or its pre-delete step.
    await this.waitForState(resource, params, [...resource.states.ready, ...resource.states.failed], true, true);
  }

  /** Runs the resource's documented pre-delete step (for example a stop) and waits for its end state. */
  async prepareDelete(resource: ResourceProfile, params: Record<string, string>): Promise<void> {
    const step = resource.beforeDelete;
    const op = step && this.host.lifecycleOperation(step.operationId);
    if (!step || !op) return;
    await this.host.lifecycle(op, params, structuredClone(step.body));
    // Also when interrupted: the delete is refused until the step has taken effect (ClickHouse: stopped).
    await this.waitForState(resource, params, step.until, false, true);
  }

  /**
   * Where a delete has a documented precondition (ClickHouse: stop first), the first delete is sent without it
   * and must be refused. Returns false when the delete was wrongly accepted (the resource is then gone).
   */
  async deletePrecondition(resource: ResourceProfile, operation: Operation, input: RequestInput): Promise<boolean> {
    if (!resource.beforeDelete || this.preconditionChecked.has(resource.name)) return true;
    // Only meaningful while the precondition does not hold yet (a service that is running, not stopped).
    const readOp = this.host.lifecycleOperation(resource.read);
    const current = readOp && (await this.host.lifecycle(readOp, input.path)).response;
    const state = current?.status === 200 ? resource.states?.read(current.json) : undefined;
    if (state === undefined || resource.beforeDelete.until.includes(state)) return true;
    this.preconditionChecked.add(resource.name);
    const exchange = await this.host.exchange(operation, 'lifecycle', input);
    const { response } = exchange;
    if (!response) return true;
    const accepted = response.status < 300;
    this.host.emit({ type: 'probe', operation, check: deletePreconditionCheck.id, ...deletePreconditionCheck.judge({ step: resource.beforeDelete.operationId, until: resource.beforeDelete.until, status: response.status }), exchange });
    if (accepted) {
      await this.waitUntilGone(resource, input.path as Record<string, string>).catch(() => undefined);
      this.ledger.remove(fillPath(operation.path, input.path));
    }
    return !accepted;
  }

  /** Deletes everything still in the ledger (polling until it is gone), in waves so that children go before parents. */
  async cleanup(): Promise<void> {
    for (const wave of deletionWaves(this.ledger.list(), this.host.config.profile.resources)) {
      await this.host.runConcurrently(wave.map((entry) => () => this.deleteFromLedger(entry)));
    }
  }

  private async deleteFromLedger(entry: LedgerEntry): Promise<void> {
    const resource = this.host.config.profile.resources.find((r) => r.name === entry.resource);
    const op = resource && this.host.lifecycleOperation(resource.delete);
    if (!resource || !op) return;
    try {
      const verdict = await this.ownership.verify(entry);
      if (verdict === 'gone') this.ledger.remove(entry.path);
      if (verdict !== 'ours') return;
      await this.settle(resource, entry.params);
      await this.prepareDelete(resource, entry.params);
      // A resource still busy with a change may refuse the delete (409): try again until it is accepted (a type that
      // never became ready is tried once: it would stay busy).
      const deadline = this.neverReady.has(resource.name) ? 0 : Date.now() + this.host.config.readyTimeoutMs;
      let sent = await this.host.lifecycle(op, entry.params);
      while (sent.response?.status === 409 && Date.now() < deadline) {
        await sleep(this.host.config.pollIntervalMs);
        sent = await this.host.lifecycle(op, entry.params);
      }
      if (!sent.response) throw sent.error!;
      const { status } = sent.response;
      // A refused delete will not make the resource go away: say so now rather than wait out the timeout.
      if (status >= 400 && status !== 404 && status !== 410) throw new Error(`the delete was answered ${status}`);
      await this.waitUntilGone(resource, entry.params);
      this.ledger.remove(entry.path);
    } catch (error) {
      this.host.emit({ type: 'warning', message: `could not delete ${entry.resource} ${entry.path}: ${(error as Error).message}; it stays in ${this.ledger.file}` });
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
