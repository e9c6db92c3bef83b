/** What goes on the wire and what comes back: the shapes every layer above shares. */
export interface OutgoingRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  /** Serialized body as sent on the wire. */
  body?: string;
}

export interface HttpResponse {
  status: number;
  headers: Record<string, string>;
  /** Media type without parameters, lower case; '' when the header is missing. */
  contentType: string;
  text: string;
  /** Parsed JSON when the body is JSON and parses; undefined otherwise. */
  json: unknown;
  /** Set when the response claims JSON but does not parse. */
  jsonError?: string;
  /** Set when a JSON body was too costly to parse and validate (see src/http/json-cost.ts): json stays undefined. */
  tooCostly?: string;
  durationMs: number;
}

/** A request that never produced an HTTP response: refused, reset, timed out, too large, ... */
export class TransportError extends Error {
  constructor(
    readonly kind: string,
    detail: string,
  ) {
    super(`transport: ${kind}${detail ? ` (${detail})` : ''}`);
    this.name = 'TransportError';
  }
}

/** Generated request data for one operation, before ids are filled in and before serialization. */
export interface RequestInput {
  path: Record<string, unknown>;
  query: Record<string, unknown>;
  headers: Record<string, unknown>;
  body?: unknown;
}
