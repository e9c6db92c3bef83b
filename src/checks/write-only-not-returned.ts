import type { Check } from './types.ts';

/**
 * A value the run sent in a writeOnly field (a password, a password hash) never comes back in any response,
 * of this request or of any later one.
 */
export const writeOnlyNotReturned: Check = {
  id: 'write-only-not-returned',
  description: 'Values sent in writeOnly fields (passwords) never appear in a response',
  applies: (exchange, context) => exchange.response !== undefined && exchange.response.text.length > 0 && context.writeOnlyValues.size > 0,
  run(exchange, context) {
    const text = exchange.response!.text;
    for (const secret of context.writeOnlyValues) {
      if (text.includes(secret) || text.includes(JSON.stringify(secret).slice(1, -1))) {
        return ['the response contains a value that was sent in a writeOnly field (a password or similar secret)'];
      }
    }
    return [];
  },
};
