import fc from 'fast-check';
import type { Operation, Parameter } from '../spec/types.ts';
import { schemaArbitrary, type GenerateOptions } from './schema-arbitrary.ts';

/** Generated request data for one operation, before ids are filled in and before serialization. */
export interface RequestInput {
  path: Record<string, unknown>;
  query: Record<string, unknown>;
  headers: Record<string, unknown>;
  body?: unknown;
}

/** Header parameters that OpenAPI says to ignore: the tool sets them itself. */
const RESERVED_HEADERS = new Set(['accept', 'content-type', 'authorization']);

/** Valid request data for an operation: every parameter and body value validates against its schema. */
export function requestInputArbitrary(operation: Operation, options: Omit<GenerateOptions, 'direction'> = {}): fc.Arbitrary<RequestInput> {
  const generate: GenerateOptions = { ...options, direction: 'request' };
  const group = (location: Parameter['in']) => {
    const params = operation.parameters.filter((p) => p.in === location && !(location === 'header' && RESERVED_HEADERS.has(p.name.toLowerCase())));
    const record: Record<string, fc.Arbitrary<unknown>> = {};
    for (const p of params) record[p.name] = schemaArbitrary(p.schema, generate);
    return fc.record(record, { requiredKeys: params.filter((p) => p.required).map((p) => p.name) });
  };
  const body = operation.body
    ? operation.body.required
      ? schemaArbitrary(operation.body.schema, generate)
      : fc.option(schemaArbitrary(operation.body.schema, generate), { nil: undefined, freq: 5 })
    : fc.constant(undefined);
  return fc.record({ path: group('path'), query: group('query'), headers: group('header'), body }).map((input) => {
    if (input.body === undefined) delete input.body;
    return input;
  });
}

/** Turns a path template and parameter values into a path: `/clusters/{clusterId}` to `/clusters/abc`. */
export function fillPath(template: string, values: Record<string, unknown>): string {
  return template.replace(/\{([^}]+)\}/g, (_m, name: string) => encodeURIComponent(String(values[name] ?? '')));
}

/** Form-style query serialization (OpenAPI's default): arrays repeat the key, unless explode is false. */
export function queryString(operation: Operation, values: Record<string, unknown>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined) continue;
    const param = operation.parameters.find((p) => p.in === 'query' && p.name === name);
    if (Array.isArray(value)) {
      if (param?.explode === false) search.append(name, value.map(String).join(','));
      else for (const v of value) search.append(name, String(v));
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) search.append(param?.style === 'deepObject' ? `${name}[${k}]` : k, String(v));
    } else search.append(name, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}
