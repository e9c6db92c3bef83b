import { contentTypeConformance } from './content-type-conformance.ts';
import { errorEnvelopeConformance } from './error-envelope-conformance.ts';
import { notAServerError } from './not-a-server-error.ts';
import { responseSchemaConformance } from './response-schema-conformance.ts';
import { statusCodeConformance } from './status-code-conformance.ts';
import type { Check } from './types.ts';
import { negativeDataRejection } from './negative-data-rejection.ts';
import { positiveDataAcceptance } from './positive-data-acceptance.ts';
import { paginationEcho, paginationLimitRespected } from './pagination.ts';
import { authInvalid } from './auth-invalid.ts';
import { authRequired } from './auth-required.ts';
import { writeOnlyNotReturned } from './write-only-not-returned.ts';
import { rateLimitBudget } from './rate-limit-budget.ts';

/** The per-response checks, in report order. Ids are stable: reports, baselines and filters refer to them. */
export const RESPONSE_CHECKS: readonly Check[] = [
  notAServerError,
  statusCodeConformance,
  contentTypeConformance,
  responseSchemaConformance,
  errorEnvelopeConformance,
  writeOnlyNotReturned,
  authRequired,
  authInvalid,
  paginationLimitRespected,
  paginationEcho,
  negativeDataRejection,
  positiveDataAcceptance,
  rateLimitBudget,
];
