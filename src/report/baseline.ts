import { createHash } from 'node:crypto';
import type { ConformanceReport } from './types.ts';

/**
 * The cause of a failure without what varies from run to run (response bodies, numbers, ids, quoted values,
 * URLs, whitespace), so that the same fault gets the same id in every run, whatever the seed, the order of
 * the keys in an answer or the values generated into it.
 */
export function causeOf(message: string): string {
  return withoutJson(message)
    .replace(/https?:\/\/\S+/g, 'URL')
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\S*/gi, 'ID')
    .replace(/'[^']*'|"[^"]*"/g, 'VALUE')
    .replace(/\d+(\.\d+)?/g, 'N')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * A message with each embedded JSON object or array (an answer quoted in the message, complete or cut short)
 * replaced by `JSON`: its key order, whitespace and values are the server's, not the fault's.
 */
function withoutJson(message: string): string {
  let out = '';
  let i = 0;
  while (i < message.length) {
    const c = message[i]!;
    const next = message[i + 1] ?? '';
    // An object starts with `{"` or `{}`; an array with `[{`, `["`, `[]`, a digit or a JSON literal.
    const starts = (c === '{' && /["}\s]/.test(next)) || (c === '[' && /[[{"\]\d\-tfn\s]/.test(next));
    if (!starts) {
      out += c;
      i++;
      continue;
    }
    i = endOfJson(message, i);
    out += 'JSON';
  }
  return out;
}

/** The index after the JSON value that starts at `start`, or the end of the text when it is cut short. */
function endOfJson(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return i + 1;
    }
  }
  return text.length;
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

/**
 * The failures of a report, one per id. Ids are derived again from the messages, so that a report written by
 * an earlier version (whose ids were derived otherwise) compares by cause, as the current one does.
 */
function failures(report: ConformanceReport): Map<string, FailureRef> {
  const out = new Map<string, FailureRef>();
  for (const r of report.results) {
    for (const f of r.failures) {
      const id = failureId(r.provider, r.operationId, r.check, f.message);
      if (!out.has(id)) out.set(id, { id, provider: r.provider, operationId: r.operationId, check: r.check, message: f.message });
    }
  }
  return out;
}

/**
 * Marks each failure of `current` as new or still failing against `previous`, and lists what was fixed.
 * Each id appears once, in exactly one of the three lists.
 */
export function compareReports(previous: ConformanceReport, current: ConformanceReport): Comparison {
  const before = failures(previous);
  const now = [...failures(current).values()];
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
