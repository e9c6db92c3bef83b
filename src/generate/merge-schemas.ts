import mergeAllOf from 'json-schema-merge-allof';
import { isCyclic } from '../spec/acyclic.ts';
import type { JsonSchema } from '../spec/types.ts';
import { isObject } from './generate-options.ts';

/**
 * Merges allOf into one schema; keywords the merger does not know keep the first value seen. Parts that cannot
 * be merged (conflicting types, disjoint enums: a spec that contradicts itself) are reported through
 * `onUnsupported`, and the parts are laid over each other instead, so that a run never stops on them.
 */
export function mergeSchemas(schema: JsonSchema, onUnsupported?: (what: string) => void): JsonSchema {
  // The merger follows every nested schema: a recursive one would never end (or overflow the stack). Such
  // allOfs are merged one level deep, and what is nested is merged when the generator gets to it.
  if (isCyclic(schema)) return shallowMerge(schema);
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

/**
 * allOf merged at the top level only: keywords of one part as they are (the first part wins where parts differ),
 * properties joined (a property several parts declare becomes an allOf of their schemas), required lists joined.
 */
function shallowMerge(schema: JsonSchema): JsonSchema {
  const parts: JsonSchema[] = [];
  const seen = new Set<object>();
  const collect = (s: JsonSchema) => {
    if (seen.has(s)) return;
    seen.add(s);
    const { allOf, ...rest } = s;
    parts.push(rest);
    for (const part of Array.isArray(allOf) ? allOf : []) if (isObject(part)) collect(part);
  };
  collect(schema);
  const out: JsonSchema = {};
  for (const part of parts) for (const [key, value] of Object.entries(part)) if (!(key in out) && key !== 'properties' && key !== 'required') out[key] = value;
  const properties: Record<string, JsonSchema[]> = {};
  for (const part of parts) for (const [name, value] of Object.entries((part.properties ?? {}) as Record<string, JsonSchema>)) (properties[name] ??= []).push(value);
  if (Object.keys(properties).length > 0) out.properties = Object.fromEntries(Object.entries(properties).map(([name, list]) => [name, list.length === 1 ? list[0] : { allOf: list }]));
  const required = [...new Set(parts.flatMap((p) => (Array.isArray(p.required) ? (p.required as string[]) : [])))];
  if (required.length > 0) out.required = required;
  return out;
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
