import { UsageError } from '../errors.ts';
import { failureId } from '../report/baseline.ts';
import type { CheckResult, ConformanceReport, FailureRecord } from '../report/model.ts';

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
