import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { operationBudget, sampleBounded } from '../../src/generate/bounded.ts';
import { schemaArbitrary } from '../../src/generate/schema-arbitrary.ts';

const busy = (ms: number) => {
  const until = performance.now() + ms;
  while (performance.now() < until);
};

describe('time-bounded generation', () => {
  it('gives the same values as one sample of the seed, in chunks', async () => {
    const arbitrary = fc.integer();
    const { values, exceeded } = await sampleBounded(arbitrary, { seed: 5, count: 23, from: 4, budget: operationBudget() });
    expect(exceeded).toBeUndefined();
    expect(values).toEqual(fc.sample(arbitrary, { seed: 5, numRuns: 27 }).slice(4));
  });

  it('serves the event loop between chunks: a signal handler (here a timer) runs while generation goes on', async () => {
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const slow = fc.integer().map((v) => (busy(4), v));
    let stop = false;
    setTimeout(() => (stop = true), 60);
    const { values } = await sampleBounded(slow, { seed: 1, count: 1000, budget: operationBudget(), stopped: () => stop });
    clearInterval(timer);
    expect(ticks).toBeGreaterThan(0);
    expect(values.length).toBeLessThan(1000);
  });

  it('an operation whose cases are too slow stops and says why; its operation budget too', async () => {
    const slow = fc.integer().map((v) => (busy(20), v));
    const perCase = await sampleBounded(slow, { seed: 1, count: 25, budget: operationBudget(5, 60_000) });
    expect(perCase.values).toHaveLength(1);
    expect(perCase.exceeded).toMatch(/^1 example took \d+ ms to generate \(budget 5 ms each\)$/);
    const budget = operationBudget(1000, 150);
    const perOperation = await sampleBounded(slow, { seed: 1, count: 100, budget });
    expect(perOperation.values.length).toBeLessThan(100);
    expect(perOperation.exceeded).toMatch(/^generation time budget of the operation used up after \d+ examples$/);
  });

  it('unique arrays of few distinct items and dictionaries of few names end (fast-check alone would not)', () => {
    const warnings: string[] = [];
    const arbitrary = schemaArbitrary({ type: 'array', uniqueItems: true, minItems: 5, items: { type: 'boolean' } }, { direction: 'request', onUnsupported: (w) => warnings.push(w) });
    expect(fc.sample(arbitrary, { seed: 1, numRuns: 3 }).every((v) => (v as unknown[]).length === 2)).toBe(true);
    expect(warnings).toContain('uniqueItems with minItems 5 but 2 distinct items');
    const dict = schemaArbitrary({ type: 'object', minProperties: 4, propertyNames: { enum: ['a', 'b'] }, additionalProperties: { type: 'integer' } }, { direction: 'request' });
    expect(fc.sample(dict, { seed: 1, numRuns: 3 }).every((v) => Object.keys(v as object).length <= 2)).toBe(true);
  });
});
