import { mergeSchemas } from './schema-arbitrary.ts';
import { isFlagged } from '../spec/json-schema.ts';
import type { RequestInput } from './request.ts';
import type { JsonSchema, Operation, Parameter } from '../spec/types.ts';
import { bodyBreakIsStrict, queryBreakIsStrict, type Marker, markerOf } from './strictness.ts';

/** A request that breaks exactly one documented constraint. */
export interface InvalidCase {
  /** What was broken, for the report: "body/properties/cores above its maximum". */
  description: string;
  /** The kind of constraint: missing, additional, enum, maximum, type, format, maxItems, malformed, ... */
  kind: string;
  input: RequestInput;
  /** Sent as the body verbatim instead of JSON-serialising input.body. */
  rawBody?: string;
  contentType?: string;
  /** Whether the docs state that this break is refused (src/generate/strictness.ts); if not, accepting it is only a warning. */
  strict: boolean;
}

const MAX_BODY_CASES = 10;
const MAX_QUERY_CASES = 4;

/**
 * Derives invalid requests from a valid one, each breaking one constraint of the spec:
 * a wrong type, a missing required field, a value out of range or outside its enum, a broken format or pattern,
 * an additional property where none is allowed, a malformed JSON body, a wrong content type.
 */
export function invalidCases(operation: Operation, valid: RequestInput): InvalidCase[] {
  const cases: InvalidCase[] = [];
  const queryCases: InvalidCase[] = [];
  const body = operation.body;
  if (body?.schema && isObject(valid.body)) {
    const strict = (kind: string, marker: Marker) => bodyBreakIsStrict(operation, kind, marker);
    cases.push({ description: 'a malformed JSON body', kind: 'malformed', input: clone(valid), rawBody: '{"unterminated": ', strict: strict('malformed', undefined) });
    if (body.contentType.includes('json')) cases.push({ description: 'a body sent as text/plain', kind: 'content-type', input: clone(valid), rawBody: JSON.stringify(valid.body), contentType: 'text/plain', strict: strict('content-type', undefined) });
    for (const mutation of schemaMutations(body.schema, valid.body, 'body')) {
      cases.push({ description: mutation.description, kind: mutation.kind, input: { ...clone(valid), body: mutation.value }, strict: strict(mutation.kind, mutation.marker) });
    }
  }
  for (const param of operation.parameters.filter((p) => p.in === 'query')) {
    const broken = brokenQueryValue(param);
    if (!broken) continue;
    queryCases.push({ description: `query parameter ${param.name} ${broken.why}`, kind: broken.kind, input: { ...clone(valid), query: { ...valid.query, [param.name]: broken.value } }, strict: queryBreakIsStrict(operation, param) });
  }
  return [...spread(cases, MAX_BODY_CASES), ...spread(queryCases, MAX_QUERY_CASES)];
}

interface Mutation {
  description: string;
  kind: string;
  value: unknown;
  /** The `x-conformance-strict` marker of the schema whose constraint is broken. */
  marker: Marker;
}

/**
 * A query value that is invalid once serialized (OpenAPI style and explode), or undefined when none is:
 * with form style and explode (the default for arrays), `filter=x` is a valid one-item array, so an array
 * is broken only through its items; a number for a string is no break in text.
 */
function brokenQueryValue(param: Parameter): { value: unknown; why: string; kind: string } | undefined {
  const schema = param.schema;
  const types = (Array.isArray(schema.type) ? schema.type : [schema.type]).filter((t) => t !== 'null' && t !== undefined);
  if (types.length === 1 && types[0] === 'array') {
    if (param.style !== undefined && param.style !== 'form') return undefined;
    const items = isObject(schema.items) ? (schema.items as JsonSchema) : undefined;
    const broken = items && brokenScalar(items, param.name);
    if (!broken || !survivesAsText(broken)) return undefined;
    return { value: [broken.value], why: `with an item ${broken.why}`, kind: broken.kind };
  }
  const broken = brokenScalar(schema, param.name);
  return broken && survivesAsText(broken) ? broken : undefined;
}

/** On the wire a query value is text: a number sent for a string is a valid string there. */
function survivesAsText(broken: { value: unknown; kind: string }): boolean {
  return !(broken.kind === 'type' && typeof broken.value === 'number');
}

/**
 * One mutation per constraint, found by walking the schema next to a valid value (two levels deep).
 * A property's `x-conformance-strict` marker applies, else that of the nearest enclosing object that has one.
 */
function schemaMutations(schema: JsonSchema, value: Record<string, unknown>, where: string, depth = 0, inherited: Marker = undefined): Mutation[] {
  const s = Array.isArray(schema.allOf) ? mergeSchemas(schema) : schema;
  const enclosing = markerOf(s) ?? inherited;
  const marker = (prop: unknown): Marker => markerOf(prop) ?? enclosing;
  const properties = (s.properties ?? {}) as Record<string, JsonSchema>;
  const out: Mutation[] = [];
  for (const name of (s.required ?? []) as string[]) {
    if (name in value && !isFlagged(properties[name], 'readOnly')) {
      const { [name]: _dropped, ...rest } = value;
      out.push({ description: `${where} without the required field ${name}`, kind: 'missing', value: rest, marker: marker(properties[name]) });
    }
  }
  if (s.additionalProperties === false) out.push({ description: `${where} with an additional property where none is allowed`, kind: 'additional', value: { ...value, conformanceUnexpected: 1 }, marker: enclosing });
  for (const [name, raw] of Object.entries(properties)) {
    if (!raw || typeof raw !== 'object') continue;
    const prop = Array.isArray(raw.allOf) ? mergeSchemas(raw) : raw;
    if (isFlagged(prop, 'readOnly') || !(name in value)) continue;
    const current = value[name];
    if (isObject(current) && depth < 2) {
      for (const m of schemaMutations(prop, current, `${where}/${name}`, depth + 1, enclosing)) out.push({ ...m, value: { ...value, [name]: m.value } });
      continue;
    }
    const broken = brokenScalar(prop, name);
    if (broken) out.push({ description: `${where}/${name} ${broken.why}`, kind: broken.kind, value: { ...value, [name]: broken.value }, marker: marker(prop) });
    if (Array.isArray(current) && typeof prop.maxItems === 'number' && current.length > 0) {
      out.push({ description: `${where}/${name} with more than ${prop.maxItems} items`, kind: 'maxItems', value: { ...value, [name]: Array.from({ length: prop.maxItems + 1 }, () => current[0]) }, marker: marker(prop) });
    }
  }
  return out;
}

/** A value that breaks a scalar schema, and why; undefined when the schema constrains nothing breakable. */
function brokenScalar(schema: JsonSchema, name: string): { value: unknown; why: string; kind: string } | undefined {
  if (!schema || typeof schema !== 'object') return undefined;
  const nullable = schema.nullable === true || (Array.isArray(schema.type) && schema.type.includes('null'));
  const types = (Array.isArray(schema.type) ? schema.type : [schema.type]).filter((t) => t !== 'null' && t !== undefined);
  // Several types (`[string, integer]`): a value of the wrong type may well be of another allowed one. Only the enum breaks reliably.
  if (types.length > 1) return Array.isArray(schema.enum) ? { value: 'conformance-not-in-enum', why: 'outside its enum', kind: 'enum' } : undefined;
  const type = types[0];
  const step = (schema.multipleOf as number | undefined) ?? 1;
  if (Array.isArray(schema.enum)) return { value: 'conformance-not-in-enum', why: 'outside its enum', kind: 'enum' };
  if (type === 'integer' || type === 'number') {
    // Within the bounds but off the step: only multipleOf is broken.
    if (typeof schema.multipleOf === 'number' && schema.multipleOf > 1) {
      const base = typeof schema.minimum === 'number' ? schema.minimum : 0;
      return { value: base + Math.max(1, Math.floor(schema.multipleOf / 2)), why: `not a multiple of ${schema.multipleOf}`, kind: 'multipleOf' };
    }
    if (typeof schema.maximum === 'number') return { value: schema.maximum + step * 1000, why: 'above its maximum', kind: 'maximum' };
    if (typeof schema.minimum === 'number') return { value: schema.minimum - step * 1000, why: 'below its minimum', kind: 'minimum' };
    return { value: 'not-a-number', why: 'of the wrong type (a string for a number)', kind: 'type' };
  }
  if (type === 'string') {
    if (schema.format === 'uuid') return { value: 'not-a-uuid', why: 'not a uuid', kind: 'format' };
    if (schema.format === 'date-time') return { value: 'not-a-date', why: 'not a date-time', kind: 'format' };
    if (typeof schema.pattern === 'string') return { value: '\u0000 conformance !!', why: `not matching ${constraintText(schema.pattern, `the pattern of ${name}`)}`, kind: 'pattern' };
    if (typeof schema.maxLength === 'number') return { value: 'x'.repeat(schema.maxLength + 1), why: `longer than ${schema.maxLength}`, kind: 'maxLength' };
    if (typeof schema.minLength === 'number' && schema.minLength > 0) return { value: '', why: `shorter than ${schema.minLength}`, kind: 'minLength' };
    return nullable ? undefined : { value: 12345, why: 'of the wrong type (a number for a string)', kind: 'type' };
  }
  if (type === 'boolean') return { value: 'not-a-boolean', why: 'of the wrong type (a string for a boolean)', kind: 'type' };
  if (type === 'array') return { value: 'not-an-array', why: 'of the wrong type (a string for an array)', kind: 'type' };
  return undefined;
}

const MAX_CONSTRAINT_CHARS = 60;

/** A constraint as a report shows it: verbatim when short, else named with its length ("the pattern of fields (1,234 chars)"). */
export function constraintText(text: string, name: string): string {
  return text.length <= MAX_CONSTRAINT_CHARS ? text : `${name} (${text.length.toLocaleString('en-US')} chars)`;
}

/**
 * Keeps at most `n` cases: first one of each kind of break (missing field, above maximum, too many items, ...),
 * in order, then the rest spread over the list.
 */
function spread(cases: InvalidCase[], n: number): InvalidCase[] {
  if (cases.length <= n) return cases;
  const firsts = cases.filter((c, i) => cases.findIndex((d) => d.kind === c.kind) === i);
  const chosen = new Set(firsts.slice(0, n));
  const rest = cases.filter((c) => !chosen.has(c));
  const step = rest.length / Math.max(1, n - chosen.size);
  for (let i = 0; chosen.size < n && i * step < rest.length; i++) chosen.add(rest[Math.floor(i * step)]!);
  return cases.filter((c) => chosen.has(c));
}

function clone(input: RequestInput): RequestInput {
  return structuredClone(input);
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
