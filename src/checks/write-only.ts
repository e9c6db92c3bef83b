import { mergeSchemas } from '../generate/schema-arbitrary.ts';
import { isFlagged } from '../spec/json-schema.ts';
import type { JsonSchema } from '../spec/types.ts';

const MIN_SECRET_LENGTH = 8;
/** Inside a writeOnly object (such as `credentials`), only secret-looking members count: a username is not a secret. */
const SECRET_KEY = /pass(word)?|secret|token|hash|key$/i;

/**
 * The string values a request body carries in writeOnly properties (passwords, hashes), found by walking
 * the schema alongside the value. Short values are left out: they would match by accident.
 */
export function writeOnlyValues(schema: JsonSchema | undefined, value: unknown, inherited = false, depth = 0, key = ''): string[] {
  if (!schema || value === undefined || value === null || depth > 12) return [];
  const s = Array.isArray(schema.allOf) ? mergeSchemas(schema) : schema;
  const own = isFlagged(s, 'writeOnly');
  const hidden = inherited || own;
  if (typeof value === 'string') return (own || (inherited && SECRET_KEY.test(key))) && value.length >= MIN_SECRET_LENGTH ? [value] : [];
  if (Array.isArray(value)) return value.flatMap((v) => writeOnlyValues(s.items as JsonSchema | undefined, v, hidden, depth + 1, key));
  if (typeof value === 'object') {
    const out: string[] = [];
    for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
      out.push(...writeOnlyValues(propertySchema(s, name) ?? (hidden ? {} : undefined), v, hidden, depth + 1, name));
    }
    return out;
  }
  return [];
}

/**
 * The schema of a property: declared by the object itself, else by one of its oneOf/anyOf branches, which may
 * themselves be allOf compositions (a discriminated branch is `allOf: [Cat, {pinned petType}]`) or unions.
 * A branch that declares the property writeOnly wins, so that a secret is watched whichever branch it came in.
 */
function propertySchema(schema: JsonSchema, name: string, depth = 0): JsonSchema | undefined {
  if (!schema || typeof schema !== 'object' || depth > 6) return undefined;
  const s = Array.isArray(schema.allOf) ? mergeSchemas(schema) : schema;
  const own = (s.properties as Record<string, JsonSchema> | undefined)?.[name];
  if (own) return own;
  const alternatives = [...((s.oneOf as JsonSchema[] | undefined) ?? []), ...((s.anyOf as JsonSchema[] | undefined) ?? [])];
  const found = alternatives.map((a) => propertySchema(a, name, depth + 1)).filter((p): p is JsonSchema => p !== undefined);
  return found.find((p) => isFlagged(p, 'writeOnly')) ?? found[0];
}

/** Every string in a JSON value, at any depth. */
export function allStrings(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(allStrings);
  if (value && typeof value === 'object') return Object.values(value).flatMap(allStrings);
  return [];
}
