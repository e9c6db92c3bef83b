import type { Check } from './types.ts';

/** A request that breaks one documented constraint is refused with a 4xx. */
export const negativeDataRejection: Check = {
  id: 'negative-data-rejection',
  description: 'Requests that break a documented constraint are answered 4xx',
  applies: (exchange) => exchange.intent === 'invalid' && exchange.response !== undefined,
  relevantTo: (operation) => operation.body !== undefined || operation.parameters.some((p) => p.in === 'query'),
  run(exchange) {
    const { status } = exchange.response!;
    if (status >= 400 && status < 500) return [];
    return [`${exchange.note ?? 'an invalid request'} was answered ${status}, expected a 4xx refusal`];
  },
};
