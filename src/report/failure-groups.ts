import { createHash } from 'node:crypto';
import { causeOf, failureId } from './baseline.ts';
import type { CheckResult, ConformanceReport, FailureRecord } from './model.ts';

export type BaselineMark = 'new' | 'still failing';

/**
 * One failure of one operation, with its stable id and, against a baseline, whether it is new. Records of the
 * same operation and check whose messages differ only in what varies (numbers, ids, quoted values) share the id
 * and are one entry: `failure` is the first (its evidence is shown), `count` their failing requests together.
 */
export interface FailureEntry {
  id: string;
  result: CheckResult;
  failure: FailureRecord;
  /** Failing requests of every record with this id. */
  count: number;
  /** Every record with this id (variants of the message). */
  records: FailureRecord[];
  mark?: BaselineMark;
}

/** Failures of one check that share a cause (src/report/baseline.ts causeOf), across operations. */
export interface FailureGroup {
  /** Stable: derived from check and cause. */
  key: string;
  check: string;
  cause: string;
  /** The message of the most frequent member. */
  message: string;
  /** Failing requests, all members together. */
  count: number;
  /** The operations affected, each once, in report order (provider-qualified when the report covers several providers). */
  operations: string[];
  entries: FailureEntry[];
}

export interface CheckFailures {
  check: string;
  count: number;
  groups: FailureGroup[];
}

/**
 * The one deduplication model of every report (HTML, Markdown, JUnit, console): failures grouped by check, then by
 * cause across operations: 300 operations failing the same way are one group with a count and the list of
 * operations; a failure id appears once. Checks and groups come most frequent first.
 * With `which: 'warnings'`, the same for the warnings (findings where the docs are silent; no baseline marks).
 */
export function groupFailures(report: ConformanceReport, which: 'failures' | 'warnings' = 'failures'): CheckFailures[] {
  const multiProvider = new Set(report.results.map((r) => r.provider)).size > 1;
  const marks = new Map<string, BaselineMark>([...(report.baseline?.new ?? []).map((id) => [id, 'new'] as const), ...(report.baseline?.stillFailing ?? []).map((id) => [id, 'still failing'] as const)]);
  const byCheck = new Map<string, Map<string, FailureGroup>>();
  for (const result of report.results) {
    for (const failure of (which === 'failures' ? result.failures : result.warnings) ?? []) {
      const cause = causeOf(failure.message);
      let groups = byCheck.get(result.check);
      if (!groups) byCheck.set(result.check, (groups = new Map()));
      let group = groups.get(cause);
      if (!group) groups.set(cause, (group = { key: groupKey(result.check, cause), check: result.check, cause, message: failure.message, count: 0, operations: [], entries: [] }));
      const id = failure.id ?? failureId(result.provider, result.operationId, result.check, failure.message);
      group.count += failure.count;
      const known = group.entries.find((e) => e.id === id && e.result.provider === result.provider && e.result.operationId === result.operationId);
      if (known) {
        known.count += failure.count;
        known.records.push(failure);
        continue;
      }
      const mark = which === 'failures' ? marks.get(id) : undefined;
      group.entries.push({ id, result, failure, count: failure.count, records: [failure], ...(mark ? { mark } : {}) });
      const operation = multiProvider ? `${result.provider} ${result.operationId}` : result.operationId;
      if (!group.operations.includes(operation)) group.operations.push(operation);
    }
  }
  const checks = [...byCheck].map(([check, groups]) => {
    const list = [...groups.values()];
    for (const g of list) g.message = [...g.entries].sort((a, b) => b.count - a.count)[0]!.failure.message;
    list.sort((a, b) => b.count - a.count || a.cause.localeCompare(b.cause));
    return { check, count: list.reduce((n, g) => n + g.count, 0), groups: list };
  });
  return checks.sort((a, b) => b.count - a.count || a.check.localeCompare(b.check));
}

/**
 * How every report counts failures: distinct failures (groups: one check, one cause, across operations), failure
 * ids (one per operation within a group: what a baseline marks new, still failing or fixed) and failing requests.
 */
export function failureTotals(grouped: CheckFailures[]): { distinct: number; ids: number; requests: number } {
  return {
    distinct: grouped.reduce((n, c) => n + c.groups.length, 0),
    ids: grouped.reduce((n, c) => n + c.groups.reduce((m, g) => m + g.entries.length, 0), 0),
    requests: grouped.reduce((n, c) => n + c.count, 0),
  };
}

function groupKey(check: string, cause: string): string {
  return createHash('sha1').update(`${check}|${cause}`).digest('hex').slice(0, 12);
}

/**
 * JSON pointers named in a failure message ("/items/0/id must be string", "/properties/cores: sent 2, read 4"),
 * in order, without duplicates. "(root)" is not returned: it would point at the whole body.
 */
export function pointersIn(message: string): string[] {
  const out: string[] = [];
  for (const match of message.matchAll(/(?:^|[\s;(,])(\/[^\s;,()'"]*)/g)) {
    const pointer = match[1]!.replace(/[:.]+$/, '');
    if (pointer.length > 1 && !out.includes(pointer)) out.push(pointer);
  }
  return out;
}

/** The value a JSON pointer designates, or undefined when it designates nothing. */
export function resolvePointer(document: unknown, pointer: string): { found: boolean; value?: unknown } {
  if (pointer === '') return { found: true, value: document };
  if (!pointer.startsWith('/')) return { found: false };
  let current: unknown = document;
  for (const raw of pointer.slice(1).split('/')) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (Array.isArray(current) && /^\d+$/.test(key) && Number(key) < current.length) current = current[Number(key)];
    else if (current && typeof current === 'object' && !Array.isArray(current) && Object.prototype.hasOwnProperty.call(current, key)) current = (current as Record<string, unknown>)[key];
    else return { found: false };
  }
  return { found: true, value: current };
}

/** Parses a body as JSON; undefined when it is not JSON (or was truncated). */
export function parseJson(text: string | undefined): { ok: boolean; value?: unknown } {
  if (text === undefined || text.trim() === '') return { ok: false };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: false };
  }
}

/** A duration for people: 340 ms, 1.2 s, 3 min 1 s. */
export function formatMs(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms - minutes * 60_000) / 1000)} s`;
}
