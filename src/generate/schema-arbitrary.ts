import fc from 'fast-check';
import mergeAllOf from 'json-schema-merge-allof';
import type { JsonSchema } from '../spec/types.ts';
import { FORMAT_ARBITRARIES, NAME_CHAR } from './formats.ts';
import { matchesSchema } from './schema-match.ts';
import { generationSchema, VALUES_FROM } from './values-from.ts';

export type Direction = 'request' | 'response';

export interface GenerateOptions {
  /** request: readOnly properties are left out; response: writeOnly properties are left out. */
  direction: Direction;
  /** Called once per unsupported keyword or format, so the caller can warn once. */
  onUnsupported?: (what: string) => void;
  maxDepth?: number;
  /** Values found at run time for an `x-conformance-values-from` annotation (src/generate/values-from.ts); request direction only. */
  valuesFrom?: (annotation: unknown) => readonly unknown[] | undefined;
}

const UNBOUNDED_MAX_ITEMS = 3;
const UNBOUNDED_MAX_LENGTH = 24;
const DEFAULT_INT_RANGE = { min: 0, max: 1000 };

/**
 * Keywords the generator does not honour: values may break them, so the caller is told (once per keyword).
 * `dependentRequired`, `propertyNames`, `contains` and `maxProperties` are honoured; annotations need nothing.
 */
const UNSUPPORTED_KEYWORDS = ['not', 'if', 'dependentSchemas', 'minContains', 'maxContains', '$dynamicRef', '$recursiveRef', 'unevaluatedItems'];

/** Builds a fast-check arbitrary whose every value validates against the JSON schema. */
export function schemaArbitrary(schema: JsonSchema | boolean | undefined, options: GenerateOptions): fc.Arbitrary<unknown> {
  return build(schema ?? {}, options, 0);
}

function build(schema: JsonSchema | boolean, options: GenerateOptions, depth: number): fc.Arbitrary<unknown> {
  // Boolean schemas (2020-12): `true` takes anything; `false` takes nothing, so its callers leave it out.
  if (schema === true || schema === false || schema === null || typeof schema !== 'object') return anyValue();
  if (depth > (options.maxDepth ?? 8)) return fc.constant(null);
  if (options.direction === 'request') {
    // Values another operation lists (versions, ids) and generation-only narrowing: see values-from.ts.
    const discovered = schema[VALUES_FROM] !== undefined ? options.valuesFrom?.(schema[VALUES_FROM]) : undefined;
    if (discovered && discovered.length > 0) return fc.constantFrom(...discovered);
    schema = generationSchema(schema);
  }
  if (Array.isArray(schema.allOf)) return build(mergeSchemas(schema, options.onUnsupported), options, depth);
  const types = typeList(schema);
  // A 3.1 `type: [string, 'null']` whose enum or const leaves null out does not take null.
  const excludesNull = (Array.isArray(schema.enum) && !schema.enum.includes(null) && schema.nullable !== true) || ('const' in schema && schema.const !== null);
  const nullable = (schema.nullable === true || types.includes('null')) && !excludesNull;
  const core = buildNonNull(schema, options, depth);
  return nullable ? fc.option(core, { nil: null, freq: 8 }) : core;
}

function buildNonNull(schema: JsonSchema, options: GenerateOptions, depth: number): fc.Arbitrary<unknown> {
  if ('const' in schema) return fc.constant(schema.const);
  const enumValues = (schema.enum ?? schema['x-extensible-enum']) as unknown[] | undefined;
  if (Array.isArray(enumValues) && enumValues.length > 0) {
    const values = enumValues.filter((v) => v !== null);
    // Values of another type than the declared one (`type: number, enum: ['0.5']`) validate nowhere: the spec contradicts itself.
    const declared = typeList(schema).filter((t) => t !== 'null');
    const typed = declared.length > 0 ? values.filter((v) => declared.some((t) => hasType(v, t))) : values;
    if (typed.length < values.length && typed.length === 0) options.onUnsupported?.('enum whose values are not of its type');
    const usable = typed.length > 0 ? typed : values;
    return fc.constantFrom(...(usable.length > 0 ? usable : enumValues));
  }
  const alternatives = (schema.oneOf ?? schema.anyOf) as JsonSchema[] | undefined;
  if (Array.isArray(alternatives) && alternatives.length > 0) {
    const { oneOf: _o, anyOf: _a, discriminator, ...rest } = schema;
    noteUnpinnedDiscriminator(discriminator, alternatives, options);
    const effective = alternatives
      .filter((branch) => branch !== (false as unknown))
      .map((branch) => (Object.keys(rest).length > 0 ? mergeSchemas({ allOf: [rest, branch] }, options.onUnsupported) : branch));
    const branches = effective.map((branch) => build(branch, options, depth + 1));
    if (branches.length === 0) return anyValue();
    if (!Array.isArray(schema.oneOf) || effective.length === 1) return fc.oneof(...branches);
    // oneOf: a value must match exactly one branch. Where branches overlap (a typeless object schema also takes
    // null; a plain string also takes the patterned one), values that another branch takes too are drawn again.
    const tagged = fc.oneof(...branches.map((arb, i) => arb.map((value) => ({ i, value }))));
    const onlyItsOwn = ({ i, value }: { i: number; value: unknown }) => effective.every((other, j) => j === i || !matchesSchema(other, value, options.direction));
    return fitting(tagged, onlyItsOwn, () => options.onUnsupported?.('oneOf whose branches overlap')).map(({ value }) => value);
  }
  for (const keyword of UNSUPPORTED_KEYWORDS) if (schema[keyword] !== undefined) options.onUnsupported?.(keyword);
  // Several types (`[string, integer]`): each of them occurs.
  const types = typeList(schema).filter((t) => t !== 'null');
  if (types.length > 1) return fc.oneof(...types.map((type) => buildNonNull({ ...schema, type }, options, depth)));
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
      return anyValue();
  }
}

/** A value for a schema that constrains nothing. */
function anyValue(): fc.Arbitrary<unknown> {
  return fc.oneof(fc.string({ unit: NAME_CHAR, minLength: 1, maxLength: 8 }), fc.integer({ min: 0, max: 100 }), fc.boolean());
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'array':
      return Array.isArray(value);
    case 'object':
      return value !== null && typeof value === 'object' && !Array.isArray(value);
    default:
      return typeof value === type;
  }
}

function typeList(schema: JsonSchema): string[] {
  const type = schema.type;
  if (typeof type === 'string') return [type];
  return Array.isArray(type) ? (type as string[]) : [];
}

/**
 * A discriminator whose branches do not pin its property (src/spec/rewrite.ts pins the branches that are named
 * schemas): the generated value may name another branch, so the caller is told.
 */
function noteUnpinnedDiscriminator(discriminator: unknown, alternatives: JsonSchema[], options: GenerateOptions): void {
  if (!options.onUnsupported || !discriminator || typeof discriminator !== 'object') return;
  const name = (discriminator as { propertyName?: unknown }).propertyName;
  if (typeof name !== 'string') return;
  const pinned = (branch: JsonSchema): boolean => {
    if (!branch || typeof branch !== 'object') return false;
    const property = (branch.properties as Record<string, JsonSchema> | undefined)?.[name];
    if (property && typeof property === 'object' && ('const' in property || Array.isArray(property.enum))) return true;
    return Array.isArray(branch.allOf) && (branch.allOf as JsonSchema[]).some(pinned);
  };
  if (!alternatives.every(pinned)) options.onUnsupported(`discriminator ${name} on a branch that is no named schema`);
}

function primaryType(schema: JsonSchema): string | undefined {
  const type = schema.type;
  if (typeof type === 'string') return type;
  if (Array.isArray(type)) return (type as string[]).find((t) => t !== 'null') ?? 'null';
  if (schema.properties || schema.additionalProperties || schema.required || schema.patternProperties) return 'object';
  if (schema.items || schema.prefixItems || schema.contains) return 'array';
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
    const matching = patternArbitrary(withLengthBounds(schema.pattern, minLength, explicitMax));
    if (matching) return fitting(matching, fitsLength, () => options.onUnsupported?.(`pattern ${schema.pattern} with lengths ${minLength}..${explicitMax ?? ''}`));
    options.onUnsupported?.(`pattern ${schema.pattern}`);
    // Plain names, of which some may match: better than nothing, and never a crash.
    return fc.string({ unit: NAME_CHAR, minLength: Math.min(Math.max(minLength, 1), maxLength), maxLength });
  }
  const format = schema.format as string | undefined;
  if (format) {
    const formatArb = FORMAT_ARBITRARIES[format];
    if (formatArb && (format !== 'password' || explicitMax === undefined || explicitMax >= 12)) {
      return fitting(formatArb, fitsLength, () => options.onUnsupported?.(`format ${format} with lengths ${minLength}..${explicitMax ?? ''}`));
    }
    if (!formatArb && !['password', 'binary', 'string'].includes(format)) options.onUnsupported?.(`format ${format}`);
  }
  const min = Math.max(minLength, 1);
  return fc.string({ unit: NAME_CHAR, minLength: Math.min(min, maxLength), maxLength });
}

const DRAWS = 50;

/**
 * Values of `arb` that satisfy `accept`, without fast-check's unbounded filter (which never returns when the values
 * rarely or never fit): a first value that fits is kept as generated (the random stream, and so every value a seed
 * gives, is the same as without the check); otherwise more are drawn, at most DRAWS in all, else the first is kept
 * and `onMiss` reports it.
 */
function fitting<T>(arb: fc.Arbitrary<T>, accept: (value: T) => boolean, onMiss: () => void): fc.Arbitrary<T> {
  return arb.chain((first) => {
    if (accept(first)) return fc.constant(first);
    return fc.gen().map((draw) => {
      for (let i = 1; i < DRAWS; i++) {
        const next = draw(() => arb);
        if (accept(next)) return next;
      }
      onMiss();
      return first;
    });
  });
}

/** One atom of a regex: a character class, an escape, `.`, or a plain character. */
const ATOM = String.raw`(?:\[(?:\\.|[^\]\\])*\]|\\.|[^\\()[\]{}|*+?^$])`;
const TRAILING_REPEAT = new RegExp(String.raw`^\^((?:${ATOM}(?:\{\d+\})?)*?)(${ATOM})(\+|\*|\{(\d+),(\d*)\})\$$`);

/**
 * Length bounds folded into a pattern that ends in a repeated atom (`^[a-z][a-z0-9-]*$` with maxLength 48 becomes
 * `^[a-z][a-z0-9-]{0,47}$`), so that generated strings fit them by construction. Other patterns are left alone.
 */
export function withLengthBounds(pattern: string, minLength: number, maxLength: number | undefined): string {
  if (minLength === 0 && maxLength === undefined) return pattern;
  const match = TRAILING_REPEAT.exec(pattern);
  if (!match) return pattern;
  const [, prefix = '', atom, quantifier, qMin, qMax] = match;
  const fixed = fixedLength(prefix);
  if (fixed === undefined) return pattern;
  const repeatMin = quantifier === '+' ? 1 : quantifier === '*' ? 0 : Number(qMin);
  const repeatMax = quantifier === '+' || quantifier === '*' || qMax === '' ? Number.POSITIVE_INFINITY : Number(qMax);
  const lo = Math.max(repeatMin, minLength - fixed);
  const hi = Math.min(repeatMax, maxLength === undefined ? Math.max(lo, repeatMin) + UNBOUNDED_MAX_LENGTH : maxLength - fixed);
  if (hi < lo) return pattern;
  return `^${prefix}${atom}{${lo},${hi}}$`;
}

/** The number of characters a sequence of atoms (each optionally with an exact `{n}`) always matches. */
function fixedLength(sequence: string): number | undefined {
  const part = new RegExp(String.raw`${ATOM}(?:\{(\d+)\})?`, 'y');
  let length = 0;
  let at = 0;
  while (at < sequence.length) {
    part.lastIndex = at;
    const m = part.exec(sequence);
    if (!m) return undefined;
    length += m[1] === undefined ? 1 : Number(m[1]);
    at = part.lastIndex;
  }
  return length;
}

/** Strings matching a pattern; undefined when the pattern is no valid ECMAScript regex or fast-check cannot invert it. */
function patternArbitrary(source: string): fc.Arbitrary<string> | undefined {
  for (const flags of ['u', '']) {
    try {
      return fc.stringMatching(new RegExp(source, flags));
    } catch {
      // Try without the unicode flag (`\_` is an error with it), then give up.
    }
  }
  return undefined;
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
    // Items past the tuple only where `items` allows them and minItems asks for them.
    const extra = Math.max(0, minLength - head.length);
    if (extra === 0 || schema.items === false) return fc.tuple(...head);
    const tail = build((schema.items as JsonSchema | undefined) ?? {}, options, depth + 1);
    return fc.tuple(fc.tuple(...head), fc.array(tail, { minLength: extra, maxLength: extra })).map(([h, t]) => [...h, ...t]);
  }
  const item = build((schema.items as JsonSchema | boolean | undefined) ?? {}, options, depth + 1);
  if (schema.contains !== undefined && maxLength > 0) {
    // One item that matches `contains` first, then the rest.
    // `items` applies to the matching item too.
    const items = schema.items;
    const containsSchema = isObject(items) && isObject(schema.contains) ? mergeSchemas({ allOf: [items, schema.contains] }, options.onUnsupported) : (schema.contains as JsonSchema);
    const first = build(containsSchema, options, depth + 1);
    const rest = fc.array(item, { minLength: Math.max(0, minLength - 1), maxLength: maxLength - 1 });
    const joined = fc.tuple(first, rest).map(([f, r]) => [f, ...r]);
    return schema.uniqueItems === true ? joined.filter((a) => new Set(a.map((v) => JSON.stringify(v))).size === a.length) : joined;
  }
  if (schema.uniqueItems === true) return fc.uniqueArray(item, { minLength, maxLength, selector: (v) => JSON.stringify(v) });
  return fc.array(item, { minLength, maxLength });
}

function objectArbitrary(schema: JsonSchema, options: GenerateOptions, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const properties = (schema.properties ?? {}) as Record<string, JsonSchema | boolean>;
  const required = new Set((schema.required ?? []) as string[]);
  const dependent = (schema.dependentRequired ?? {}) as Record<string, string[]>;
  // A required property's dependents are required too (dependentRequired), transitively.
  for (let grew = true; grew; ) {
    grew = false;
    for (const [trigger, dependents] of Object.entries(dependent)) {
      if (!required.has(trigger) || !Array.isArray(dependents)) continue;
      for (const d of dependents) {
        if (required.has(d)) continue;
        required.add(d);
        grew = true;
      }
    }
  }
  const record: Record<string, fc.Arbitrary<unknown>> = {};
  const requiredKeys: string[] = [];
  for (const [name, propertySchema] of Object.entries(properties)) {
    if (propertySchema === false) continue;
    const merged = isObject(propertySchema) && Array.isArray(propertySchema.allOf) ? mergeSchemas(propertySchema, options.onUnsupported) : propertySchema;
    if (isObject(merged) && options.direction === 'request' && merged.readOnly === true) continue;
    if (isObject(merged) && options.direction === 'response' && merged.writeOnly === true) continue;
    record[name] = build(merged, options, depth + 1);
    if (required.has(name)) requiredKeys.push(name);
  }
  const additional = schema.additionalProperties;
  const minProperties = (schema.minProperties as number | undefined) ?? 0;
  const maxProperties = schema.maxProperties as number | undefined;
  if (Object.keys(properties).length === 0 && additional && typeof additional === 'object') {
    const value = build(additional as JsonSchema, options, depth + 1);
    const names = isObject(schema.propertyNames) ? (build({ type: 'string', ...schema.propertyNames }, options, depth + 1) as fc.Arbitrary<string>) : fc.string({ unit: NAME_CHAR, minLength: 1, maxLength: 10 });
    const maxKeys = Math.min(maxProperties ?? Number.POSITIVE_INFINITY, Math.max(minProperties, 3));
    return fc.dictionary(names, value, { minKeys: Math.min(minProperties, maxKeys), maxKeys });
  }
  if (isObject(schema.propertyNames)) options.onUnsupported?.('propertyNames');
  let props = fc.record(record, { requiredKeys });
  // minProperties beyond the required ones: a few optional properties are made present, a different few each time.
  const optional = Object.keys(record).filter((k) => !requiredKeys.includes(k));
  const need = Math.min(minProperties - requiredKeys.length, optional.length);
  if (need > 0) {
    const rotations = Array.from({ length: Math.min(optional.length, 4) }, (_, r) => [...optional.slice(r), ...optional.slice(0, r)].slice(0, need));
    props = fc.oneof(...rotations.map((forced) => fc.record(record, { requiredKeys: [...requiredKeys, ...forced] })));
  }
  if (minProperties > requiredKeys.length + optional.length) options.onUnsupported?.(`minProperties ${minProperties} with fewer known properties`);
  if (Object.keys(dependent).length > 0) props = props.map((o) => dropUnmetDependents(o, dependent, required));
  // Too many optional properties for maxProperties: drop optional ones until the object fits.
  if (maxProperties !== undefined) props = props.map((o) => trimTo(o, maxProperties, required));
  return props;
}

/** dependentRequired: an optional property whose dependents were not generated is left out. */
function dropUnmetDependents(value: Record<string, unknown>, dependent: Record<string, string[]>, required: Set<string>): Record<string, unknown> {
  const out = { ...value };
  for (let changed = true; changed; ) {
    changed = false;
    for (const [trigger, dependents] of Object.entries(dependent)) {
      if (trigger in out && !required.has(trigger) && Array.isArray(dependents) && dependents.some((d) => !(d in out))) {
        delete out[trigger];
        changed = true;
      }
    }
  }
  return out;
}

function trimTo(value: Record<string, unknown>, max: number, required: Set<string>): Record<string, unknown> {
  const keys = Object.keys(value);
  if (keys.length <= max) return value;
  const out = { ...value };
  for (const key of keys.filter((k) => !required.has(k)).reverse()) {
    if (Object.keys(out).length <= max) break;
    delete out[key];
  }
  return out;
}

function isObject(value: unknown): value is JsonSchema {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/**
 * Merges allOf into one schema; keywords the merger does not know keep the first value seen. Parts that cannot
 * be merged (conflicting types, disjoint enums: a spec that contradicts itself) are reported through
 * `onUnsupported`, and the parts are laid over each other instead, so that a run never stops on them.
 */
export function mergeSchemas(schema: JsonSchema, onUnsupported?: (what: string) => void): JsonSchema {
  try {
    return mergeAllOf(schema as never, {
      ignoreAdditionalProperties: true,
      resolvers: { defaultResolver: (values: unknown[]) => values[0] } as never,
    }) as JsonSchema;
  } catch (error) {
    const at = /path:\s*"([^"]*)"/.exec((error as Error).message)?.[1];
    onUnsupported?.(at !== undefined ? `allOf that cannot be merged (its parts contradict each other at ${at || 'the top'})` : 'allOf that cannot be merged');
    return layered(schema);
  }
}

/** allOf parts laid over each other, properties and required lists joined: a best effort for contradictory parts. */
function layered(schema: JsonSchema): JsonSchema {
  const { allOf, ...rest } = schema;
  const parts = [...((allOf as unknown[]) ?? []).filter(isObject).map((p) => (Array.isArray(p.allOf) ? layered(p) : p)), rest];
  const out: JsonSchema = Object.assign({}, ...parts);
  out.properties = Object.assign({}, ...parts.map((p) => p.properties ?? {}));
  out.required = [...new Set(parts.flatMap((p) => (Array.isArray(p.required) ? (p.required as string[]) : [])))];
  return out;
}
