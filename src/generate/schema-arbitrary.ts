import fc from 'fast-check';
import mergeAllOf from 'json-schema-merge-allof';
import type { JsonSchema } from '../spec/types.ts';
import { FORMAT_ARBITRARIES, NAME_CHAR } from './formats.ts';

export type Direction = 'request' | 'response';

export interface GenerateOptions {
  /** request: readOnly properties are left out; response: writeOnly properties are left out. */
  direction: Direction;
  /** Called once per unsupported keyword or format, so the caller can warn once. */
  onUnsupported?: (what: string) => void;
  maxDepth?: number;
}

const UNBOUNDED_MAX_ITEMS = 3;
const UNBOUNDED_MAX_LENGTH = 24;
const DEFAULT_INT_RANGE = { min: 0, max: 1000 };

/** Builds a fast-check arbitrary whose every value validates against the JSON schema. */
export function schemaArbitrary(schema: JsonSchema | undefined, options: GenerateOptions): fc.Arbitrary<unknown> {
  return build(schema ?? {}, options, 0);
}

function build(schema: JsonSchema, options: GenerateOptions, depth: number): fc.Arbitrary<unknown> {
  if (depth > (options.maxDepth ?? 8)) return fc.constant(null);
  if (Array.isArray(schema.allOf)) return build(mergeSchemas(schema), options, depth);
  const nullable = schema.nullable === true || (Array.isArray(schema.type) && schema.type.includes('null'));
  const core = buildNonNull(schema, options, depth);
  return nullable ? fc.option(core, { nil: null, freq: 8 }) : core;
}

function buildNonNull(schema: JsonSchema, options: GenerateOptions, depth: number): fc.Arbitrary<unknown> {
  if ('const' in schema) return fc.constant(schema.const);
  const enumValues = (schema.enum ?? schema['x-extensible-enum']) as unknown[] | undefined;
  if (Array.isArray(enumValues) && enumValues.length > 0) {
    const values = enumValues.filter((v) => v !== null);
    return fc.constantFrom(...(values.length > 0 ? values : enumValues));
  }
  const alternatives = (schema.oneOf ?? schema.anyOf) as JsonSchema[] | undefined;
  if (Array.isArray(alternatives) && alternatives.length > 0) {
    const { oneOf: _o, anyOf: _a, ...rest } = schema;
    const branches = alternatives.map((branch) => build(Object.keys(rest).length > 0 ? mergeSchemas({ allOf: [rest, branch] }) : branch, options, depth + 1));
    return fc.oneof(...branches);
  }
  if (schema.not !== undefined) options.onUnsupported?.('not');
  switch (primaryType(schema)) {
    case 'string':
      return stringArbitrary(schema, options);
    case 'integer':
      return numberArbitrary(schema, true);
    case 'number':
      return numberArbitrary(schema, false);
    case 'boolean':
      return fc.boolean();
    case 'array':
      return arrayArbitrary(schema, options, depth);
    case 'object':
      return objectArbitrary(schema, options, depth);
    case 'null':
      return fc.constant(null);
    default:
      return fc.oneof(fc.string({ unit: NAME_CHAR, minLength: 1, maxLength: 8 }), fc.integer({ min: 0, max: 100 }), fc.boolean());
  }
}

function primaryType(schema: JsonSchema): string | undefined {
  const type = schema.type;
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) return (type as string[]).find((t) => t !== 'null') ?? 'null';
  if (schema.properties || schema.additionalProperties || schema.required) return 'object';
  if (schema.items || schema.prefixItems) return 'array';
  if (schema.format || schema.pattern || schema.minLength !== undefined || schema.maxLength !== undefined) return 'string';
  if (schema.minimum !== undefined || schema.maximum !== undefined || schema.multipleOf !== undefined) return 'number';
  return undefined;
}

function stringArbitrary(schema: JsonSchema, options: GenerateOptions): fc.Arbitrary<string> {
  const minLength = (schema.minLength as number | undefined) ?? 0;
  const explicitMax = schema.maxLength as number | undefined;
  const maxLength = explicitMax ?? Math.max(minLength, UNBOUNDED_MAX_LENGTH);
  // Patterns and formats fix their own length; only documented bounds filter them.
  const fitsLength = (s: string) => [...s].length >= minLength && (explicitMax === undefined || [...s].length <= explicitMax);
  if (typeof schema.pattern === 'string') {
    let pattern: RegExp;
    try {
      pattern = new RegExp(schema.pattern, 'u');
    } catch {
      options.onUnsupported?.(`pattern ${schema.pattern}`);
      pattern = /^$/;
    }
    return fc.stringMatching(pattern).filter(fitsLength);
  }
  const format = schema.format as string | undefined;
  if (format) {
    const formatArb = FORMAT_ARBITRARIES[format];
    if (formatArb && (format !== 'password' || explicitMax === undefined || explicitMax >= 12)) return formatArb.filter(fitsLength);
    if (!formatArb && !['password', 'binary', 'string'].includes(format)) options.onUnsupported?.(`format ${format}`);
  }
  const min = Math.max(minLength, 1);
  return fc.string({ unit: NAME_CHAR, minLength: Math.min(min, maxLength), maxLength });
}

function numberArbitrary(schema: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  let min = schema.minimum as number | undefined;
  let max = schema.maximum as number | undefined;
  let exclusiveMin = false;
  let exclusiveMax = false;
  // OpenAPI 3.0 booleans and 3.1 numbers.
  // A 3.1 numeric exclusive bound only binds when it is at least as tight as the inclusive one.
  if (typeof schema.exclusiveMinimum === 'number' && (min === undefined || schema.exclusiveMinimum >= min)) [min, exclusiveMin] = [schema.exclusiveMinimum, true];
  else if (schema.exclusiveMinimum === true) exclusiveMin = true;
  if (typeof schema.exclusiveMaximum === 'number' && (max === undefined || schema.exclusiveMaximum <= max)) [max, exclusiveMax] = [schema.exclusiveMaximum, true];
  else if (schema.exclusiveMaximum === true) exclusiveMax = true;
  if (min === undefined && max === undefined) [min, max] = [DEFAULT_INT_RANGE.min, DEFAULT_INT_RANGE.max];
  else if (min === undefined) min = Math.min(0, max! - DEFAULT_INT_RANGE.max);
  else if (max === undefined) max = Math.max(min, 0) + DEFAULT_INT_RANGE.max;
  const step = schema.multipleOf as number | undefined;
  if (integer || step !== undefined) {
    const unit = step ?? 1;
    let lo = Math.ceil(min! / unit);
    let hi = Math.floor(max! / unit);
    if (exclusiveMin && lo * unit <= min!) lo += 1;
    if (exclusiveMax && hi * unit >= max!) hi -= 1;
    if (hi < lo) return fc.constant(lo * unit);
    return fc.integer({ min: lo, max: hi }).map((k) => roundTo(k * unit, unit));
  }
  return fc.double({ min: min!, max: max!, minExcluded: exclusiveMin, maxExcluded: exclusiveMax, noNaN: true, noDefaultInfinity: true })
    .map((n) => (Object.is(n, -0) ? 0 : n));
}

/** k * 0.1 is 0.30000000000000004 for k = 3: round to the step's decimals so multipleOf validates. */
function roundTo(value: number, unit: number): number {
  const decimals = (String(unit).split('.')[1] ?? '').length;
  return decimals === 0 ? value : Number(value.toFixed(decimals));
}

function arrayArbitrary(schema: JsonSchema, options: GenerateOptions, depth: number): fc.Arbitrary<unknown[]> {
  const minLength = (schema.minItems as number | undefined) ?? 0;
  const maxLength = (schema.maxItems as number | undefined) ?? Math.max(minLength, UNBOUNDED_MAX_ITEMS);
  if (Array.isArray(schema.prefixItems)) {
    const head = (schema.prefixItems as JsonSchema[]).map((s) => build(s, options, depth + 1));
    return fc.tuple(...head);
  }
  const item = build((schema.items as JsonSchema | undefined) ?? {}, options, depth + 1);
  if (schema.uniqueItems === true) return fc.uniqueArray(item, { minLength, maxLength, selector: (v) => JSON.stringify(v) });
  return fc.array(item, { minLength, maxLength });
}

function objectArbitrary(schema: JsonSchema, options: GenerateOptions, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((schema.required ?? []) as string[]);
  const record: Record<string, fc.Arbitrary<unknown>> = {};
  const requiredKeys: string[] = [];
  for (const [name, propertySchema] of Object.entries(properties)) {
    const merged = Array.isArray(propertySchema.allOf) ? mergeSchemas(propertySchema) : propertySchema;
    if (options.direction === 'request' && merged.readOnly === true) continue;
    if (options.direction === 'response' && merged.writeOnly === true) continue;
    record[name] = build(merged, options, depth + 1);
    if (required.has(name)) requiredKeys.push(name);
  }
  const props = fc.record(record, { requiredKeys });
  const additional = schema.additionalProperties;
  const minProperties = (schema.minProperties as number | undefined) ?? 0;
  if (Object.keys(properties).length === 0 && additional && typeof additional === 'object') {
    const value = build(additional as JsonSchema, options, depth + 1);
    return fc.dictionary(fc.string({ unit: NAME_CHAR, minLength: 1, maxLength: 10 }), value, { minKeys: minProperties, maxKeys: Math.max(minProperties, 3) });
  }
  if (minProperties > 0) return props.filter((o) => Object.keys(o).length >= minProperties);
  return props;
}

/** Merges allOf into one schema; keywords the merger does not know keep the first value seen. */
export function mergeSchemas(schema: JsonSchema): JsonSchema {
  return mergeAllOf(schema as never, {
    ignoreAdditionalProperties: true,
    resolvers: { defaultResolver: (values: unknown[]) => values[0] } as never,
  }) as JsonSchema;
}
