import type { Check } from './types.ts';

/**
 * 429 and 503 answers are transient: the engine waits and retries them, and counts them apart from
 * conformance failures. Only an answer still 429 or 503 after the whole retry budget fails here.
 */
export const rateLimitBudget: Check = {
  id: 'rate-limit-budget',
  description: 'A 429 or 503 answer clears within the retry budget (Retry-After, X-RateLimit-Reset or backoff)',
  applies: (exchange) => exchange.transientRetries !== undefined && exchange.transientRetries > 0 && (exchange.response?.status === 429 || exchange.response?.status === 503),
  run(exchange) {
    const status = exchange.response!.status;
    return [`${status} persisted after ${exchange.transientRetries} retries: the API ${status === 429 ? 'rate-limited' : 'was unavailable to'} this run past the retry budget (lower --rate-limit or --concurrency)`];
  },
};
