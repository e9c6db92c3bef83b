import type { Check } from './types.ts';

/** An operation that requires credentials refuses a request without them with 401. */
export const authRequired: Check = {
  id: 'auth-required',
  description: 'A request without credentials is answered 401',
  applies: (exchange) => exchange.intent === 'no-auth' && exchange.response !== undefined,
  relevantTo: (operation) => operation.security.length > 0,
  run(exchange) {
    const { status } = exchange.response!;
    return status === 401 ? [] : [`a request without credentials was answered ${status}, expected 401`];
  },
};
