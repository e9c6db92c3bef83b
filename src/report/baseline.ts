import { createHash } from 'node:crypto';
import type { ConformanceReport } from './model.ts';

/**
 * The cause of a failure without what varies from run to run (numbers, ids, quoted values, URLs),
 * so that the same fault gets the same id in every run, whatever the seed.
 */
export function causeOf(message: string): string {
  return message
    .replace(/https?:\/\/\S+/g, 'URL')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\S*/gi, 'ID')
    .replace(/'[^']*'|"[^"]*"/g, 'VALUE')
    .replace(/\d+(\.\d+)?/g, 'N');
}

/** A stable failure id derived from provider, operation, check and cause. */
export function failureId(provider: string, operationId: string, check: string, message: string): string {
  return createHash('sha1').update(`${provider}|${operationId}|${check}|${causeOf(message)}`).digest('hex').slice(0, 12);
}

export interface FailureRef {
  id: string;
  provider: string;
  operationId: string;
  check: string;
  message: string;
}

export interface Comparison {
  new: FailureRef[];
  stillFailing: FailureRef[];
  fixed: FailureRef[];
}

/** Each failure id of a report once (records whose messages differ only in numbers, ids or values share one). */
function failures(report: ConformanceReport): FailureRef[] {
  const byId = new Map<string, FailureRef>();
  for (const r of report.results) {
    for (const f of r.failures) {
      const id = f.id ?? failureId(r.provider, r.operationId, r.check, f.message);
      if (!byId.has(id)) byId.set(id, { id, provider: r.provider, operationId: r.operationId, check: r.check, message: f.message });
    }
  }
  return [...byId.values()];
}

/** Marks each failure of `current` as new or still failing against `previous`, and lists what was fixed. */
export function compareReports(previous: ConformanceReport, current: ConformanceReport): Comparison {
  const before = new Map(failures(previous).map((f) => [f.id, f]));
  const now = failures(current);
  const nowIds = new Set(now.map((f) => f.id));
  return {
    new: now.filter((f) => !before.has(f.id)),
    stillFailing: now.filter((f) => before.has(f.id)),
    fixed: [...before.values()].filter((f) => !nowIds.has(f.id)),
  };
}

export function describeComparison(c: Comparison): string[] {
  const line = (tag: string, f: FailureRef) => `  ${tag.padEnd(13)} ${f.id} ${f.check} ${f.provider} ${f.operationId}: ${f.message}`;
  return [
    `baseline: ${c.new.length} new, ${c.stillFailing.length} still failing, ${c.fixed.length} fixed`,
    ...c.new.map((f) => line('new', f)),
    ...c.stillFailing.map((f) => line('still failing', f)),
    ...c.fixed.map((f) => line('fixed', f)),
  ];
}
