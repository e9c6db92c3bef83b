import { curlCommand } from '../http/curl.ts';
import { failureId } from './baseline.ts';
import type { RunEvent } from '../run/events.ts';
import type { Exchange } from '../checks/types.ts';
import type { Redactor } from './redact.ts';

export const SCHEMA_VERSION = '1.0';
const MAX_FAILURES_KEPT = 10;
const MAX_BODY_CHARS = 4000;

export type Outcome = 'passed' | 'failed' | 'skipped';

export interface FailureRecord {
  /** Stable across runs: derived from provider, operation, check and cause (src/report/baseline.ts). */
  id?: string;
  message: string;
  /** How many requests failed this way; only the first is kept in full. */
  count: number;
  request: { method: string; url: string; headers: Record<string, string>; body?: string };
  response?: { status: number; headers: Record<string, string>; body: string };
  curl: string;
  /** The smallest request that still fails, found by shrinking, and how to regenerate it. */
  shrunk?: { message: string; request: FailureRecord['request']; curl: string; seed: number; path: string };
}

export interface CheckResult {
  provider: string;
  operationId: string;
  method: string;
  path: string;
  check: string;
  outcome: Outcome;
  /** Requests this check judged. */
  checked: number;
  failures: FailureRecord[];
}

export interface ConformanceReport {
  schemaVersion: string;
  run: { provider: string; target: string; seed: number; startedAt: string; durationMs: number; interrupted: boolean };
  summary: { operations: number; operationsExercised: number; checks: number; passed: number; failed: number; skipped: number; requests: number };
  warnings: string[];
  /** Against --baseline: which failures are new, still failing, or fixed. */
  baseline?: { file: string; new: string[]; stillFailing: string[]; fixed: string[] };
  /** How long each created resource took to become ready. */
  lifecycle: { provider: string; resource: string; readyMs: number }[];
  results: CheckResult[];
}

interface OperationState {
  operationId: string;
  method: string;
  path: string;
  requests: number;
  checks: Map<string, { checked: number; failures: FailureRecord[] }>;
}

/** Builds the report from engine events. All request and response data is redacted on the way in. */
export class ResultCollector {
  private provider = '';
  private target = '';
  private seed = 0;
  private startedAt = '';
  private durationMs = 0;
  private interrupted = false;
  private requests = 0;
  private readonly warnings: string[] = [];
  private readonly lifecycle: { provider: string; resource: string; readyMs: number }[] = [];
  private readonly operations = new Map<string, OperationState>();

  /** The check ids of the run, in report order (from the run-start event). */
  private checkIds: readonly string[] = [];

  constructor(private readonly redactor: Redactor) {}

  readonly sink = (event: RunEvent): void => {
    switch (event.type) {
      case 'run-start':
        Object.assign(this, { provider: event.provider, target: safeTarget(event.target), seed: event.seed, startedAt: event.startedAt, checkIds: event.checks });
        for (const op of event.operations) {
          this.operations.set(op.id, { operationId: op.id, method: op.method.toUpperCase(), path: op.path, requests: 0, checks: new Map() });
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
        this.record(event.operation.id, event.check, event.failures, event.exchange);
        if (event.lifecycle) this.lifecycle.push({ provider: this.provider, ...event.lifecycle });
        break;
      case 'warning':
        this.warnings.push(this.redactor.text(event.message));
        break;
      case 'run-end':
        this.durationMs = event.durationMs;
        this.interrupted = event.interrupted;
        break;
      default:
        break;
    }
  };

  private onExchange(exchange: Exchange, outcomes: { check: string; failures: string[] }[]): void {
    const state = this.operations.get(exchange.operation.id);
    if (!state) return;
    state.requests++;
    for (const { check, failures } of outcomes) this.record(exchange.operation.id, check, failures, exchange);
  }

  private record(operationId: string, check: string, failures: string[], exchange: Exchange | undefined): void {
    const state = this.operations.get(operationId);
    if (!state) return;
    let entry = state.checks.get(check);
    if (!entry) state.checks.set(check, (entry = { checked: 0, failures: [] }));
    entry.checked++;
    for (const message of failures) {
      const text = this.redactor.text(message);
      const same = entry.failures.find((f) => f.message === text);
      if (same) same.count++;
      else if (entry.failures.length < MAX_FAILURES_KEPT) entry.failures.push(this.failureRecord(text, exchange));
      else entry.failures[entry.failures.length - 1]!.count++;
    }
  }

  private failureRecord(message: string, exchange: Exchange | undefined): FailureRecord {
    const r = this.redactor;
    if (!exchange) return { message, count: 1, request: { method: '', url: '', headers: {} }, curl: '' };
    const { request, response } = exchange;
    return {
      message,
      count: 1,
      request: { method: request.method, url: r.url(request.url), headers: r.headers(request.headers), ...(request.body !== undefined ? { body: r.body(request.body) } : {}) },
      ...(response ? { response: { status: response.status, headers: r.headers(response.headers), body: truncate(r.body(response.text) ?? '') } } : {}),
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
      const failures = (entry?.failures ?? []).map((f) => ({ ...f, id: failureId(this.provider, op.operationId, check, f.message) }));
      return { provider: this.provider, operationId: op.operationId, method: op.method, path: op.path, check, outcome, checked: entry?.checked ?? 0, failures };
    });
  }

  /** Requests sent for one operation. */
  requestsFor(operationId: string): number {
    return this.operations.get(operationId)?.requests ?? 0;
  }

  report(): ConformanceReport {
    const results = [...this.operations.keys()].flatMap((id) => this.resultsFor(id));
    const ops = [...this.operations.values()];
    return {
      schemaVersion: SCHEMA_VERSION,
      run: { provider: this.provider, target: this.target, seed: this.seed, startedAt: this.startedAt, durationMs: Math.round(this.durationMs), interrupted: this.interrupted },
      summary: summarize(results, ops.length, ops.filter((o) => o.requests > 0).length, this.requests),
      warnings: this.warnings,
      lifecycle: this.lifecycle,
      results,
    };
  }
}

/** The summary block of a report: operations, checks by outcome, requests. */
export function summarize(results: CheckResult[], operations: number, operationsExercised: number, requests: number): ConformanceReport['summary'] {
  const count = (outcome: Outcome) => results.filter((r) => r.outcome === outcome).length;
  return { operations, operationsExercised, checks: results.length, passed: count('passed'), failed: count('failed'), skipped: count('skipped'), requests };
}

/** The target without userinfo, query or fragment: credentials never reach a report. */
export function safeTarget(target: string): string {
  try {
    const url = new URL(target);
    url.username = '';
    url.password = '';
    url.search = '';
    url.hash = '';
    return url.toString().replace(/\/$/, '');
  } catch {
    return '(invalid URL)';
  }
}

function truncate(text: string): string {
  return text.length > MAX_BODY_CHARS ? `${text.slice(0, MAX_BODY_CHARS)}... (${text.length} characters)` : text;
}
