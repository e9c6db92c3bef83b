import { noEchoPointers } from '../checks/lifecycle.ts';
import { busyConflict } from '../checks/stateful/busy-conflict.ts';
import { createEcho } from '../checks/stateful/create-echo.ts';
import { listContainsCreated } from '../checks/stateful/list-contains-created.ts';
import { listOmitsDeleted } from '../checks/stateful/list-omits-deleted.ts';
import { resourceAvailability } from '../checks/stateful/resource-availability.ts';
import { stateTransitions } from '../checks/stateful/state-transitions.ts';
import type { ProbeCheck } from '../checks/stateful/types.ts';
import { updateApplied } from '../checks/stateful/update-applied.ts';
import { useAfterDelete } from '../checks/stateful/use-after-delete.ts';
import { fillPath } from '../generate/request.ts';
import type { Exchange } from '../checks/types.ts';
import type { RequestInput } from '../generate/request.ts';
import type { ResourceProfile } from '../providers/types.ts';
import type { Operation } from '../spec/types.ts';
import type { RunConfig } from './config.ts';
import type { EventSink, LifecycleMark } from './events.ts';
import type { WriteTracker } from './writes.ts';

/** What the probes need from the session that runs them. */
export interface ProbeHost {
  readonly config: RunConfig;
  readonly emit: EventSink;
  operation(id: string): Operation | undefined;
  /** Sends a request through the per-response checks and reports it, like every request of the run (intent lifecycle). */
  sendLifecycle(operation: Operation, input: RequestInput): Promise<Exchange>;
  /** Whether the first resource of this type never became ready (its waits are not repeated). */
  isNeverReady(resource: string): boolean;
  /** How long the run already saw this resource take to become ready, if it waited for it right after its create. */
  readyAfter(resource: string, id: string | undefined): number | undefined;
  /** One more valid, prepared request for an operation, addressed at these path parameters. */
  validInput(operation: Operation, path: Record<string, string>): RequestInput | undefined;
  isInterrupted: boolean;
  /** Every write the run sent, per resource: read-after-write checks compare only with the run's own last write. */
  readonly writes: WriteTracker;
}

interface Observation {
  states: string[];
  reached?: string;
  readable: boolean;
  gone: boolean;
  ms: number;
  last?: Exchange;
}

/**
 * Stateful lifecycle checks: create, read until ready, list, update, delete, read after delete.
 * Each outcome is reported against the operation it concerns, with the request that showed it.
 */
export class LifecycleProbes {
  constructor(private readonly host: ProbeHost) {}

  /**
   * After a create: readable at once, ready in time, through documented states, echoing what was sent, and listed.
   * `createdAt` is the create's write number: the echo is compared only while that create is still the resource's
   * last write (undefined: it is not, so there is nothing of the run's own to compare with).
   */
  async created(resource: ResourceProfile, params: Record<string, string>, sentBody: unknown, createdAt?: number): Promise<void> {
    const createOp = this.lifecycleOperation(resource.create);
    const readOp = this.lifecycleOperation(resource.read);
    if (!createOp || !readOp) return;
    const states = resource.states;
    const wanted = states ? [...states.ready, ...states.failed] : [];
    const seen = await this.observe(resource, params, wanted, false);
    const availability = resourceAvailability.judge({
      resource: resource.name,
      read: `${readOp.method.toUpperCase()} ${readOp.path}`,
      readable: seen.readable,
      lastAnswer: seen.last?.response?.status ?? seen.last?.error?.message,
      ...(states ? { states: { ready: states.ready, failed: states.failed } } : {}),
      reached: seen.reached,
      seen: seen.states,
      readyTimeoutMs: this.host.config.readyTimeoutMs,
      // An interrupted wait is no failure: the run stopped watching, the resource did not fail to become ready.
      interrupted: this.host.isInterrupted,
    });
    // Without documented states, a resource that can be read is ready.
    const ready = seen.readable && availability.failures.length === 0 && (!states || seen.reached !== undefined);
    this.emitVerdict(createOp, resourceAvailability.id, availability, seen.last, ready ? { resource: resource.name, readyMs: Math.round(this.host.readyAfter(resource.name, params[resource.idParam]) ?? seen.ms), id: params[resource.idParam] } : undefined);
    if (states && seen.states.length > 0) this.judge(readOp, stateTransitions, { seen: seen.states, states, changed: false }, seen.last);
    const intact = createdAt !== undefined && this.host.writes.writesSince(fillPath(readOp.path, params), createdAt) === 0;
    if (seen.readable && seen.last?.response && intact) {
      const read = resource.echoRoot ? resource.echoRoot(seen.last.response.json) : seen.last.response.json;
      this.judge(createOp, createEcho, { sent: sentBody, read, ignore: [...(resource.echoIgnore ?? []), ...noEchoPointers(createOp.body?.schema, sentBody)] }, seen.last);
    }
    await this.listed(resource, params, true);
  }

  /** After an update that was accepted: once ready again, a read shows the change. */
  async updated(resource: ResourceProfile, updateOp: Operation, params: Record<string, string>): Promise<void> {
    const input = this.host.validInput(updateOp, params);
    if (!input || input.body === undefined) return;
    // A resource still busy with an earlier change may refuse this one: start from a settled resource.
    if (resource.states) await this.observe(resource, params, [...resource.states.ready, ...resource.states.failed], false);
    const before = this.host.writes.last;
    const { request, response } = await this.host.sendLifecycle(updateOp, input);
    if (!response || response.status >= 300) return;
    const wanted = resource.states ? [...resource.states.ready, ...resource.states.failed] : [];
    const seen = await this.observe(resource, params, wanted, true);
    if (!seen.readable || !seen.last?.response) return;
    // Only this update may have changed the resource since: another write (or a replacement) leaves nothing to compare.
    const readOp = this.lifecycleOperation(resource.read)!;
    if (this.host.writes.writesSince(fillPath(readOp.path, params), before) > 1) return;
    const read = resource.echoRoot ? resource.echoRoot(seen.last.response.json) : seen.last.response.json;
    const exchange: Exchange = { operation: updateOp, intent: 'lifecycle', request, input, response };
    this.judge(updateOp, updateApplied, { sent: input.body, read, ignore: [...(resource.echoIgnore ?? []), ...noEchoPointers(updateOp.body?.schema, input.body)] }, exchange);
    if (resource.states && seen.states.length > 0) this.judge(readOp, stateTransitions, { seen: seen.states, states: resource.states, changed: true }, seen.last);
    if (resource.busyConflict?.operations.includes(updateOp.id)) await this.busy(resource, updateOp, params, wanted);
  }

  /** Where the provider documents it: a change sent while the resource is busy with another is refused. */
  private async busy(resource: ResourceProfile, updateOp: Operation, params: Record<string, string>, ready: string[]): Promise<void> {
    const expected = resource.busyConflict!.status;
    const first = this.host.validInput(updateOp, params);
    const second = this.host.validInput(updateOp, params);
    if (!first || !second) return;
    const accepted = (await this.host.sendLifecycle(updateOp, first)).response;
    if (!accepted || accepted.status >= 300) return;
    const { request, response } = await this.host.sendLifecycle(updateOp, second);
    if (!response) return;
    const exchange: Exchange = { operation: updateOp, intent: 'lifecycle', request, input: second, response };
    this.judge(updateOp, busyConflict, { resource: resource.name, expected, status: response.status }, exchange);
    await this.observe(resource, params, ready, true);
  }

  /** After a delete that was accepted: the resource goes away, then reads are 404 and other operations fail. */
  async deleted(resource: ResourceProfile, params: Record<string, string>): Promise<void> {
    const deleteOp = this.lifecycleOperation(resource.delete);
    const readOp = this.lifecycleOperation(resource.read);
    if (!deleteOp || !readOp) return;
    const seen = await this.observe(resource, params, [], false, true);
    if (!seen.gone && this.host.isInterrupted) return;
    const changes: { operationId: string; status?: number }[] = [];
    if (seen.gone) {
      for (const opId of (resource.update ?? []).filter((id) => !resource.upsert?.includes(id))) {
        const op = this.host.operation(opId);
        const input = op && this.host.validInput(op, params);
        if (!op || !input) continue;
        const { response } = await this.host.sendLifecycle(op, input);
        changes.push({ operationId: op.id, status: response?.status });
      }
    }
    const observation = { resource: resource.name, gone: seen.gone, readyTimeoutMs: this.host.config.readyTimeoutMs, readMethod: readOp.method.toUpperCase(), lastStatus: seen.last?.response?.status, seen: seen.states, changes };
    this.emitVerdict(deleteOp, useAfterDelete.id, useAfterDelete.judge(observation), seen.last, seen.gone ? { resource: resource.name, deletedMs: Math.round(seen.ms), id: params[resource.idParam] } : undefined);
    if (resource.states && seen.states.length > 0) this.judge(readOp, stateTransitions, { seen: seen.states, states: resource.states, changed: true }, seen.last);
    if (seen.gone) await this.listed(resource, params, false);
  }

  private async listed(resource: ResourceProfile, params: Record<string, string>, expectPresent: boolean): Promise<void> {
    const listOp = resource.list ? this.lifecycleOperation(resource.list) : undefined;
    const id = params[resource.idParam];
    if (!listOp || !resource.listIds || id === undefined) return;
    // The largest page the profile's pagination allows, so that the resource is on the first page.
    const limitName = this.host.config.profile.pagination?.limit;
    const limit = limitName === undefined ? undefined : listOp.parameters.find((p) => p.in === 'query' && p.name === limitName);
    const query: Record<string, unknown> = limit ? { [limit.name]: (limit.schema.maximum as number | undefined) ?? 1000 } : {};
    const input: RequestInput = { path: { ...params }, query, headers: {} };
    const { request, response } = await this.host.sendLifecycle(listOp, input);
    if (!response || response.status !== 200) return;
    const listed = resource.listIds(response.json).map(String).includes(String(id));
    const exchange: Exchange = { operation: listOp, intent: 'lifecycle', request, input, response };
    this.judge(listOp, expectPresent ? listContainsCreated : listOmitsDeleted, { resource: resource.name, id: String(id), listed }, exchange);
  }

  /** Reads the resource until it reaches one of `wanted` states (or is gone, with `untilGone`), recording every state. */
  private async observe(resource: ResourceProfile, params: Record<string, string>, wanted: string[], settle: boolean, untilGone = false): Promise<Observation> {
    const readOp = this.lifecycleOperation(resource.read)!;
    const { pollIntervalMs, readyTimeoutMs } = this.host.config;
    const started = performance.now();
    const observation: Observation = { states: [], readable: false, gone: false, ms: 0 };
    // Right after an update a resource may still report its old ready state: give it one interval to turn.
    if (settle) await sleep(pollIntervalMs);
    // A type whose first resource never became ready was waited for once already: one read shows where it stands.
    const once = !untilGone && this.host.isNeverReady(resource.name);
    while (!this.host.isInterrupted && performance.now() - started < readyTimeoutMs) {
      const input: RequestInput = { path: params, query: {}, headers: {} };
      observation.last = await this.host.sendLifecycle(readOp, input);
      const { response } = observation.last;
      if (response?.status === 404 || response?.status === 410) {
        observation.gone = true;
        if (untilGone) break;
        if (!observation.readable) break;
      }
      if (response?.status === 200) {
        observation.readable = true;
        const state = resource.states?.read(response.json);
        if (state !== undefined && observation.states.at(-1) !== state) observation.states.push(state);
        if (!untilGone && (wanted.length === 0 || (state !== undefined && wanted.includes(state)))) {
          observation.reached = state;
          break;
        }
      }
      if (once) break;
      await sleep(pollIntervalMs);
    }
    observation.ms = performance.now() - started;
    return observation;
  }

  /**
   * An operation the lifecycle of a followed resource goes through: found even when --include/--exclude left it out,
   * so that a create's checks are judged whenever the create runs (its read is only read, never sent as a case).
   */
  private lifecycleOperation(id: string): Operation | undefined {
    return this.host.operation(id) ?? this.host.config.allOperations?.find((o) => o.id === id);
  }

  /** Judges an observation with a stateful check and reports the verdict against the operation it concerns. */
  private judge<O>(operation: Operation, check: ProbeCheck<O>, observation: O, exchange: Exchange | undefined): void {
    this.emitVerdict(operation, check.id, check.judge(observation), exchange);
  }

  private emitVerdict(operation: Operation, check: string, verdict: { failures: string[]; warnings?: string[] }, exchange: Exchange | undefined, lifecycle?: LifecycleMark): void {
    this.host.emit({ type: 'probe', operation, check, failures: verdict.failures, ...(verdict.warnings?.length ? { warnings: verdict.warnings } : {}), exchange, lifecycle });
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
