import type { Check } from './types.ts';

/** Wrong or malformed credentials are refused with 401 or 403, never served. */
export const authInvalid: Check = {
  id: 'auth-invalid',
  description: 'Wrong or malformed credentials are answered 401 or 403',
  applies: (exchange) => exchange.intent === 'bad-auth' && exchange.response !== undefined,
  relevantTo: (operation) => operation.security.length > 0,
  run(exchange) {
    const { status } = exchange.response!;
    const auth = exchange.request.headers.authorization ?? '';
    const kind = /^(Basic|Bearer) \S{8,}/.test(auth) ? 'wrong credentials' : 'a malformed Authorization header';
    return status === 401 || status === 403 ? [] : [`${kind} answered ${status}, expected 401 or 403`];
  },
};
