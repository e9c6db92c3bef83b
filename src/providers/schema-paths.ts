import { isJsonMediaType } from '../spec/operations.ts';
import type { JsonSchema, Operation } from '../spec/types.ts';

/**
 * Where a response schema puts things, found by the schema rather than by the position of a value: the id of a
 * created object (`{"droplet": {"id": 1}}` wraps it in an envelope), and the items of a list (`{"droplets": [...]}`).
 * Only objects are walked (never into arrays), to a bounded depth, so recursive schemas end.
 */
const MAX_DEPTH = 4;

const ID_KEYS = ['id', 'uid', 'uuid', 'name'];

/** The schema of the first 2xx JSON answer of an operation. */
export function successSchema(operation: Operation | undefined): JsonSchema | undefined {
  for (const response of operation?.responses ?? []) {
    if (!/^2/.test(response.status)) continue;
    const entry = Object.entries(response.content).find(([type, schema]) => isJsonMediaType(type) && schema);
    if (entry) return entry[1];
  }
  return undefined;
}

/**
 * The property path of the id in a response: a property named like the path parameter (`droplet_id`), then the
 * id-like names its suffix suggests (`id` for `{dropletId}`, `name` for `{databasename}`), then `id`, `uid`, `uuid`,
 * `name`; each looked for in the body first, then one wrapper deeper, and so on. Wrappers named like the resource
 * (`droplet` for `/droplets`) and required ones are looked into first.
 */
export function idPath(schema: JsonSchema | undefined, idParam: string, resource = ''): string[] | undefined {
  const levels = objectLevels(schema, resource);
  const preferred = ID_KEYS.filter((k) => idParam.toLowerCase().endsWith(k));
  for (const key of [idParam, ...preferred, ...ID_KEYS]) {
    for (const { path, properties } of levels) {
      const property = properties[key];
      if (property && isScalar(property)) return [...path, key];
    }
  }
  return undefined;
}

/** The property path of the items array of a list response: [] for a bare array, else the first array property found. */
export function itemsPath(schema: JsonSchema | undefined, resource = ''): string[] | undefined {
  const root = flat(schema);
  if (!root) return undefined;
  if (root.type === 'array' || root.items) return [];
  for (const { path, properties } of objectLevels(root, resource)) {
    const entries = Object.entries(properties).filter(([, s]) => flat(s)?.type === 'array' || flat(s)?.items !== undefined);
    const named = entries.find(([name]) => resource && name.toLowerCase() === resource.toLowerCase()) ?? entries[0];
    if (named) return [...path, named[0]];
  }
  return undefined;
}

/** The id at a property path, as a string, or undefined. */
export function idAt(body: unknown, path: readonly string[] | undefined): string | undefined {
  if (!path) return undefined;
  const value = valueAt(body, path);
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

/** The value at a property path, or undefined. */
export function valueAt(body: unknown, path: readonly string[]): unknown {
  let value = body;
  for (const key of path) {
    if (!value || typeof value !== 'object' || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

interface Level {
  path: string[];
  properties: Record<string, JsonSchema>;
}

/** The object schemas of a response, breadth first: the body, then its object-valued properties, and so on. */
function objectLevels(schema: JsonSchema | undefined, resource: string): Level[] {
  const out: Level[] = [];
  const seen = new Set<object>();
  let frontier: { path: string[]; schema: JsonSchema | undefined }[] = [{ path: [], schema }];
  const singular = resource.replace(/.*\//, '').replace(/ies$/, 'y').replace(/s$/, '').toLowerCase();
  for (let depth = 0; depth < MAX_DEPTH && frontier.length > 0; depth++) {
    const next: typeof frontier = [];
    for (const entry of frontier) {
      const s = flat(entry.schema);
      if (!s || seen.has(entry.schema as object)) continue;
      seen.add(entry.schema as object);
      const properties = (s.properties ?? {}) as Record<string, JsonSchema>;
      out.push({ path: entry.path, properties });
      const required = new Set(Array.isArray(s.required) ? (s.required as string[]) : []);
      const rank = (name: string) => (singular && name.toLowerCase() === singular ? 0 : required.has(name) ? 1 : 2);
      const objects = Object.entries(properties).filter(([, p]) => isObjectSchema(p)).sort(([a], [b]) => rank(a) - rank(b));
      for (const [name, p] of objects) next.push({ path: [...entry.path, name], schema: p });
    }
    frontier = next;
  }
  return out;
}

/** A schema with its allOf merged; undefined for what is no schema. */
function flat(schema: unknown): JsonSchema | undefined {
  if (!schema || typeof schema !== 'object') return undefined;
  const s = schema as JsonSchema;
  // oneOf/anyOf branches: the properties of any branch (an id in every kind of source is still the id).
  const branches = ((s.oneOf ?? s.anyOf) as unknown[] | undefined)?.filter((b): b is JsonSchema => !!b && typeof b === 'object');
  if (branches && !s.properties && !Array.isArray(s.allOf)) {
    const { oneOf: _o, anyOf: _a, ...rest } = s;
    return { type: 'object', ...rest, properties: Object.assign({}, ...branches.map((b) => flat(b)?.properties ?? {})) };
  }
  if (!Array.isArray(s.allOf)) return s;
  // Only the top level is merged: nested schemas stay as they are (and recursion in them is not followed).
  const { allOf, ...rest } = s;
  const parts = (allOf as unknown[]).filter((p): p is JsonSchema => !!p && typeof p === 'object');
  return { ...rest, ...Object.assign({}, ...parts.map((p) => flat(p) ?? {})), properties: Object.assign({}, ...parts.map((p) => flat(p)?.properties ?? {}), rest.properties ?? {}) };
}

function isObjectSchema(schema: unknown): boolean {
  const s = flat(schema);
  return !!s && (s.type === 'object' || (s.type === undefined && s.properties !== undefined));
}

function isScalar(schema: unknown): boolean {
  const s = flat(schema);
  if (!s) return false;
  const types = Array.isArray(s.type) ? (s.type as string[]) : [s.type];
  return types.some((t) => t === 'string' || t === 'integer' || t === 'number') || (s.type === undefined && !s.properties && !s.items);
}
