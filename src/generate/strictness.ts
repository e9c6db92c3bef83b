import type { JsonSchema, Operation, Parameter } from '../spec/types.ts';

/** A schema's `x-conformance-strict` marker: true (the docs state the refusal), false (they do not), or absent. */
export type Marker = boolean | undefined;

export function markerOf(schema: unknown): Marker {
  if (!schema || typeof schema !== 'object') return undefined;
  const value = (schema as JsonSchema)['x-conformance-strict'];
  return typeof value === 'boolean' ? value : undefined;
}

/** Whether the operation documents a refusal of invalid data: a 400, a 422 or a 4XX range. */
function documentsRefusal(operation: Operation): boolean {
  return operation.responses.some((r) => r.status === '400' || r.status === '422' || r.status === '4XX');
}

/**
 * Whether the docs make the refusal of a broken body explicit, so that accepting it fails the check:
 * - `x-conformance-strict: true|false` on the broken property (or object), else on the operation, decides;
 * - otherwise a body that breaks a documented constraint (type, required, range, enum, format, pattern) must be
 *   refused when the operation documents a refusal (400, 422 or 4XX), and a malformed JSON body always;
 * - an unknown property (additionalProperties: false) and a body sent as text/plain are commonly tolerated:
 *   strict only with a marker, or a documented 415 for the content type.
 */
export function bodyBreakIsStrict(operation: Operation, kind: string, marker: Marker): boolean {
  if (marker !== undefined) return marker;
  if (operation.strict) return true;
  if (kind === 'malformed') return true;
  if (kind === 'content-type') return operation.responses.some((r) => r.status === '415');
  if (kind === 'additional') return false;
  return documentsRefusal(operation);
}

/**
 * Whether the docs make the refusal of a broken query value explicit: only with `x-conformance-strict: true`
 * on the parameter (or its schema) or the operation. A documented 400 alone does not say that an optional
 * query value that does not fit is refused rather than ignored or read leniently.
 */
export function queryBreakIsStrict(operation: Operation, param: Parameter): boolean {
  return param.strict === true || operation.strict === true;
}
