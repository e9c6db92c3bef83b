import fc from 'fast-check';
import Fastify, { type FastifyReply, type FastifyRequest } from 'fastify';
import { ValidatorCache } from '../../src/checks/validators.ts';
import { schemaArbitrary } from '../../src/generate/schema-arbitrary.ts';
import { isJsonMediaType } from '../../src/spec/operations.ts';
import type { ApiSpec, JsonSchema, Operation } from '../../src/spec/types.ts';

/**
 * A spec-driven mock for the corpus: any OpenAPI document, each operation answered with a body generated from its
 * documented response schema. Our own rather than Prism: Prism is a large dependency tree for what takes a page
 * here, and this one is stateful enough for the lifecycle checks (a POST on a collection creates an object that
 * GET, PATCH, PUT and DELETE on `collection/{id}` then find, until it is deleted; a read answers the same each
 * time, and shows what a change sent) and checks request bodies against their
 * schemas (JSON, and multipart forms for their required fields), refusing what does not fit.
 *
 * `rateLimitHeaders`: every answer says the quota is spent (X-RateLimit-Remaining: 0), refilling in `resetSeconds`.
 *
 * Routes: an operation that declares a relative server (`/upload-api`) is served below it; other operations
 * (absolute servers of another host included, which the tool sends to --target) at the root.
 */
export interface SpecMock {
  url: string;
  /** Requests per operation id, and the status codes answered. */
  log: { operationId: string; status: number }[];
  close(): Promise<void>;
}

interface Route {
  operation: Operation;
  pattern: RegExp;
  names: string[];
}

export async function startSpecMock(spec: ApiSpec, options: { rateLimitHeaders?: boolean; resetSeconds?: number } = {}): Promise<SpecMock> {
  const validators = new ValidatorCache(spec.openapi);
  const routes: Route[] = spec.operations.map((operation) => {
    const server = operation.servers?.[0];
    const prefix = server && server.startsWith('/') ? server.replace(/\/+$/, '') : '';
    const names: string[] = [];
    const source = (prefix + operation.path).replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\\?\{([^}]+)\\?\}/g, (_m, name: string) => (names.push(name), '([^/]+)'));
    return { operation, pattern: new RegExp(`^${source}$`), names };
  });
  // Objects created per collection path, by id.
  const store = new Map<string, Map<string, unknown>>();
  // What reads of each object (`collection id`) answer: the same each time, so a generated creation time does not change.
  const views = new Map<string, unknown>();
  let nextId = 1;
  let draws = 0;
  const log: SpecMock['log'] = [];

  const generate = (schema: JsonSchema | undefined): unknown => (schema ? JSON.parse(JSON.stringify(fc.sample(schemaArbitrary(schema, { direction: 'response' }), { seed: 7, numRuns: 1, path: String(draws++ % 50) })[0] ?? null)) : undefined);

  const app = Fastify({ logger: false, bodyLimit: 10 * 1024 * 1024 });
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, (_req, body, done) => done(null, body));

  app.all('/*', async (request, reply) => {
    const path = request.url.split('?')[0]!;
    const method = request.method.toLowerCase();
    const matched = routes.map((r) => ({ r, m: r.pattern.exec(path) })).filter((x) => x.m);
    const hit = matched.find((x) => x.r.operation.method === method);
    if (!hit) return answer(reply, undefined, matched.length > 0 ? 405 : 404, { id: 'none', message: 'no such operation' });
    const { operation } = hit.r;
    const params = Object.fromEntries(hit.r.names.map((n, i) => [n, decodeURIComponent(hit.m![i + 1]!)]));
    const refusal = checkRequest(operation, request, params, validators);
    if (refusal) return answer(reply, operation, refusal.status, errorBody(operation, refusal.status, refusal.message, generate));
    const itemParam = hit.r.names.at(-1);
    const collection = itemParam ? collectionOf(operation.path) : operation.path;
    if (options.rateLimitHeaders) reply.header('x-ratelimit-remaining', '0').header('x-ratelimit-reset', String(options.resetSeconds ?? 3600));
    // Create: POST on a collection that has an item path.
    if (method === 'post' && routes.some((r) => r.operation.path.startsWith(`${operation.path}/{`))) {
      const id = nextId++;
      const status = successStatus(operation);
      const schema = schemaFor(operation, status);
      const body = withId(generate(schema), id, parseBody(request));
      store.set(operation.path, (store.get(operation.path) ?? new Map()).set(String(id), parseBody(request)));
      // Where the item's read answers with the create's schema, the object reads back as it was created.
      const read = routes.find((r) => r.operation.method === 'get' && r.names.length > 0 && collectionOf(r.operation.path) === operation.path)?.operation;
      if (read && schemaFor(read, successStatus(read)) === schema) views.set(`${operation.path} ${id}`, structuredClone(body));
      return answer(reply, operation, status, body);
    }
    if (itemParam && store.has(collection)) {
      const objects = store.get(collection)!;
      const id = params[itemParam]!;
      if (!objects.has(id)) return answer(reply, operation, 404, errorBody(operation, 404, 'not found', generate));
      if (method === 'delete') objects.delete(id);
      const sent = parseBody(request);
      const key = `${collection} ${id}`;
      // A change lays what was sent over the object, and over what its reads answer.
      if ((method === 'patch' || method === 'put') && sent && typeof sent === 'object' && !Array.isArray(sent)) {
        objects.set(id, { ...(objects.get(id) as object), ...sent });
        withId(views.get(key), Number(id), sent);
      }
      const status = successStatus(operation);
      const schema = schemaFor(operation, status);
      if (method !== 'get') return answer(reply, operation, status, withId(generate(schema), Number(id), objects.get(id)));
      if (!views.has(key)) views.set(key, withId(generate(schema), Number(id), objects.get(id)));
      return answer(reply, operation, status, views.get(key));
    }
    const status = successStatus(operation);
    const schema = schemaFor(operation, status);
    let body = generate(schema);
    // A list of a collection shows what was created.
    const created = store.get(operation.path);
    if (method === 'get' && created && body && typeof body === 'object') {
      const key = Object.keys(body).find((k) => Array.isArray((body as Record<string, unknown>)[k]));
      if (key) (body as Record<string, unknown[]>)[key] = [...created].map(([id, sent]) => ({ ...(sent as object), id: Number(id) }));
    }
    if (body === undefined && schema === undefined) body = undefined;
    return answer(reply, operation, status, body);
  });

  function answer(reply: FastifyReply, operation: Operation | undefined, status: number, body: unknown): FastifyReply {
    if (operation) log.push({ operationId: operation.id, status });
    reply.code(status);
    if (body === undefined || status === 204) return reply.send();
    return reply.type('application/json').send(JSON.stringify(body));
  }

  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, log, close: () => app.close() };
}

/** The collection an item path belongs to: `/widgets` for `/widgets/{widgetId}`. */
function collectionOf(path: string): string {
  return path.slice(0, path.lastIndexOf('/{'));
}

function successStatus(operation: Operation): number {
  const documented = operation.responses.map((r) => r.status).find((s) => /^2\d\d$/.test(s));
  return Number(documented ?? (operation.method === 'delete' ? 204 : 200));
}

function schemaFor(operation: Operation, status: number): JsonSchema | undefined {
  const response = operation.responses.find((r) => r.status === String(status)) ?? operation.responses.find((r) => r.status === 'DEFAULT');
  return Object.entries(response?.content ?? {}).find(([type]) => isJsonMediaType(type))?.[1];
}

/** Sets every `id` outside arrays to the new id and lays what was sent over the object that holds it. */
function withId(body: unknown, id: number, sent: unknown): unknown {
  if (!body || typeof body !== 'object' || Array.isArray(body)) return body;
  const object = body as Record<string, unknown>;
  if ('id' in object) {
    if (sent && typeof sent === 'object' && !Array.isArray(sent)) Object.assign(object, sent);
    object.id = typeof object.id === 'string' ? String(id) : id;
  }
  for (const value of Object.values(object)) withId(value, id, sent);
  return body;
}

function parseBody(request: FastifyRequest): unknown {
  const text = request.body;
  if (typeof text !== 'string' || text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Why a request does not fit its operation (body and path parameters), as a status and a message; undefined when it fits. */
function checkRequest(operation: Operation, request: FastifyRequest, params: Record<string, string>, validators: ValidatorCache): { status: number; message: string } | undefined {
  const bad = operation.responses.find((r) => r.status === '422' || r.status === '400');
  const refused = Number(bad?.status ?? 400);
  for (const p of operation.parameters.filter((x) => x.in === 'path')) {
    const raw = params[p.name] ?? '';
    const value = p.schema.type === 'integer' || p.schema.type === 'number' ? (raw !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw) : raw;
    if (validators.validate(p.schema, value, 'request').length > 0) return { status: 404, message: `no ${p.name} ${raw}` };
  }
  if (!operation.body) return undefined;
  const contentType = String(request.headers['content-type'] ?? '').toLowerCase();
  const text = typeof request.body === 'string' ? request.body : '';
  if (operation.body.contentType === 'multipart/form-data') {
    if (!contentType.startsWith('multipart/form-data') || !/boundary=/.test(contentType)) return { status: 415, message: 'multipart/form-data with a boundary expected' };
    const missing = ((operation.body.schema?.required ?? []) as string[]).filter((name) => !text.includes(`name="${name}"`));
    return missing.length > 0 ? { status: refused, message: `missing ${missing.join(', ')}` } : undefined;
  }
  if (!contentType.includes('json')) return { status: 415, message: 'application/json expected' };
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { status: 400, message: 'malformed JSON' };
  }
  const issues = operation.body.schema ? validators.validate(operation.body.schema, body, 'request') : [];
  return issues.length > 0 ? { status: refused, message: `${issues[0]!.path} ${issues[0]!.message}` } : undefined;
}

function errorBody(operation: Operation, status: number, message: string, generate: (schema: JsonSchema | undefined) => unknown): unknown {
  const body = generate(schemaFor(operation, status));
  if (body && typeof body === 'object' && !Array.isArray(body) && 'message' in body) (body as Record<string, unknown>).message = message;
  return body;
}
