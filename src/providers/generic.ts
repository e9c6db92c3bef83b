import { ValidatorCache } from '../checks/validators.ts';
import type { ApiSpec, Operation } from '../spec/types.ts';
import { idAt, idPath, itemsPath, successSchema, valueAt } from './schema-paths.ts';
import type { ProviderProfile, ResourceProfile } from './types.ts';

type Body = Record<string, any>;

const ID_KEYS = ['id', 'uid', 'uuid', 'name'];

/** The items of a list response, wherever the common shapes put them. */
export function findItems(body: unknown): unknown[] {
  if (Array.isArray(body)) return body;
  if (!body || typeof body !== 'object') return [];
  for (const key of ['items', 'data', 'result', 'results', 'content', 'elements']) {
    const value = (body as Body)[key];
    if (Array.isArray(value)) return value;
  }
  return [];
}

/** An id in a response body: top level, or under the common wrappers. */
export function findId(body: unknown, idParam?: string): string | undefined {
  if (!body || typeof body !== 'object') return undefined;
  const b = body as Body;
  // The body, the usual wrappers, and objects one level inside a wrapper (`{result: {service: {...}}}`).
  const wrappers = [b.result, b.data, b.properties].filter((c) => c && typeof c === 'object' && !Array.isArray(c));
  const candidates = [b, ...wrappers, ...wrappers.flatMap((w) => Object.values(w))].filter((c) => c && typeof c === 'object' && !Array.isArray(c));
  // A field named like the path parameter wins anywhere (`username` for `{username}`), then the usual id fields.
  // `{databasename}` is most likely the `name` field, `{clusterId}` the `id` one.
  const preferred = idParam ? ID_KEYS.filter((k) => idParam.toLowerCase().endsWith(k)) : [];
  for (const key of [...(idParam ? [idParam] : []), ...preferred, ...ID_KEYS]) {
    for (const candidate of candidates) {
      const value = candidate[key];
      if (typeof value === 'string' || typeof value === 'number') return String(value);
    }
  }
  return undefined;
}

/** Query parameters that, by a wide convention (Redis `dry_run`, Kubernetes `dryRun`), only validate a write. */
const DRY_RUN = /^dry[-_]?run$/i;

/**
 * A profile inferred from any OpenAPI document: a POST on a collection plus GET (and DELETE, PATCH, PUT)
 * on `collection/{id}` make a resource, with the id taken from the create response. No envelope or
 * lifecycle states are assumed; offset/limit lists get the pagination checks. A `dry_run`/`dryRun` query
 * parameter of a create or update is taken for what its name says (such requests create nothing).
 * The first create of each resource sends the document's own request example, where it has one that
 * validates: data the authors documented passes the API's cross-field rules far more often than generated data.
 */
export function genericProfile(spec: ApiSpec, specFile: string): ProviderProfile {
  const byPath = new Map<string, Operation[]>();
  for (const op of spec.operations) byPath.set(op.path, [...(byPath.get(op.path) ?? []), op]);
  const resources: ResourceProfile[] = [];
  for (const [path, ops] of byPath) {
    const create = ops.find((o) => o.method === 'post');
    if (!create) continue;
    const itemPath = [...byPath.keys()].find((p) => p.startsWith(`${path}/{`) && /^\{[^}/]+\}$/.test(p.slice(path.length + 1)));
    if (!itemPath) continue;
    const itemOps = byPath.get(itemPath)!;
    const read = itemOps.find((o) => o.method === 'get');
    const del = itemOps.find((o) => o.method === 'delete');
    if (!read || !del) continue;
    const idParam = itemPath.slice(path.length + 2, -1);
    const list = ops.find((o) => o.method === 'get');
    // Where the documented responses put the id and the items (`{"droplet": {"id": 1}}`, `{"droplets": [...]}`),
    // found by schema; the common shapes where the schema does not say.
    const createdId = idPath(successSchema(create), idParam, path);
    const readId = idPath(successSchema(read), idParam, path);
    const listItems = itemsPath(successSchema(list), path);
    const items = (body: unknown): unknown[] => {
      const found = listItems ? valueAt(body, listItems) : undefined;
      return Array.isArray(found) ? found : findItems(body);
    };
    resources.push({
      name: path,
      create: create.id,
      read: read.id,
      delete: del.id,
      list: list?.id,
      update: itemOps.filter((o) => o.method === 'patch' || o.method === 'put').map((o) => o.id),
      idParam,
      idFrom: (body) => idAt(body, createdId) ?? findId(body, idParam),
      listIds: (body) => items(body).map((item) => findId(item, idParam)).filter((id): id is string => id !== undefined),
      // A read answer that wraps the object (`{"droplet": {...}}`) is compared with the create body from inside the wrapper.
      ...(readId && readId.length > 1 ? { echoRoot: (body: unknown) => valueAt(body, readId.slice(0, -1)) } : {}),
    });
  }
  nameResources(resources);
  const writes = new Set(resources.flatMap((r) => [r.create, ...(r.update ?? [])]));
  const dryRun = spec.operations
    .filter((o) => writes.has(o.id))
    .flatMap((o) => o.parameters)
    .find((p) => p.in === 'query' && DRY_RUN.test(p.name));
  const examples = documentedExamples(spec, new Set(resources.map((r) => r.create)));
  const exampleSent = new Set<string>();
  return {
    name: 'generic',
    title: spec.title || 'OpenAPI document',
    spec: specFile,
    resources,
    knowsSemantics: false,
    ...(dryRun ? { dryRun: { param: dryRun.name } } : {}),
    ...(examples.size > 0
      ? {
          prepareBody: (body: unknown, context: { operationId: string }) => {
            const example = examples.get(context.operationId);
            if (example === undefined) return body;
            examples.delete(context.operationId);
            exampleSent.add(context.operationId);
            return structuredClone(example);
          },
          // The request that carries the example is meant to create: not as a dry run.
          prepareQuery: (query: Record<string, unknown>, context: { operationId: string }) => {
            if (!exampleSent.delete(context.operationId) || !dryRun) return query;
            const { [dryRun.name]: _dropped, ...rest } = query;
            return rest;
          },
        }
      : {}),
    pagination: {
      limit: 'limit',
      offset: 'offset',
      items: findItems,
      itemId: (item) => findId(item) ?? JSON.stringify(item),
    },
  };
}

/** The first documented request example of each operation that validates against its body schema. */
function documentedExamples(spec: ApiSpec, operationIds: Set<string>): Map<string, unknown> {
  const validators = new ValidatorCache(spec.openapi);
  const found = new Map<string, unknown>();
  for (const op of spec.operations) {
    const body = op.body;
    if (!operationIds.has(op.id) || !body?.schema || !body.examples) continue;
    const example = body.examples.find((e) => e !== null && typeof e === 'object' && validators.validate(body.schema!, e, 'request').length === 0);
    if (example !== undefined) found.set(op.id, example);
  }
  return found;
}

/**
 * Names each resource after the last static segment of its collection path (`clusters`), with as many segments
 * before it as it takes to tell resources apart (`/roles` and `/services/{id}/clickstack/roles` become `roles` and
 * `clickstack/roles`): the run keys its ledger and probes by name. Expects `name` to hold the collection path.
 */
function nameResources(resources: ResourceProfile[]): void {
  const segments = new Map(resources.map((r) => [r, r.name.split('/').filter((s) => s && !s.startsWith('{'))]));
  const nameOf = (r: ResourceProfile, n: number) => segments.get(r)!.slice(-n).join('/') || r.name;
  const depth = new Map(resources.map((r) => [r, 1]));
  for (let changed = true; changed; ) {
    changed = false;
    const names = resources.map((r) => nameOf(r, depth.get(r)!));
    for (const [i, r] of resources.entries()) {
      if (names.indexOf(names[i]!) === names.lastIndexOf(names[i]!) || depth.get(r)! >= segments.get(r)!.length) continue;
      depth.set(r, depth.get(r)! + 1);
      changed = true;
    }
  }
  for (const r of resources) r.name = nameOf(r, depth.get(r)!);
}
