import type { Check, Exchange } from './types.ts';

/** The finding, when an invalid request was not refused with a 4xx. */
function notRefused(exchange: Exchange): string[] {
  const { status } = exchange.response!;
  if (status >= 400 && status < 500) return [];
  return [`${exchange.note ?? 'an invalid request'} was answered ${status}, expected a 4xx refusal`];
}

/**
 * A request that breaks one documented constraint is refused with a 4xx. Where the docs state the refusal
 * (exchange.strict, src/generate/strictness.ts) an accepted request fails; where they are silent it is a warning.
 */
export const negativeDataRejection: Check = {
  id: 'negative-data-rejection',
  description: 'Requests that break a documented constraint are answered 4xx',
  applies: (exchange) => exchange.intent === 'invalid' && exchange.response !== undefined,
  relevantTo: (operation) => operation.body !== undefined || operation.parameters.some((p) => p.in === 'query'),
  run: (exchange) => (exchange.strict === false ? [] : notRefused(exchange)),
  warn: (exchange) => (exchange.strict === false ? notRefused(exchange).map((m) => `${m} (the docs do not state that it is refused)`) : []),
};
