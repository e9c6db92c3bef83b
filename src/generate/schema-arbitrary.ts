import fc from 'fast-check';
import type { JsonSchema } from '../spec/types.ts';
import { arrayArbitrary, objectArbitrary } from './container-arbitraries.ts';
import { fitting } from './fitting.ts';
import { NAME_CHAR } from './formats.ts';
import { states, stateOf, typeList, type BuildState, type GenerateOptions } from './generate-options.ts';
import { mergeSchemas } from './merge-schemas.ts';
import { numberArbitrary } from './number-arbitrary.ts';
import { matchesSchema } from './schema-match.ts';
import { stringArbitrary } from './string-arbitrary.ts';
import { generationSchema, VALUES_FROM } from './values-from.ts';

// The generator's parts, re-exported for the callers of this file.
export { MAX_GENERATED_ITEMS, MAX_GENERATED_LENGTH, type Direction, type GenerateOptions } from './generate-options.ts';
export { withDeadline } from './fitting.ts';
export { mergeSchemas } from './merge-schemas.ts';
export { withLengthBounds } from './string-arbitrary.ts';

/**
 * Keywords the generator does not honour: values may break them, so the caller is told (once per keyword).
 * `dependentRequired`, `propertyNames`, `contains` and `maxProperties` are honoured; annotations need nothing.
 */
const UNSUPPORTED_KEYWORDS = ['not', 'if', 'dependentSchemas', 'minContains', 'maxContains', '$dynamicRef', '$recursiveRef', 'unevaluatedItems'];

/**
 * Recursion and size bounds. A schema met RECURSION times on the way down (a comment's replies, error details
 * that nest) and everything below `maxDepth` is built as a leaf: required properties only, the fewest items
 * allowed, null where null is allowed, so recursive schemas give finite values that still validate. Past
 * BUILD_BUDGET arbitraries for one schema everything is a leaf, so a document with many mutually recursive
 * schemas cannot make the construction explode.
 */
const RECURSION = 2;
const BUILD_BUDGET = 4000;

/** Builds a fast-check arbitrary whose every value validates against the JSON schema. */
export function schemaArbitrary(schema: JsonSchema | boolean | undefined, options: GenerateOptions): fc.Arbitrary<unknown> {
  const own = !states.has(options);
  if (own) states.set(options, { onPath: new Map(), leaf: false, built: 0 });
  try {
    return build(schema ?? {}, options, 0);
  } finally {
    if (own) states.delete(options);
  }
}

function build(schema: JsonSchema | boolean, options: GenerateOptions, depth: number): fc.Arbitrary<unknown> {
  // Boolean schemas (2020-12): `true` takes anything; `false` takes nothing, so its callers leave it out.
  if (schema === true || schema === false || schema === null || typeof schema !== 'object') return anyValue();
  const state = stateOf(options);
  const maxDepth = options.maxDepth ?? 8;
  const times = state.onPath.get(schema) ?? 0;
  // Deeper still, only a schema that requires itself: it has no finite instance within reach.
  if (depth > maxDepth + 8 || times > RECURSION + 4) {
    options.onUnsupported?.('recursive schema that requires itself');
    return fc.constant(null);
  }
  const wasLeaf = state.leaf;
  state.built++;
  if (times >= RECURSION || depth > maxDepth || state.built > BUILD_BUDGET) state.leaf = true;
  state.onPath.set(schema, times + 1);
  try {
    return buildAny(schema, options, depth, state);
  } finally {
    state.leaf = wasLeaf;
    if (times === 0) state.onPath.delete(schema);
    else state.onPath.set(schema, times);
  }
}

function buildAny(schema: JsonSchema, options: GenerateOptions, depth: number, state: BuildState): fc.Arbitrary<unknown> {
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
  if (nullable && state.leaf) return fc.constant(null);
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
      return arrayArbitrary(schema, options, depth, build);
    case 'object':
      return objectArbitrary(schema, options, depth, build);
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
