import type { SchemaDirection } from '../spec/json-schema.ts';
import type { JsonSchema, Operation } from '../spec/types.ts';
import type { HttpResponse, OutgoingRequest, TransportError } from './http.ts';
import type { ProviderProfile } from './profile.ts';

/** Why a request was sent: the checks judge the answer against that intent. */
/** no-auth: sent without credentials; bad-auth: with wrong or malformed credentials; invalid: data that must be refused. */
export type Intent = 'valid' | 'unknown-id' | 'lifecycle' | 'no-auth' | 'bad-auth' | 'invalid';

/** One request and what came back (a response, or a transport error). */
export interface Exchange {
  operation: Operation;
  intent: Intent;
  request: OutgoingRequest;
  /** The generated request data before serialization (used for reproduction). */
  input: unknown;
  response?: HttpResponse;
  error?: TransportError;
  /** For invalid requests: which constraint was broken. */
  note?: string;
  /**
   * For invalid requests: whether the docs state that this break is refused (src/generate/strictness.ts).
   * When not, an accepted request is a warning, not a failure.
   */
  strict?: boolean;
  /** How many times a 429 or 503 answer was retried before this response. */
  transientRetries?: number;
}

export interface ValidationIssue {
  /** JSON pointer into the validated value, '' for the root. */
  path: string;
  message: string;
}

/** Validates values against a schema (src/checks/validators.ts: ValidatorCache, compiled once per run). */
export interface SchemaValidator {
  validate(schema: JsonSchema, value: unknown, direction: SchemaDirection): ValidationIssue[];
}

export interface CheckContext {
  validators: SchemaValidator;
  profile: ProviderProfile;
  /** Every value the run has sent in a writeOnly field so far. */
  writeOnlyValues: ReadonlySet<string>;
}

/**
 * A check is a small pure function with a stable id, in the manner of Schemathesis:
 * `applies` says whether the exchange is in its scope, `run` returns failure messages (empty when it passes).
 * `warn` returns what the check found where the documentation is silent: reported apart, never a failure.
 */
export interface Check {
  id: string;
  description: string;
  applies(exchange: Exchange, context: CheckContext): boolean;
  /** Whether the check can judge this operation at all (for the plan listing); every operation when absent. */
  relevantTo?(operation: Operation, profile: ProviderProfile): boolean;
  run(exchange: Exchange, context: CheckContext): string[];
  warn?(exchange: Exchange, context: CheckContext): string[];
}

/** A check's verdict on one exchange: failures (the docs are explicit) and warnings (they are silent). */
export interface Verdict {
  failures: string[];
  warnings: string[];
}

export function judge(check: Check, exchange: Exchange, context: CheckContext): Verdict {
  return { failures: check.run(exchange, context), warnings: check.warn?.(exchange, context) ?? [] };
}
