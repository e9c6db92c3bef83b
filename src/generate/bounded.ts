import fc from 'fast-check';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { withDeadline } from './schema-arbitrary.ts';

/**
 * Time-bounded generation. fast-check's `sample` is synchronous: a schema that is slow to satisfy would hold the
 * event loop (and with it SIGINT, SIGTERM and every timer) for as long as it takes. Values are therefore made a
 * few at a time, with the event loop served between chunks, and within two budgets: one per case (re-draws stop
 * at it, see withDeadline) and one per operation (generation stops there, and the operation is reported as such).
 * The values are those of one `sample` of the same seed: each chunk resumes at its index (fast-check's `path`).
 */
export const CASE_BUDGET_MS = 2_000;
export const OPERATION_BUDGET_MS = 60_000;
/** Examples per chunk: one at first, more (up to MAX_CHUNK) while chunks are fast, so the loop is never held long. */
const MAX_CHUNK = 32;
const FAST_CHUNK_MS = 20;

export interface GenerationBudget {
  caseMs: number;
  /** Generation time left for the operation. */
  remainingMs: number;
}

export function operationBudget(caseMs = CASE_BUDGET_MS, operationMs = OPERATION_BUDGET_MS): GenerationBudget {
  return { caseMs, remainingMs: operationMs };
}

export interface BoundedResult<T> {
  values: T[];
  /** Set when generation stopped on a budget: what ran out. */
  exceeded?: string;
}

/** `count` values of `arbitrary` from index `from` of the stream of `seed`; fewer when stopped or out of budget. */
export async function sampleBounded<T>(
  arbitrary: fc.Arbitrary<T>,
  options: { seed: number; count: number; from?: number; budget: GenerationBudget; stopped?: () => boolean },
): Promise<BoundedResult<T>> {
  const { seed, count, budget } = options;
  const from = options.from ?? 0;
  const values: T[] = [];
  let chunk = 1;
  for (let done = 0; done < count; ) {
    await yieldToEventLoop();
    if (options.stopped?.()) break;
    if (budget.remainingMs <= 0) return { values, exceeded: `generation time budget of the operation used up after ${from + done} examples` };
    const n = Math.min(chunk, count - done);
    const index = from + done;
    const started = performance.now();
    const until = Date.now() + Math.min(budget.caseMs * n, budget.remainingMs);
    values.push(...withDeadline(until, () => fc.sample(arbitrary, { seed, numRuns: n, ...(index > 0 ? { path: String(index) } : {}) })));
    const took = performance.now() - started;
    budget.remainingMs -= took;
    done += n;
    chunk = took < FAST_CHUNK_MS ? Math.min(chunk * 2, MAX_CHUNK) : 1;
    if (took > budget.caseMs * n) return { values, exceeded: `${n} example${n === 1 ? '' : 's'} took ${Math.round(took)} ms to generate (budget ${budget.caseMs} ms each)` };
  }
  return { values };
}

/** `count` values at once (for single requests outside the examples loop), with re-draws bounded by the case budget. */
export function sampleNow<T>(arbitrary: fc.Arbitrary<T>, seed: number, count: number, from = 0): T[] {
  return withDeadline(Date.now() + CASE_BUDGET_MS * count, () => fc.sample(arbitrary, { seed, numRuns: count, ...(from > 0 ? { path: String(from) } : {}) }));
}
