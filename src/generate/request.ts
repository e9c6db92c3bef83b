import fc from 'fast-check';
import type { JsonSchema, Operation, Parameter } from '../spec/types.ts';
import type { RequestInput } from '../core/http.ts';
import { schemaArbitrary, type GenerateOptions } from './schema-arbitrary.ts';

export type { RequestInput };

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

const BOUNDARY = 'conformance-form-boundary';

/**
 * A body as its media type says to send it: JSON for JSON types; form fields for multipart/form-data (one part
 * per property, with a boundary no value contains) and application/x-www-form-urlencoded; a string as it is for
 * other types (the negative cases send such strings on purpose).
 */
export function serializeBody(contentType: string, body: unknown, schema?: JsonSchema): { contentType: string; body: string } {
  const base = contentType.split(';')[0]!.trim().toLowerCase();
  if (typeof body === 'string' && !base.includes('json')) return { contentType, body };
  const fields = body !== null && typeof body === 'object' && !Array.isArray(body) ? Object.entries(body).filter(([, v]) => v !== undefined) : undefined;
  if (fields && base === 'application/x-www-form-urlencoded') {
    const params = new URLSearchParams();
    for (const [name, value] of fields) for (const v of Array.isArray(value) ? value : [value]) params.append(name, formValue(v));
    return { contentType, body: params.toString() };
  }
  if (fields && base === 'multipart/form-data') {
    const values = fields.flatMap(([name, value]) => (Array.isArray(value) ? value : [value]).map((v) => [name, formValue(v)] as const));
    let boundary = BOUNDARY;
    for (let n = 1; values.some(([, v]) => v.includes(boundary)); n++) boundary = `${BOUNDARY}-${n}`;
    // A file (format binary, or a contentMediaType) goes as a file part, with a file name and its media type.
    const properties = (schema?.properties ?? {}) as Record<string, JsonSchema>;
    const isFile = (name: string) => properties[name]?.format === 'binary' || typeof properties[name]?.contentMediaType === 'string';
    const parts = values.map(([name, v]) => {
      const quoted = name.replace(/"/g, '%22');
      const file = isFile(name) ? `; filename="${quoted}"\r\nContent-Type: ${String(properties[name]!.contentMediaType ?? 'application/octet-stream')}` : '';
      return `--${boundary}\r\nContent-Disposition: form-data; name="${quoted}"${file}\r\n\r\n${v}\r\n`;
    });
    return { contentType: `multipart/form-data; boundary=${boundary}`, body: `${parts.join('')}--${boundary}--\r\n` };
  }
  return { contentType, body: JSON.stringify(body) };
}

function formValue(value: unknown): string {
  return value !== null && typeof value === 'object' ? JSON.stringify(value) : String(value);
}
