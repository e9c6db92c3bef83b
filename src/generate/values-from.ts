import type { JsonSchema, Operation } from '../spec/types.ts';

/**
 * Spec extensions that steer generated request values without constraining what the API may answer:
 *
 * - `x-conformance-values-from: {operationId, path}` (or a list of them, tried in order): the value must be one that
 *   another operation lists (PostgreSQL versions, existing ids). The run calls that operation once and draws values
 *   from its answer, at `path`: a JSON pointer in which a `*` token stands for every item of an array (the names of
 *   `{data: [{name}]}` are at `/data/STAR/name`, STAR being `*`). A source whose path parameters the requesting
 *   operation cannot fill is skipped. `pick: max` keeps only the greatest value (an upgrade target that no later
 *   change can turn into a downgrade).
 * - `x-conformance-generate: {...}`: schema keywords laid over the schema for valid generated data only (documented
 *   example values, lengths that every reading of silent docs accepts); validation and negative cases ignore them.
 */
export const VALUES_FROM = 'x-conformance-values-from';
export const GENERATE = 'x-conformance-generate';

export interface ValuesSource {
  operationId: string;
  path: string;
  /** `max`: only the greatest value (numerically where values are numbers or numeric strings), e.g. the newest version. */
  pick?: 'max';
}

/** The sources of an annotation, in order; malformed entries are left out. */
export function valuesSources(annotation: unknown): ValuesSource[] {
  const list = Array.isArray(annotation) ? annotation : [annotation];
  return list.filter((s): s is ValuesSource => isObject(s) && typeof s.operationId === 'string' && typeof s.path === 'string');
}

/** A stable key for an annotation (the same object may be reached from several operations). */
export function annotationKey(annotation: unknown): string {
  return JSON.stringify(annotation);
}

/** Every `x-conformance-values-from` annotation in the operation's parameters and request body. */
export function valuesFromAnnotations(operation: Operation): unknown[] {
  const found = new Map<string, unknown>();
  const seen = new Set<unknown>();
  const walk = (schema: unknown): void => {
    if (!isObject(schema) || seen.has(schema)) return;
    seen.add(schema);
    if (schema[VALUES_FROM] !== undefined) found.set(annotationKey(schema[VALUES_FROM]), schema[VALUES_FROM]);
    for (const key of ['items', 'additionalProperties', 'not']) walk(schema[key]);
    for (const key of ['allOf', 'oneOf', 'anyOf', 'prefixItems']) if (Array.isArray(schema[key])) for (const s of schema[key] as unknown[]) walk(s);
    if (isObject(schema.properties)) for (const s of Object.values(schema.properties)) walk(s);
  };
  for (const p of operation.parameters) walk(p.schema);
  walk(operation.body?.schema);
  return [...found.values()];
}

/** The values at a pointer with `*` wildcards for array items: scalars only, without duplicates. */
export function valuesAt(body: unknown, pointer: string): unknown[] {
  const tokens = pointer.split('/').slice(1).map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
  let current: unknown[] = [body];
  for (const token of tokens) {
    const next: unknown[] = [];
    for (const value of current) {
      if (token === '*' && Array.isArray(value)) next.push(...value);
      else if (Array.isArray(value) && /^\d+$/.test(token)) next.push(value[Number(token)]);
      else if (isObject(value) && token in value) next.push(value[token]);
    }
    current = next;
  }
  const scalars = current.filter((v) => v !== null && ['string', 'number', 'boolean'].includes(typeof v));
  return [...new Set(scalars)];
}

/** The values a source yields: all of them, or the greatest with `pick: max`. */
export function picked(values: unknown[], pick: ValuesSource['pick']): unknown[] {
  if (pick !== 'max' || values.length === 0) return values;
  const num = (v: unknown) => (typeof v === 'number' ? v : typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : undefined);
  const greater = (a: unknown, b: unknown) => {
    const [x, y] = [num(a), num(b)];
    return x !== undefined && y !== undefined ? x > y : String(a) > String(b);
  };
  return [values.reduce((best, v) => (greater(v, best) ? v : best))];
}

/** The schema for valid generated data: `x-conformance-generate` laid over it. */
export function generationSchema(schema: JsonSchema): JsonSchema {
  const overlay = schema[GENERATE];
  if (!isObject(overlay)) return schema;
  const { [GENERATE]: _overlay, ...rest } = schema;
  return { ...rest, ...overlay };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
