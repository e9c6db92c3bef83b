import type { JsonSchema } from './types.ts';

export type SchemaDirection = 'request' | 'response';

/**
 * Rewrites an OpenAPI schema object into plain JSON Schema for ajv:
 * 3.0 `nullable` becomes a type array, boolean exclusive bounds become numeric ones,
 * and `required` drops readOnly properties (requests) or writeOnly properties (responses). A property counts as
 * readOnly (writeOnly) when its schema or one of its allOf parts says so, and `required` in one allOf part sees the
 * properties the other parts declare. Cycles are preserved; each input object is converted once per direction.
 */
export function toJsonSchema(schema: JsonSchema, direction: SchemaDirection): JsonSchema {
  return convert(schema, direction, new Map(), {});
}

type Properties = Record<string, JsonSchema>;

const NESTED_SINGLE = ['items', 'not', 'additionalProperties', 'contains', 'propertyNames', 'if', 'then', 'else', 'unevaluatedProperties', 'unevaluatedItems'];
const NESTED_LIST = ['allOf', 'oneOf', 'anyOf', 'prefixItems'];
const NESTED_MAP = ['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas'];

/**
 * `context`: properties that allOf siblings and parents declare, for the `required` filter of an allOf part.
 * Parts converted with a context are not shared through `seen` (their result depends on it); a pure allOf cycle,
 * which only a broken document has, is cut by `stack`.
 */
function convert(schema: JsonSchema, direction: SchemaDirection, seen: Map<object, JsonSchema>, context: Properties, stack = new Set<object>()): JsonSchema {
  if (schema === null || typeof schema !== 'object') return schema;
  const contextual = Object.keys(context).length > 0;
  const done = contextual ? undefined : seen.get(schema);
  if (done) return done;
  if (stack.has(schema)) return {};
  const out: JsonSchema = {};
  if (!contextual) seen.set(schema, out);
  const fresh = (value: unknown) => convert(value as JsonSchema, direction, seen, {});
  // What this schema, its allOf parts and its context declare: the scope of `required` here and in the parts.
  const scope: Properties = { ...context, ...declaredProperties(schema) };
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'discriminator' || key === 'xml' || key === 'externalDocs' || key === 'example') continue;
    if (key === 'allOf' && Array.isArray(value)) {
      stack.add(schema);
      out[key] = value.map((v) => convert(v as JsonSchema, direction, seen, scope, stack));
      stack.delete(schema);
    } else if (NESTED_SINGLE.includes(key) && value && typeof value === 'object') out[key] = fresh(value);
    else if (NESTED_LIST.includes(key) && Array.isArray(value)) out[key] = value.map(fresh);
    else if (NESTED_MAP.includes(key) && value && typeof value === 'object') {
      out[key] = Object.fromEntries(Object.entries(value as Record<string, JsonSchema>).map(([k, v]) => [k, fresh(v)]));
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
  if (Array.isArray(out.required)) {
    const hidden = direction === 'request' ? 'readOnly' : 'writeOnly';
    out.required = (out.required as string[]).filter((name) => !isFlagged(scope[name], hidden));
  }
  return out;
}

/** The properties a schema declares itself and through its allOf parts (the first declaration of a name wins). */
function declaredProperties(schema: JsonSchema, depth = 0): Properties {
  if (!schema || typeof schema !== 'object' || depth > 16) return {};
  const parts = Array.isArray(schema.allOf) ? (schema.allOf as JsonSchema[]).map((p) => declaredProperties(p, depth + 1)) : [];
  const own = schema.properties && typeof schema.properties === 'object' ? (schema.properties as Properties) : {};
  const out: Properties = {};
  for (const props of [own, ...parts]) for (const [name, value] of Object.entries(props)) if (!(name in out) || isFlagged(value, 'readOnly') || isFlagged(value, 'writeOnly')) out[name] = value;
  return out;
}

/** Whether a property schema, or one of its allOf parts, is readOnly (writeOnly). */
export function isFlagged(schema: unknown, flag: 'readOnly' | 'writeOnly', depth = 0): boolean {
  if (!schema || typeof schema !== 'object' || depth > 16) return false;
  const s = schema as JsonSchema;
  if (s[flag] === true) return true;
  return Array.isArray(s.allOf) && (s.allOf as unknown[]).some((part) => isFlagged(part, flag, depth + 1));
}
