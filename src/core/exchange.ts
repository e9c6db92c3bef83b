import type { Operation } from '../spec/types.ts';
import type { HttpResponse, OutgoingRequest, TransportError } from './http.ts';

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
