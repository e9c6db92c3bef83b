import type { Check, Exchange } from '../checks/types.ts';

/** Checks that judge an answer without its parsed body: the ones still run on a body too costly to parse. */
const WITHOUT_BODY = new Set([
  'not-a-server-error',
  'status-code-conformance',
  'content-type-conformance',
  'auth-required',
  'auth-invalid',
  'rate-limit-budget',
  'negative-data-rejection',
  'positive-data-acceptance',
  'write-only-not-returned',
]);

/** Whether a check may judge an exchange: every check, unless the body was too costly to parse and the check needs it. */
export function judgeable(check: Check, exchange: Exchange): boolean {
  return !exchange.response?.tooCostly || WITHOUT_BODY.has(check.id);
}

/** The warning that names an answer too costly to validate (one per operation and reason). */
export function costWarning(exchange: Exchange): string | undefined {
  const reason = exchange.response?.tooCostly;
  return reason && `${exchange.operation.id}: the ${exchange.response!.status} answer to ${exchange.request.method} ${exchange.operation.path} was not validated: ${reason}`;
}
