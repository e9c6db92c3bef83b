import { mergeSchemas } from '../generate/schema-arbitrary.ts';
import type { JsonSchema } from '../spec/types.ts';

const MIN_SECRET_LENGTH = 8;

/**
 * The string values a request body carries in writeOnly properties (passwords, hashes), found by walking
 * the schema alongside the value. Short values are left out: they would match by accident.
 */
export function writeOnlyValues(schema: JsonSchema | undefined, value: unknown, inherited = false, depth = 0): string[] {
  if (!schema || value === undefined || value === null || depth > 12) return [];
  const s = Array.isArray(schema.allOf) ? mergeSchemas(schema) : schema;
  const hidden = inherited || s.writeOnly === true;
  if (typeof value === 'string') return hidden && value.length >= MIN_SECRET_LENGTH ? [value] : [];
  if (Array.isArray(value)) return value.flatMap((v) => writeOnlyValues(s.items as JsonSchema | undefined, v, hidden, depth + 1));
  if (typeof value === 'object') {
    const out: string[] = [];
    const alternatives = [...((s.oneOf as JsonSchema[] | undefined) ?? []), ...((s.anyOf as JsonSchema[] | undefined) ?? [])];
    for (const [key, v] of Object.entries(value as Record<string, unknown>)) {
      const own = (s.properties as Record<string, JsonSchema> | undefined)?.[key];
      const fromAlternative = alternatives.map((a) => (a.properties as Record<string, JsonSchema> | undefined)?.[key]).find(Boolean);
      out.push(...writeOnlyValues(own ?? fromAlternative ?? (hidden ? {} : undefined), v, hidden, depth + 1));
    }
    return out;
  }
  return [];
}
