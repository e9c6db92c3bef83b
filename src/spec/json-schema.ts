import type { JsonSchema } from './types.ts';

export type SchemaDirection = 'request' | 'response';

/**
 * Rewrites an OpenAPI schema object into plain JSON Schema for ajv:
 * 3.0 `nullable` becomes a type array, boolean exclusive bounds become numeric ones,
 * and `required` drops readOnly properties (requests) or writeOnly properties (responses).
 * Cycles are preserved; each input object is converted once per direction.
 */
export function toJsonSchema(schema: JsonSchema, direction: SchemaDirection): JsonSchema {
  return convert(schema, direction, new Map());
}

const NESTED_SINGLE = ['items', 'not', 'additionalProperties', 'contains', 'propertyNames', 'if', 'then', 'else', 'unevaluatedProperties', 'unevaluatedItems'];
const NESTED_LIST = ['allOf', 'oneOf', 'anyOf', 'prefixItems'];
const NESTED_MAP = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'];

function convert(schema: JsonSchema, direction: SchemaDirection, seen: Map<object, JsonSchema>): JsonSchema {
  if (schema === null || typeof schema !== 'object') return schema;
  const done = seen.get(schema);
  if (done) return done;
  const out: JsonSchema = {};
  seen.set(schema, out);
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'discriminator' || key === 'xml' || key === 'externalDocs' || key === 'example') continue;
    if (NESTED_SINGLE.includes(key) && value && typeof value === 'object') out[key] = convert(value as JsonSchema, direction, seen);
    else if (NESTED_LIST.includes(key) && Array.isArray(value)) out[key] = value.map((v) => convert(v as JsonSchema, direction, seen));
    else if (NESTED_MAP.includes(key) && value && typeof value === 'object') {
      out[key] = Object.fromEntries(Object.entries(value as Record<string, JsonSchema>).map(([k, v]) => [k, convert(v, direction, seen)]));
    } else out[key] = value;
  }
  if (schema.nullable === true) {
    delete out.nullable;
    if (typeof out.type === 'string') out.type = [out.type, 'null'];
    if (Array.isArray(out.enum) && !out.enum.includes(null)) out.enum = [...out.enum, null];
  } else delete out.nullable;
  if (out.exclusiveMinimum === true) [out.exclusiveMinimum, out.minimum] = [out.minimum, undefined];
  else if (out.exclusiveMinimum === false) delete out.exclusiveMinimum;
  if (out.exclusiveMaximum === true) [out.exclusiveMaximum, out.maximum] = [out.maximum, undefined];
  else if (out.exclusiveMaximum === false) delete out.exclusiveMaximum;
  if (out.minimum === undefined) delete out.minimum;
  if (out.maximum === undefined) delete out.maximum;
  if (Array.isArray(out.required) && out.properties) {
    const props = out.properties as Record<string, JsonSchema>;
    const hidden = direction === 'request' ? 'readOnly' : 'writeOnly';
    out.required = (out.required as string[]).filter((name) => props[name]?.[hidden] !== true);
  }
  return out;
}
