import { describe, expect, it } from 'vitest';
import { rateLimitBudget } from '../../src/checks/rate-limit-budget.ts';
import { context, exchange, operation, response } from '../helpers.ts';

const op = operation([{ status: '200', content: { 'application/json': { type: 'object' } } }, { status: '429', content: { 'application/json': { type: 'object' } } }]);

describe('rate-limit-budget', () => {
  it('fails a 429 still there after the retries, even when 429 is documented', () => {
    const ex = { ...exchange(op, response(429, {})), transientRetries: 4 };
    expect(rateLimitBudget.applies(ex, context())).toBe(true);
    expect(rateLimitBudget.run(ex, context())[0]).toMatch(/^429 persisted after 4 retries: the API rate-limited this run past the retry budget/);
  });

  it('fails a 503 still there after the retries', () => {
    const ex = { ...exchange(op, response(503, {})), transientRetries: 4 };
    expect(rateLimitBudget.run(ex, context())[0]).toMatch(/^503 persisted after 4 retries/);
  });

  it('passes an answer that cleared after retries', () => {
    const ex = { ...exchange(op, response(200, {})), transientRetries: 2 };
    expect(rateLimitBudget.applies(ex, context())).toBe(true);
    expect(rateLimitBudget.run(ex, context())).toEqual([]);
    const refused = { ...exchange(op, response(404, {})), transientRetries: 1 };
    expect(rateLimitBudget.run(refused, context())).toEqual([]);
  });

  it('does not judge an answer that needed no retries, or a request that got no answer', () => {
    expect(rateLimitBudget.applies({ ...exchange(op, response(429, {})), transientRetries: 0 }, context())).toBe(false);
    expect(rateLimitBudget.applies({ ...exchange(op, response(200, {})) }, context())).toBe(false);
    expect(rateLimitBudget.applies({ ...exchange(op, undefined), transientRetries: 2 }, context())).toBe(false);
  });
});
