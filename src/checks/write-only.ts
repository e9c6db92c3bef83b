import { mergeSchemas } from '../generate/schema-arbitrary.ts';
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
  const own = s.writeOnly === true;
  const hidden = inherited || own;
  if (typeof value === 'string') return (own || (inherited && SECRET_KEY.test(key))) && value.length >= MIN_SECRET_LENGTH ? [value] : [];
  if (Array.isArray(value)) return value.flatMap((v) => writeOnlyValues(s.items as JsonSchema | undefined, v, hidden, depth + 1, key));
  if (typeof value === 'object') {
    const out: string[] = [];
    const alternatives = [...((s.oneOf as JsonSchema[] | undefined) ?? []), ...((s.anyOf as JsonSchema[] | undefined) ?? [])];
    for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
      const property = (s.properties as Record<string, JsonSchema> | undefined)?.[name];
      const fromAlternative = alternatives.map((a) => (a.properties as Record<string, JsonSchema> | undefined)?.[name]).find(Boolean);
      out.push(...writeOnlyValues(property ?? fromAlternative ?? (hidden ? {} : undefined), v, hidden, depth + 1, name));
    }
    return out;
  }
  return [];
}
