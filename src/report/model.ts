import { curlCommand } from '../http/curl.ts';
import { causeOf, failureId } from './baseline.ts';
import type { LifecycleMark, RunEvent } from '../run/events.ts';
import type { Exchange } from '../checks/types.ts';
import { safeTarget, type Redactor } from '../http/redact.ts';
import type { Operation } from '../spec/types.ts';
import { assembleReport, emptyTransient, LatencySamples, statusCoverage } from './coverage.ts';
import type { CheckResult, ConformanceReport, FailureRecord, LifecycleEntry, OperationCoverage, OperationTiming, Outcome, ReplayKind, TransientSummary } from './types.ts';

export { SCHEMA_VERSION, summarize } from './coverage.ts';
export { safeTarget } from '../http/redact.ts';
export type { CheckResult, ConformanceReport, FailureRecord, LifecycleEntry, Outcome, ReplayKind } from './types.ts';
const MAX_FAILURES_KEPT = 10;
/**
 * Response bodies kept in a failure: the first failure of each operation and check keeps up to 64 KB, enough to
 * validate it again from the report; later ones 4,000 characters. A cut body says where it was cut and how long it was.
 */
const MAX_FIRST_BODY_CHARS = 65_536;
const MAX_BODY_CHARS = 4000;

interface OperationState {
  operation: Operation;
  operationId: string;
  method: string;
  path: string;
  requests: number;
  durationMs: number;
  latency: LatencySamples;
  statuses: Map<number, number>;
  /** Set when generating the operation's data ran out of time. */
  budgetExceeded?: string;
  checks: Map<string, CheckEntry>;
}

interface CheckEntry {
  checked: number;
  failures: FailureRecord[];
  warnings: FailureRecord[];
}

/** Builds the report from engine events. All request and response data is redacted on the way in. */
export class ResultCollector {
  private provider = '';
  private target = '';
  private seed = 0;
  private startedAt = '';
  private durationMs = 0;
  private interrupted = false;
  private stopReason: string | undefined;
  private requests = 0;
  /** Every request the run put on the wire (from run-end), which summary.requests reports. */
  private wireRequests: number | undefined;
  private readonly transient: TransientSummary = emptyTransient();
  private readonly warnings: string[] = [];
  private readonly alerts: string[] = [];
  private readonly lifecycle: LifecycleEntry[] = [];
  private readonly operations = new Map<string, OperationState>();

  /** The check ids of the run, in report order (from the run-start event). */
  private checkIds: readonly string[] = [];

  constructor(private readonly redactor: Redactor) {}

  readonly sink = (event: RunEvent): void => {
    switch (event.type) {
      case 'run-start':
        Object.assign(this, { provider: event.provider, target: safeTarget(event.target), seed: event.seed, startedAt: event.startedAt, checkIds: event.checks });
        for (const op of event.operations) {
          this.operations.set(op.id, { operation: op, operationId: op.id, method: op.method.toUpperCase(), path: op.path, requests: 0, durationMs: 0, latency: new LatencySamples(), statuses: new Map(), checks: new Map() });
        }
        break;
      case 'exchange':
        this.requests++;
        this.onExchange(event.exchange, event.outcomes);
        break;
      case 'shrunk': {
        const failure = this.operations.get(event.operation.id)?.checks.get(event.check)?.failures[0];
        if (failure) {
          const full = this.failureRecord(this.redactor.text(event.message), event.exchange);
          failure.shrunk = { message: full.message, request: full.request, curl: full.curl, seed: event.seed, path: event.path };
        }
        break;
      }
      case 'probe':
        this.record(event.operation.id, event.check, event.failures, event.exchange, 'sequence', event.warnings);
        if (event.lifecycle) this.onLifecycle(event.lifecycle);
        break;
      case 'warning':
        this.warnings.push(this.redactor.text(event.message));
        if (event.prominent) this.alerts.push(this.redactor.text(event.message));
        break;
      case 'budget-exceeded': {
        this.warnings.push(this.redactor.text(event.message));
        const state = this.operations.get(event.operation.id);
        if (state) state.budgetExceeded = this.redactor.text(event.message);
        break;
      }
      case 'operation-end': {
        const state = this.operations.get(event.operation.id);
        if (state) state.durationMs += event.durationMs;
        break;
      }
      case 'transient': {
        const t = this.transient;
        if (event.status === 429) t.rateLimited++;
        else t.unavailable++;
        if (event.waitMs === undefined) t.exhausted++;
        else {
          t.retried++;
          t.waitedMs += Math.round(event.waitMs);
        }
        Object.assign(t.rateLimitHeaders, event.rateLimit);
        break;
      }
      case 'run-end':
        this.durationMs = event.durationMs;
        this.interrupted = event.interrupted;
        this.stopReason = event.stopReason;
        if (event.requests !== undefined) this.wireRequests = event.requests;
        break;
      default:
        break;
    }
  };

  private onExchange(exchange: Exchange, outcomes: { check: string; failures: string[]; warnings?: string[] }[]): void {
    const state = this.operations.get(exchange.operation.id);
    if (!state) return;
    state.requests++;
    if (exchange.response) {
      state.statuses.set(exchange.response.status, (state.statuses.get(exchange.response.status) ?? 0) + 1);
      state.latency.add(exchange.response.durationMs);
    }
    for (const { check, failures, warnings } of outcomes) this.record(exchange.operation.id, check, failures, exchange, 'request', warnings);
  }

  private record(operationId: string, check: string, failures: string[], exchange: Exchange | undefined, replay: ReplayKind, warnings: string[] = []): void {
    const state = this.operations.get(operationId);
    if (!state) return;
    let entry = state.checks.get(check);
    if (!entry) state.checks.set(check, (entry = { checked: 0, failures: [], warnings: [] }));
    entry.checked++;
    this.keep(entry.failures, failures, exchange, replay);
    this.keep(entry.warnings, warnings, exchange, replay);
  }

  /**
   * Adds findings to a list, one record per cause (src/report/baseline.ts causeOf): the same fault with other
   * generated values, or an answer with its keys in another order, counts on the record of its first occurrence.
   */
  private keep(records: FailureRecord[], messages: string[], exchange: Exchange | undefined, replay: ReplayKind): void {
    for (const message of messages) {
      const text = this.redactor.text(message);
      const cause = causeOf(text);
      const same = records.find((f) => f.message === text) ?? records.find((f) => causeOf(f.message) === cause);
      if (same) same.count++;
      else if (records.length < MAX_FAILURES_KEPT) records.push({ ...this.failureRecord(text, exchange, records.length === 0 ? MAX_FIRST_BODY_CHARS : MAX_BODY_CHARS), ...replayData(this.redactor, exchange, replay) });
      else records[records.length - 1]!.count++;
    }
  }

  private failureRecord(message: string, exchange: Exchange | undefined, maxBodyChars = MAX_BODY_CHARS): FailureRecord {
    const r = this.redactor;
    if (!exchange) return { message, count: 1, request: { method: '', url: '', headers: {} }, curl: '' };
    const { request, response } = exchange;
    return {
      message,
      count: 1,
      request: { method: request.method, url: r.url(request.url), headers: r.headers(request.headers), ...(request.body !== undefined ? { body: r.body(request.body) } : {}) },
      ...(response ? { response: { status: response.status, headers: r.headers(response.headers), body: bodyPreview(r, response.text, maxBodyChars) } } : {}),
      curl: curlCommand(request, r),
    };
  }

  /** The check results of one operation (one per check id). */
  resultsFor(operationId: string): CheckResult[] {
    const op = this.operations.get(operationId);
    if (!op) return [];
    return this.checkIds.map((check) => {
      const entry = op.checks.get(check);
      const outcome: Outcome = !entry ? 'skipped' : entry.failures.length > 0 ? 'failed' : 'passed';
      const withId = (f: FailureRecord) => ({ ...f, id: failureId(this.provider, op.operationId, check, f.message) });
      const failures = (entry?.failures ?? []).map(withId);
      const warnings = (entry?.warnings ?? []).map(withId);
      return { provider: this.provider, operationId: op.operationId, method: op.method, path: op.path, check, outcome, checked: entry?.checked ?? 0, failures, warnings };
    });
  }

  /** Requests sent for one operation. */
  requestsFor(operationId: string): number {
    return this.operations.get(operationId)?.requests ?? 0;
  }

  /** Status coverage of one operation: documented codes seen and never seen. */
  coverageFor(operationId: string): OperationCoverage | undefined {
    const s = this.operations.get(operationId);
    return s && { provider: this.provider, operationId: s.operationId, method: s.method, path: s.path, requests: s.requests, ...statusCoverage(s.operation, s.statuses), ...(s.budgetExceeded ? { budgetExceeded: s.budgetExceeded } : {}) };
  }

  /** A resource seen ready is listed; one seen gone after its delete adds that time to its entry. */
  private onLifecycle(mark: LifecycleMark): void {
    const { resource, id, readyMs, deletedMs } = mark;
    if (readyMs !== undefined) this.lifecycle.push({ provider: this.provider, resource, ...(id !== undefined ? { id } : {}), readyMs });
    const entry = deletedMs !== undefined && id !== undefined ? this.lifecycle.find((l) => l.resource === resource && l.id === id) : undefined;
    if (entry) entry.deletedMs = deletedMs;
  }

  /** Timing of one operation: its wall time and the latency of its answers. */
  timingFor(operationId: string): OperationTiming | undefined {
    const s = this.operations.get(operationId);
    return s && { provider: this.provider, operationId: s.operationId, durationMs: Math.round(s.durationMs), requests: s.requests, latencyMs: s.latency.summary() };
  }

  report(): ConformanceReport {
    const ids = [...this.operations.keys()];
    return assembleReport({
      run: { provider: this.provider, target: this.target, seed: this.seed, startedAt: this.startedAt, durationMs: Math.round(this.durationMs), interrupted: this.interrupted, ...(this.stopReason ? { stopReason: this.stopReason } : {}) },
      warnings: this.warnings,
      ...(this.alerts.length > 0 ? { alerts: this.alerts } : {}),
      lifecycle: this.lifecycle,
      results: ids.flatMap((id) => this.resultsFor(id)),
      coverage: ids.map((id) => this.coverageFor(id)!),
      timing: ids.map((id) => this.timingFor(id)!),
      transient: this.transient,
      ...(this.wireRequests !== undefined ? { requests: this.wireRequests } : {}),
    });
  }
}

/**
 * What replay needs to judge the request again as the run judged it, taken from the exchange (never from the
 * message): its intent, the constraint an invalid request broke (redacted like the message that quotes it), and how to replay.
 */
function replayData(r: Redactor, exchange: Exchange | undefined, replay: ReplayKind): Pick<FailureRecord, 'intent' | 'constraint' | 'strict' | 'replay'> {
  if (!exchange) return { replay };
  return { intent: exchange.intent, ...(exchange.note !== undefined ? { constraint: r.text(exchange.note) } : {}), ...(exchange.strict !== undefined ? { strict: exchange.strict } : {}), replay };
}

/**
 * A response body for the report: redacted, then cut to `max` characters. A body far longer than that is not parsed
 * whole: its beginning is redacted as text (values under secret keys and every piece of a known secret).
 */
function bodyPreview(r: Redactor, text: string, max: number): string {
  const redacted = text.length > max * 16 ? r.jsonText(text.slice(0, max * 2)) : (r.body(text) ?? '');
  return redacted.length > max || text.length > max * 16 ? `${redacted.slice(0, max)}... (cut at ${max} of ${text.length} characters)` : redacted;
}
