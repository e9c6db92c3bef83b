import type { Intent } from '../core/exchange.ts';
/**
 * The shape of conformance.json (schemas/conformance-report.schema.json): types only, so that the collector
 * (model.ts), the coverage and baseline helpers and every reader import them without importing each other.
 */
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
  /**
   * 1.4: why the recorded request was sent (the exchange's intent); the checks judged its answer against it.
   * Absent when no request shows the finding, and in reports written before 1.4.
   */
  intent?: Intent;
  /** 1.4: for an invalid request, which documented constraint it broke (the exchange's note). */
  constraint?: string;
  /** 1.4: for an invalid request, whether the docs state that breaking the constraint is refused. */
  strict?: boolean;
  /**
   * 1.4: how `conformance replay` reproduces the finding: `request` re-sends the recorded request (a per-response
   * check judged it on its own), `sequence` re-runs the requests a stateful check judged together.
   * Absent in reports written before 1.4.
   */
  replay?: ReplayKind;
  /** The smallest request that still fails, found by shrinking, and how to regenerate it. */
  shrunk?: { message: string; request: FailureRecord['request']; curl: string; seed: number; path: string };
}

/** request: a finding of a per-response check (an `exchange` event); sequence: of a stateful check (a `probe` event). */
export type ReplayKind = 'request' | 'sequence';

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
  /**
   * Findings where the documentation is silent (schema 1.2): reported and counted, never a failed check.
   * Absent in reports written before 1.2.
   */
  warnings?: FailureRecord[];
}

export interface ConformanceReport {
  schemaVersion: string;
  run: { provider: string; target: string; seed: number; startedAt: string; durationMs: number; interrupted: boolean; stopReason?: string };
  /** operationsExercised: operations a request was sent for; answered2xx, onlyRefused, notReached (1.3): see Reach in coverage.ts. */
  /** `warned`: check results that did not fail but carry warnings; `warningFindings`: their findings, counted by request. */
  summary: { operations: number; operationsExercised: number; answered2xx?: number; onlyRefused?: number; notReached?: number; checks: number; passed: number; failed: number; skipped: number; requests: number; warned?: number; warningFindings?: number };
  /** Which operations were exercised, and which documented status codes were seen or never seen. */
  coverage: { operationsExercised: number; answered2xx?: number; onlyRefused?: number; notReached?: number; operations: number; documentedStatuses: number; documentedStatusesSeen: number; operationList: OperationCoverage[] };
  /** Per operation and for the whole run. */
  timing: { durationMs: number; requestsPerSecond: number; operations: OperationTiming[] };
  /** 429 and 503 answers, retried and reported apart from conformance failures. */
  transient: TransientSummary;
  warnings: string[];
  /** The warnings that say part of the run could not happen (for example no create succeeded); also in `warnings`. */
  alerts?: string[];
  /** Against --baseline: which failures are new, still failing, or fixed; failOn `new`: only new ones fail the run. */
  baseline?: { file: string; failOn?: 'any' | 'new'; new: string[]; stillFailing: string[]; fixed: string[]; fixedFailures?: { id: string; provider: string; operationId: string; check: string; message: string }[] };
  /** How long each created resource took to become ready. */
  lifecycle: LifecycleEntry[];
  results: CheckResult[];
}

/** A resource seen ready after its create (readyMs) and, when the run deleted it, gone after the delete (deletedMs). */
export interface LifecycleEntry {
  provider: string;
  resource: string;
  id?: string;
  readyMs: number;
  deletedMs?: number;
}

/** Status coverage of one operation. `documented` lists the spec's keys ('200', '4XX', 'DEFAULT'). */
export interface OperationCoverage {
  provider: string;
  operationId: string;
  method: string;
  path: string;
  requests: number;
  documented: string[];
  /** Status code to how many answers carried it. */
  seen: Record<string, number>;
  /** Documented keys no answer matched. */
  neverSeen: string[];
  /** Codes that matched no documented key (not even DEFAULT). */
  undocumented: string[];
  /** Whether the operation was tested with a successful answer (see `reachOf`). Absent in reports before 1.3. */
  reach?: Reach;
  /** 1.3: generating this operation's data ran out of its time budget; it ran with fewer examples. */
  budgetExceeded?: string;
}

/**
 * What a run could test of an operation: `answered-2xx` (at least one 2xx), `only-refused` (answers came, none
 * of them 2xx: refused with 4xx, or 3xx/5xx), `not-reached` (no answer at all: not sent, or no response).
 * Only `answered-2xx` operations had their success path tested.
 */
export type Reach = 'answered-2xx' | 'only-refused' | 'not-reached';

export interface OperationTiming {
  provider: string;
  operationId: string;
  /** Wall time spent on the operation, its lifecycle waits included. */
  durationMs: number;
  requests: number;
  /** Latency of the answers; null when none came. */
  latencyMs: { mean: number; p50: number; p95: number; max: number } | null;
}

export interface TransientSummary {
  /** Answers retried after a wait. */
  retried: number;
  /** 429 answers (retried or not). */
  rateLimited: number;
  /** 503 answers (retried or not). */
  unavailable: number;
  waitedMs: number;
  /** Answers that were still 429 or 503 when the retry budget ran out: these reached the checks. */
  exhausted: number;
  /** The last X-RateLimit-* headers seen. */
  rateLimitHeaders: Record<string, string>;
}
