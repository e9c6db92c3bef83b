import type { RunEvent } from '../run/events.ts';
import { groupFailures } from '../report/failure-groups.ts';
import { safeTarget, type ConformanceReport } from '../report/model.ts';
import { verdictOf } from '../report/verdict.ts';

/**
 * `run --json`: one JSON object per line on stdout, for machines (progress for people goes to stderr then).
 * Events carry names, counts and messages, never requests, headers or bodies, so no secret can reach them:
 *
 *   {"type":"run-start","provider":...,"target":...,"seed":...,"operations":N,"checks":[...]}
 *   {"type":"operation-end","provider":...,"operationId":...,"method":...,"path":...,"requests":N,"failedChecks":[...],"durationMs":N}
 *   {"type":"warning","provider":...,"message":...}
 *   {"type":"transient","provider":...,"status":429,"waitMs":N}
 *   {"type":"run-end","provider":...,"durationMs":N,"interrupted":false}
 *   {"type":"summary","verdict":"FAIL","exitCode":1,"summary":{...},"failures":[{check,count,message,operations,ids}],"reports":[...]}
 */
export function ndjsonEvents(write: (line: string) => void): () => (event: RunEvent) => void {
  return () => {
    let provider = '';
    let requests = 0;
    let failed = new Set<string>();
    const emit = (object: Record<string, unknown>) => write(JSON.stringify({ ...object, provider }));
    return (event) => {
      switch (event.type) {
        case 'run-start':
          provider = event.provider;
          emit({ type: 'run-start', target: safeTarget(event.target), seed: event.seed, operations: event.operations.length, checks: event.checks });
          break;
        case 'operation-start':
          requests = 0;
          failed = new Set();
          break;
        case 'exchange':
          requests++;
          for (const o of event.outcomes) if (o.failures.length > 0) failed.add(o.check);
          break;
        case 'probe':
          if (event.failures.length > 0) failed.add(event.check);
          break;
        case 'operation-end':
          emit({ type: 'operation-end', operationId: event.operation.id, method: event.operation.method.toUpperCase(), path: event.operation.path, requests, failedChecks: [...failed], durationMs: Math.round(event.durationMs) });
          break;
        case 'warning':
          emit({ type: 'warning', message: event.message });
          break;
        case 'transient':
          emit({ type: 'transient', status: event.status, attempt: event.attempt, waitMs: event.waitMs === undefined ? null : Math.round(event.waitMs) });
          break;
        case 'run-end':
          emit({ type: 'run-end', durationMs: Math.round(event.durationMs), interrupted: event.interrupted, ...(event.stopReason ? { stopReason: event.stopReason } : {}) });
          break;
        default:
          break;
      }
    };
  };
}

/** The last line: verdict, exit code, totals, each failure group once, the report files. */
export function summaryEvent(report: ConformanceReport, reports: string[], exitCode: number): string {
  const verdict = verdictOf(report);
  const failures = groupFailures(report).flatMap((c) => c.groups.map((g) => ({ check: g.check, count: g.count, message: g.message, operations: g.operations, ids: g.entries.map((e) => e.id) })));
  return JSON.stringify({ type: 'summary', verdict: verdict.label, exitCode, seed: report.run.seed, summary: report.summary, ...(report.baseline ? { baseline: { new: report.baseline.new.length, stillFailing: report.baseline.stillFailing.length, fixed: report.baseline.fixed.length } } : {}), failures, reports });
}
