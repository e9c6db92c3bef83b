import type { Check } from './types.ts';

/**
 * 429 and 503 answers are transient: the engine waits and retries them, and counts them apart from
 * conformance failures. Judged on every answer that needed retries: passed when the retries cleared it, failed only
 * when the answer is still 429 or 503 after the whole retry budget.
 */
export const rateLimitBudget: Check = {
  id: 'rate-limit-budget',
  description: 'A 429 or 503 answer clears within the retry budget (Retry-After, X-RateLimit-Reset or backoff)',
  applies: (exchange) => exchange.transientRetries !== undefined && exchange.transientRetries > 0 && exchange.response !== undefined,
  run(exchange) {
    const status = exchange.response!.status;
    if (status !== 429 && status !== 503) return [];
    return [`${status} persisted after ${exchange.transientRetries} retries: the API ${status === 429 ? 'rate-limited' : 'was unavailable to'} this run past the retry budget (lower --rate-limit or --concurrency)`];
  },
};
