import type { Check } from './types.ts';

/** No request may end in a 5xx answer or without an answer at all. */
export const notAServerError: Check = {
  id: 'not-a-server-error',
  description: 'Every request gets an HTTP answer below 500',
  applies: () => true,
  run(exchange) {
    if (exchange.error) return [exchange.error.message];
    const status = exchange.response!.status;
    return status >= 500 ? [`server error ${status}`] : [];
  },
};
