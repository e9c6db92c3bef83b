/**
 * Rewrites applied to a parsed (bundled, not yet dereferenced) OpenAPI document, while its `$ref`s are still
 * visible, so that the plain JSON Schema the engine works with says what the document means:
 *
 * - `$ref` with sibling keywords. swagger-parser's dereference shallow-merges the siblings over the target (a
 *   sibling `required` or `properties` replaces the target's, a sibling `maxLength` loosens a tighter one). In
 *   OpenAPI 3.1 (JSON Schema 2020-12) siblings apply alongside the reference, so `{$ref, ...siblings}` becomes
 *   `{allOf: [{$ref}], ...siblings}`. Only `description` and `summary` siblings are left to the merge: they
 *   annotate, and they are what a 3.1 Reference Object outside schemas may carry. OpenAPI 3.0 says siblings are
 *   ignored; there the merge is kept, since authors who write `nullable` or `readOnly` next to a `$ref` mean it.
 * - `discriminator`. A oneOf/anyOf branch that is a `$ref` gets the discriminator property pinned to the value(s)
 *   that map to it (`mapping` keys, else the schema's name). A schema that inherits a discriminator through
 *   `allOf` gets its own value pinned the same way. Branches overlap without this (a Cat often validates as a
 *   Dog), which is why the discriminator exists; with it, each branch is decidable by plain JSON Schema.
 */

type Doc = Record<string, any>;

const SCHEMA_PREFIX = '#/components/schemas/';
/** Keywords whose values are data, not schemas or spec objects: nothing inside them is rewritten. */
const DATA_KEYS = new Set(['example', 'examples', 'default', 'const', 'enum', 'value']);
/** Siblings that only annotate; swagger-parser's merge handles them correctly in every version. */
const ANNOTATION_SIBLINGS = new Set(['description', 'summary']);

/** Applies every rewrite in place and returns the document. */
export function rewriteDocument(doc: Doc, openapi: '3.0' | '3.1'): Doc {
  applyDiscriminators(doc);
  if (openapi === '3.1') rewriteRefSiblings(doc);
  return doc;
}

/** 3.1: `{$ref, ...siblings}` in a schema position becomes `{allOf: [{$ref}], ...siblings}`. */
export function rewriteRefSiblings(doc: Doc): void {
  const visit = (node: unknown, path: string[]): void => {
    if (Array.isArray(node)) {
      node.forEach((item, i) => visit(item, [...path, String(i)]));
      return;
    }
    if (!isObject(node)) return;
    if (typeof node.$ref === 'string' && !isPathItem(path)) {
      const siblings = Object.keys(node).filter((k) => k !== '$ref');
      if (siblings.some((k) => !ANNOTATION_SIBLINGS.has(k))) {
        const ref = node.$ref;
        delete node.$ref;
        node.allOf = [{ $ref: ref }, ...(Array.isArray(node.allOf) ? node.allOf : [])];
      }
    }
    for (const [key, value] of Object.entries(node)) if (!isDataKey(path, key)) visit(value, [...path, key]);
  };
  visit(doc, []);
}

/**
 * Path Items may carry `$ref` next to their operations (with merge semantics of their own): they are no schemas.
 * Children of `paths`, `webhooks`, `components.pathItems`, and of each callback.
 */
function isPathItem(path: string[]): boolean {
  if (path.length === 2 && (path[0] === 'paths' || path[0] === 'webhooks')) return true;
  if (path.length === 3 && path[0] === 'components' && path[1] === 'pathItems') return true;
  return path.length >= 3 && path.at(-3) === 'callbacks' && path.at(-4) !== 'properties';
}

/**
 * Whether a member holds data (an example, a default, an extension) rather than schemas or spec objects. In a map
 * (`properties`, `responses`, ...) every key is a name: a property may be called `example`, a response `default`.
 */
function isDataKey(path: string[], key: string): boolean {
  if (MAP_KEYS.has(path.at(-1) ?? '')) return false;
  return DATA_KEYS.has(key) || key.startsWith('x-');
}

const MAP_KEYS = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas', 'schemas', 'responses', 'headers', 'parameters', 'requestBodies', 'callbacks', 'pathItems', 'paths', 'webhooks', 'content', 'encoding', 'links', 'securitySchemes']);

/** Pins the discriminator property in each oneOf/anyOf branch and in each allOf child of a schema with a discriminator. */
export function applyDiscriminators(doc: Doc): void {
  const schemas: Record<string, Doc> = isObject(doc.components?.schemas) ? doc.components.schemas : {};
  const visit = (node: unknown, path: string[]): void => {
    if (Array.isArray(node)) {
      node.forEach((item, i) => visit(item, [...path, String(i)]));
      return;
    }
    if (!isObject(node)) return;
    const discriminator = node.discriminator;
    if (isObject(discriminator) && typeof discriminator.propertyName === 'string') {
      for (const keyword of ['oneOf', 'anyOf']) {
        const branches = node[keyword];
        if (!Array.isArray(branches)) continue;
        node[keyword] = branches.map((branch: unknown) => pinBranch(branch, discriminator));
      }
    }
    for (const [key, value] of Object.entries(node)) if (!isDataKey(path, key)) visit(value, [...path, key]);
  };
  visit(doc, []);
  // Inheritance: `Cat: {allOf: [{$ref: Pet}, ...]}` where Pet has the discriminator: a Cat carries Cat's value.
  for (const [name, schema] of Object.entries(schemas)) {
    if (!isObject(schema) || !Array.isArray(schema.allOf)) continue;
    for (const part of schema.allOf as unknown[]) {
      const parentName = isObject(part) ? schemaName(part.$ref) : undefined;
      const parent = parentName !== undefined ? schemas[parentName] : undefined;
      const discriminator = isObject(parent) ? parent.discriminator : undefined;
      if (!isObject(discriminator) || typeof discriminator.propertyName !== 'string') continue;
      // The parent's own oneOf/anyOf already pins its branches; a child that is one of them needs nothing more.
      if (Array.isArray(parent!.oneOf) || Array.isArray(parent!.anyOf)) continue;
      const values = valuesFor(`${SCHEMA_PREFIX}${escapePointer(name)}`, discriminator);
      if (values.length > 0) schema.allOf.push(pin(discriminator.propertyName, values));
      break;
    }
  }
}

function pinBranch(branch: unknown, discriminator: Doc): unknown {
  if (!isObject(branch)) return branch;
  const ref = typeof branch.$ref === 'string' ? branch.$ref : undefined;
  if (!ref) return branch;
  const values = valuesFor(ref, discriminator);
  if (values.length === 0) return branch;
  return { allOf: [branch, pin(discriminator.propertyName, values)] };
}

function pin(propertyName: string, values: string[]): Doc {
  return { type: 'object', required: [propertyName], properties: { [propertyName]: { type: 'string', enum: values } } };
}

/**
 * The discriminator values that select the schema at `ref`: the mapping keys that name it (by reference or by
 * schema name), else its schema name. Empty when the target is no named component schema and no mapping names it.
 */
function valuesFor(ref: string, discriminator: Doc): string[] {
  const mapping: Record<string, unknown> = isObject(discriminator.mapping) ? discriminator.mapping : {};
  const target = normalizeRef(ref);
  const mapped = Object.entries(mapping).filter(([, v]) => typeof v === 'string' && normalizeRef(v) === target).map(([k]) => k);
  if (mapped.length > 0) return mapped;
  const name = schemaName(ref);
  return name !== undefined ? [name] : [];
}

/** A mapping value is a schema name (`Cat`) or a reference (`#/components/schemas/Cat`). */
function normalizeRef(ref: string): string {
  return /^[^#/]+$/.test(ref) ? `${SCHEMA_PREFIX}${escapePointer(ref)}` : ref;
}

function schemaName(ref: unknown): string | undefined {
  if (typeof ref !== 'string' || !ref.startsWith(SCHEMA_PREFIX)) return undefined;
  const tail = ref.slice(SCHEMA_PREFIX.length);
  if (tail.includes('/')) return undefined;
  return decodeURIComponent(tail).replaceAll('~1', '/').replaceAll('~0', '~');
}

function escapePointer(name: string): string {
  return name.replaceAll('~', '~0').replaceAll('/', '~1');
}

function isObject(value: unknown): value is Doc {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
