import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { acyclic } from '../spec/acyclic.ts';
import { regExpEngine } from '../spec/regexp.ts';
import { toJsonSchema, type SchemaDirection } from '../spec/json-schema.ts';
import type { JsonSchema } from '../spec/types.ts';

/**
 * Whether a generated value matches a schema, for the generator's own use (a oneOf value must match exactly one
 * branch). The 2020-12 dialect reads converted 3.0 schemas too. Schemas ajv cannot compile (a cycle, a regex it
 * refuses) count as not matching: the generator then keeps its value, as it would without the check.
 */
const ajv = new Ajv2020({ strict: false, allErrors: false, validateFormats: true, multipleOfPrecision: 9, logger: false, code: { regExp: regExpEngine() } });
(addFormats as unknown as (a: Ajv2020) => void)(ajv);

const compiled = new Map<SchemaDirection, WeakMap<object, ((value: unknown) => boolean) | null>>([
  ['request', new WeakMap()],
  ['response', new WeakMap()],
]);

export function matchesSchema(schema: JsonSchema, value: unknown, direction: SchemaDirection): boolean {
  if (schema === null || typeof schema !== 'object') return schema !== (false as unknown);
  const cache = compiled.get(direction)!;
  let fn = cache.get(schema);
  if (fn === undefined) {
    try {
      const validate = ajv.compile(acyclic(toJsonSchema(schema, direction)));
      fn = (v: unknown) => validate(v) === true;
    } catch {
      fn = null;
    }
    cache.set(schema, fn);
  }
  if (fn === null) return false;
  // fast-check records have null prototypes, which ajv does not take for objects: compare what goes on the wire.
  return fn(value === undefined ? value : JSON.parse(JSON.stringify(value)));
}
