import { matchResponse } from '../spec/operations.ts';
import type { Operation } from '../spec/types.ts';
import type { CheckResult, ConformanceReport, OperationCoverage, OperationTiming, Outcome, Reach, TransientSummary } from './types.ts';

export type { OperationCoverage, OperationTiming, Reach, TransientSummary };

/** The version of conformance.json (schemas/conformance-report.schema.json). */
export const SCHEMA_VERSION = '1.4';

export function reachOf(seen: Record<string, number>): Reach {
  const codes = Object.keys(seen);
  if (codes.some((c) => c.startsWith('2'))) return 'answered-2xx';
  return codes.length > 0 ? 'only-refused' : 'not-reached';
}

/** `(4 answered 2xx, 1 only refused, 0 not reached)`, for the console and the summaries; '' for reports before 1.3. */
export function reachText(counts: { answered2xx?: number; onlyRefused?: number; notReached?: number }): string {
  if (counts.answered2xx === undefined) return '';
  return ` (${counts.answered2xx} answered 2xx, ${counts.onlyRefused ?? 0} only refused, ${counts.notReached ?? 0} not reached)`;
}

/** How many operations reached each level. */
export function reachCounts(coverage: readonly Pick<OperationCoverage, 'seen'>[]): { answered2xx: number; onlyRefused: number; notReached: number } {
  const reach = coverage.map((c) => reachOf(c.seen));
  const count = (r: Reach) => reach.filter((x) => x === r).length;
  return { answered2xx: count('answered-2xx'), onlyRefused: count('only-refused'), notReached: count('not-reached') };
}

const MAX_SAMPLES = 4096;

/** Latencies of one operation's answers: exact up to 4096, then a uniform reservoir sample, so memory stays bounded. */
export class LatencySamples {
  private readonly samples: number[] = [];
  private count = 0;
  private sum = 0;
  private max = 0;

  add(ms: number): void {
    this.count++;
    this.sum += ms;
    this.max = Math.max(this.max, ms);
    if (this.samples.length < MAX_SAMPLES) this.samples.push(ms);
    else {
      const slot = Math.floor(Math.random() * this.count);
      if (slot < MAX_SAMPLES) this.samples[slot] = ms;
    }
  }

  summary(): OperationTiming['latencyMs'] {
    if (this.count === 0) return null;
    const sorted = [...this.samples].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
    return { mean: round(this.sum / this.count), p50: round(at(0.5)), p95: round(at(0.95)), max: round(this.max) };
  }
}

/** Which documented response keys the seen status codes matched: exact codes first, then ranges (4XX), then default. */
export function statusCoverage(operation: Operation, seen: ReadonlyMap<number, number>): Pick<OperationCoverage, 'documented' | 'seen' | 'neverSeen' | 'undocumented' | 'reach'> {
  const documented = operation.responses.map((r) => r.status);
  const matched = new Set<string>();
  const undocumented: string[] = [];
  for (const status of seen.keys()) {
    const key = matchResponse(operation.responses, status)?.status;
    if (key) matched.add(key);
    else undocumented.push(String(status));
  }
  const seenCodes = Object.fromEntries([...seen].sort(([a], [b]) => a - b).map(([k, v]) => [String(k), v]));
  return {
    documented,
    seen: seenCodes,
    neverSeen: documented.filter((d) => !matched.has(d)),
    undocumented: undocumented.sort(),
    reach: reachOf(seenCodes),
  };
}

/** The summary block of a report: operations, checks by outcome, requests. */
export function summarize(results: CheckResult[], operations: number, operationsExercised: number, requests: number, reach?: ReturnType<typeof reachCounts>): ConformanceReport['summary'] {
  const count = (outcome: Outcome) => results.filter((r) => r.outcome === outcome).length;
  const warned = results.filter((r) => r.outcome !== 'failed' && (r.warnings?.length ?? 0) > 0);
  const warningFindings = results.reduce((n, r) => n + (r.warnings ?? []).reduce((m, w) => m + w.count, 0), 0);
  return { operations, operationsExercised, ...(reach ?? {}), checks: results.length, passed: count('passed'), failed: count('failed'), skipped: count('skipped'), requests, warned: warned.length, warningFindings };
}

export function emptyTransient(): TransientSummary {
  return { retried: 0, rateLimited: 0, unavailable: 0, waitedMs: 0, exhausted: 0, rateLimitHeaders: {} };
}

export function addTransient(into: TransientSummary, more: TransientSummary | undefined): TransientSummary {
  if (!more) return into;
  into.retried += more.retried;
  into.rateLimited += more.rateLimited;
  into.unavailable += more.unavailable;
  into.waitedMs += more.waitedMs;
  into.exhausted += more.exhausted;
  Object.assign(into.rateLimitHeaders, more.rateLimitHeaders);
  return into;
}

export interface ReportParts {
  run: ConformanceReport['run'];
  warnings: string[];
  alerts?: string[];
  lifecycle: ConformanceReport['lifecycle'];
  results: CheckResult[];
  coverage: OperationCoverage[];
  timing: OperationTiming[];
  transient: TransientSummary;
  /** Every request put on the wire (retries, polls, cleanup, the reachability check); default: the operations' requests. */
  requests?: number;
}

/** Builds a report and its derived blocks (summary, coverage totals, run throughput) from its parts. */
export function assembleReport(parts: ReportParts): ConformanceReport {
  const requests = parts.requests ?? parts.coverage.reduce((n, c) => n + c.requests, 0);
  const exercised = parts.coverage.filter((c) => c.requests > 0);
  // Reports merged from before 1.3 carry no reach: it follows from the codes seen.
  const operationList = parts.coverage.map((c) => ({ ...c, reach: reachOf(c.seen) }));
  const reach = reachCounts(operationList);
  return {
    schemaVersion: SCHEMA_VERSION,
    run: parts.run,
    summary: summarize(parts.results, parts.coverage.length, exercised.length, requests, reach),
    coverage: {
      operationsExercised: exercised.length,
      ...reach,
      operations: parts.coverage.length,
      documentedStatuses: parts.coverage.reduce((n, c) => n + c.documented.length, 0),
      documentedStatusesSeen: parts.coverage.reduce((n, c) => n + c.documented.length - c.neverSeen.length, 0),
      operationList,
    },
    timing: { durationMs: parts.run.durationMs, requestsPerSecond: parts.run.durationMs > 0 ? round((requests * 1000) / parts.run.durationMs) : 0, operations: parts.timing },
    transient: parts.transient,
    warnings: parts.warnings,
    ...(parts.alerts && parts.alerts.length > 0 ? { alerts: parts.alerts } : {}),
    lifecycle: parts.lifecycle,
    results: parts.results,
  };
}

function round(n: number): number {
  return Math.round(n * 10) / 10;
}
