import fc from 'fast-check';
import type { JsonSchema } from '../spec/types.ts';
import { fitting } from './fitting.ts';
import { NAME_CHAR } from './formats.ts';
import { capped, isObject, MAX_GENERATED_ITEMS, stateOf, typeList, UNBOUNDED_MAX_ITEMS, type Build, type GenerateOptions } from './generate-options.ts';
import { mergeSchemas } from './merge-schemas.ts';

/**
 * Arrays and objects: their items and properties are built by `build` (schema-arbitrary.ts), which is handed in so
 * that this file does not import the one that imports it.
 */
export function arrayArbitrary(schema: JsonSchema, options: GenerateOptions, depth: number, build: Build): fc.Arbitrary<unknown[]> {
  const minLength = capped((schema.minItems as number | undefined) ?? 0, MAX_GENERATED_ITEMS, 'minItems', options);
  const maxLength = stateOf(options).leaf ? minLength : Math.min((schema.maxItems as number | undefined) ?? Math.max(minLength, UNBOUNDED_MAX_ITEMS), Math.max(minLength, MAX_GENERATED_ITEMS));
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
    // Not fast-check's filter, which never returns when few distinct items exist.
    return schema.uniqueItems === true ? fitting(joined, (a) => new Set(a.map((v) => JSON.stringify(v))).size === a.length, () => options.onUnsupported?.('uniqueItems with contains')) : joined;
  }
  if (schema.uniqueItems === true) {
    // fast-check's uniqueArray never returns when fewer distinct items exist than it needs: ask for at most that many.
    const distinct = cardinality(schema.items);
    if (distinct < minLength) options.onUnsupported?.(`uniqueItems with minItems ${minLength} but ${distinct} distinct items`);
    return fc.uniqueArray(item, { minLength: Math.min(minLength, distinct), maxLength: Math.min(maxLength, distinct), selector: (v) => JSON.stringify(v) });
  }
  return fc.array(item, { minLength, maxLength });
}

/** How many distinct values a schema allows, where that is small and easy to tell (enum, const, boolean, an integer range); else Infinity. */
function cardinality(schema: unknown): number {
  if (!isObject(schema)) return Number.POSITIVE_INFINITY;
  if ('const' in schema) return 1;
  if (Array.isArray(schema.enum)) return new Set(schema.enum.map((v) => JSON.stringify(v))).size;
  const types = typeList(schema);
  const nullable = types.includes('null') || schema.nullable === true ? 1 : 0;
  if (types.length === 1 || (types.length === 2 && nullable)) {
    const type = types.find((t) => t !== 'null');
    if (type === 'boolean') return 2 + nullable;
    if (type === 'null') return 1;
    if (type === 'integer' && typeof schema.minimum === 'number' && typeof schema.maximum === 'number') {
      const step = typeof schema.multipleOf === 'number' && schema.multipleOf >= 1 ? schema.multipleOf : 1;
      return Math.max(0, Math.floor((schema.maximum - schema.minimum) / step) + 1) + nullable;
    }
  }
  return Number.POSITIVE_INFINITY;
}

export function objectArbitrary(schema: JsonSchema, options: GenerateOptions, depth: number, build: Build): fc.Arbitrary<Record<string, unknown>> {
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
  const leaf = stateOf(options).leaf;
  for (const [name, propertySchema] of Object.entries(properties)) {
    if (propertySchema === false || (leaf && !required.has(name))) continue;
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
    // As for uniqueItems: never more keys than distinct names exist (fast-check would not return).
    const maxKeys = Math.min(maxProperties ?? Number.POSITIVE_INFINITY, Math.max(minProperties, 3), cardinality(schema.propertyNames), MAX_GENERATED_ITEMS);
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
