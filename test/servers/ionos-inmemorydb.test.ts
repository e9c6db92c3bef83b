import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startInMemoryDbServer } from '../../fixtures/ionos-inmemorydb/server.ts';
import { seedSnapshots } from '../../fixtures/ionos-inmemorydb/seed.ts';
import { negativeDataRejection } from '../../src/checks/negative-data-rejection.ts';
import { responseSchemaConformance } from '../../src/checks/response-schema-conformance.ts';
import { main } from '../../src/cli.ts';
import { ionosInMemoryDb } from '../../src/providers/ionos-inmemorydb.ts';
import { loadSpec } from '../../src/spec/load.ts';
import { context, exchange, response } from '../helpers.ts';

type Body = Record<string, any>;
type Server = Awaited<ReturnType<typeof startInMemoryDbServer>>;

const CREDENTIALS = { username: 'imdb-tester', password: 'imdb-test-password-1', token: 'imdb-test-token-0123456789' };
const basic = (username: string, password: string) => `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
const AUTH = { authorization: basic(CREDENTIALS.username, CREDENTIALS.password) };
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000001';
const SECRET = 'imdb-initial-user-secret-42';
const HASH = '5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8';
const SNAPSHOTS = seedSnapshots();

async function start(faults: string[] = []): Promise<Server> {
  return startInMemoryDbServer({ ...CREDENTIALS, readyDelayMs: 100, faults });
}

interface Answer {
  status: number;
  contentType: string;
  headers: Headers;
  text: string;
  json: Body;
}

async function call(server: Server, method: string, path: string, options: { body?: unknown; headers?: Record<string, string>; auth?: boolean } = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...(options.auth === false ? {} : AUTH), ...options.headers };
  if (options.body !== undefined) headers['content-type'] ??= 'application/json';
  const res = await fetch(`${server.url}${path}`, { method, headers, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
  const text = await res.text();
  let json: Body = {};
  try {
    json = text ? JSON.parse(text) : {};
  } catch {
    // not JSON; the caller checks the Content-Type
  }
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', headers: res.headers, text, json };
}

/** The IONOS error envelope, with the HTTP status repeated in the body. */
function expectEnvelope(res: Answer, status: number): void {
  expect(res.status).toBe(status);
  expect(res.contentType).toMatch(/^application\/json/);
  expect(res.json.httpStatus).toBe(status);
  expect(res.json.messages).toEqual([expect.objectContaining({ errorCode: expect.any(String), message: expect.any(String) })]);
}

function definition(displayName: string, password: unknown = SECRET): Body {
  return {
    displayName,
    version: '7.2',
    replicas: 2,
    resources: { cores: 2, ram: 4 },
    persistenceMode: 'RDB',
    evictionPolicy: 'noeviction',
    connections: [{ datacenterId: '5a029f4a-72e5-41ec-90d6-0242ac120003', lanId: '2', cidr: '192.168.1.100/24' }],
    maintenanceWindow: { time: '16:30:59', dayOfTheWeek: 'Monday' },
    credentials: { username: 'cacheadmin', password },
  };
}

async function create(server: Server, displayName: string, password: unknown = SECRET): Promise<Answer> {
  const res = await call(server, 'POST', '/replicasets', { body: { metadata: {}, properties: definition(displayName, password) } });
  expect(res.status).toBe(201);
  return res;
}

async function waitForState(server: Server, path: string, state: string): Promise<Answer> {
  for (let i = 0; i < 100; i++) {
    const res = await call(server, 'GET', path);
    if (res.json.metadata?.state === state) return res;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`${path} never reached ${state}`);
}

describe('IONOS In-Memory DB reference server', () => {
  let server: Server;
  beforeAll(async () => {
    server = await start();
  });
  afterAll(async () => {
    await server.close();
  });

  describe('credentials', () => {
    it('answers 401 with the envelope without credentials, with wrong ones and with a wrong token', async () => {
      expectEnvelope(await call(server, 'GET', '/replicasets', { auth: false }), 401);
      expectEnvelope(await call(server, 'GET', '/replicasets', { headers: { authorization: basic(CREDENTIALS.username, 'wrong') } }), 401);
      expectEnvelope(await call(server, 'GET', '/snapshots', { headers: { authorization: 'Bearer wrong-token' } }), 401);
      expectEnvelope(await call(server, 'POST', '/replicasets', { auth: false, body: { properties: definition('x') } }), 401);
    });

    it('accepts basic credentials and the bearer token', async () => {
      expect((await call(server, 'GET', '/replicasets')).status).toBe(200);
      expect((await call(server, 'GET', '/snapshots', { headers: { authorization: `Bearer ${CREDENTIALS.token}` } })).status).toBe(200);
    });
  });

  describe('routing', () => {
    it('answers 404 with the envelope for unknown ids', async () => {
      expectEnvelope(await call(server, 'GET', `/replicasets/${UNKNOWN_ID}`), 404);
      expectEnvelope(await call(server, 'DELETE', `/replicasets/${UNKNOWN_ID}`), 404);
      expectEnvelope(await call(server, 'GET', `/snapshots/${UNKNOWN_ID}`), 404);
      expectEnvelope(await call(server, 'GET', `/snapshots/${UNKNOWN_ID}/restores`), 404);
      expectEnvelope(await call(server, 'GET', `/snapshots/${SNAPSHOTS[0]!.id}/restores/${UNKNOWN_ID}`), 404);
    });

    it('answers 405 for methods a path does not support: snapshots cannot be created or deleted', async () => {
      const post = await call(server, 'POST', '/snapshots', { body: {} });
      expectEnvelope(post, 405);
      expect(post.headers.get('allow')).toBe('GET');
      expectEnvelope(await call(server, 'DELETE', `/snapshots/${SNAPSHOTS[0]!.id}`), 405);
      expectEnvelope(await call(server, 'PATCH', `/replicasets/${UNKNOWN_ID}`, { body: {} }), 405);
    });

    it('refuses bodies that fail the schema with 422 (our reading where the docs are silent): two connections, a number for a string, a missing required field', async () => {
      const two = definition('two');
      two.connections.push({ ...two.connections[0], lanId: '3' });
      expectEnvelope(await call(server, 'POST', '/replicasets', { body: { properties: two } }), 422);
      expectEnvelope(await call(server, 'POST', '/replicasets', { body: { properties: { ...definition('n'), version: 72 } } }), 422);
      const { evictionPolicy: _left, ...without } = definition('missing');
      expectEnvelope(await call(server, 'POST', '/replicasets', { body: { properties: without } }), 422);
      expectEnvelope(await call(server, 'POST', '/replicasets', { body: { properties: { ...definition('mode'), persistenceMode: 'SOMETIMES' } } }), 422);
    });

    it('refuses what the schema cannot say with 422: unavailable address ranges, reserved user names, unknown snapshots', async () => {
      const range = definition('range');
      range.connections[0].cidr = '10.213.4.5/24';
      expectEnvelope(await call(server, 'POST', '/replicasets', { body: { properties: range } }), 422);
      expectEnvelope(await call(server, 'POST', '/replicasets', { body: { properties: { ...definition('reserved'), credentials: { username: 'admin', password: SECRET } } } }), 422);
      expectEnvelope(await call(server, 'POST', '/replicasets', { body: { properties: { ...definition('from'), initialSnapshotId: UNKNOWN_ID } } }), 422);
      expect((await call(server, 'POST', '/replicasets', { body: { properties: { ...definition('from'), initialSnapshotId: SNAPSHOTS[1]!.id } } })).status).toBe(201);
    });
  });

  describe('replica set lifecycle', () => {
    it('is BUSY after create, then AVAILABLE; DESTROYING after delete, then gone', async () => {
      const created = await create(server, 'lifecycle');
      expect(created.json).toMatchObject({ type: 'replicaset', href: `/replicasets/${created.json.id}`, metadata: { state: 'BUSY', dnsName: expect.any(String) } });
      expect(created.json.properties.resources).toEqual({ cores: 2, ram: 4, storage: 8 });
      const path = `/replicasets/${created.json.id}`;
      await waitForState(server, path, 'AVAILABLE');
      const deleted = await call(server, 'DELETE', path);
      expect(deleted.status).toBe(202);
      expect(deleted.text).toBe('');
      expect((await call(server, 'GET', path)).json.metadata.state).toBe('DESTROYING');
      await new Promise((resolve) => setTimeout(resolve, 150));
      expectEnvelope(await call(server, 'GET', path), 404);
      const listed = await call(server, 'GET', '/replicasets?limit=1000');
      expect(listed.json.items.map((i: Body) => i.id)).not.toContain(created.json.id);
    });

    it('ensure (PUT) creates an unknown id with 201, and fully replaces a known one with 200', async () => {
      const id = '1046e9bf-dbc0-4bd3-9291-713d36ab77e9';
      const first = await call(server, 'PUT', `/replicasets/${id}`, { body: { id, properties: definition('ensured') } });
      expect(first.status).toBe(201);
      expect(first.json).toMatchObject({ id, metadata: { state: 'BUSY' }, properties: { displayName: 'ensured', maintenanceWindow: { time: '16:30:59', dayOfTheWeek: 'Monday' } } });
      await waitForState(server, `/replicasets/${id}`, 'AVAILABLE');
      const replacement: Body = { ...definition('replaced'), replicas: 1, persistenceMode: 'None' };
      delete replacement.maintenanceWindow;
      const second = await call(server, 'PUT', `/replicasets/${id}`, { body: { id, properties: replacement } });
      expect(second.status).toBe(200);
      expect(second.json.metadata.state).toBe('BUSY');
      const read = await call(server, 'GET', `/replicasets/${id}`);
      expect(read.json.properties).toMatchObject({ displayName: 'replaced', replicas: 1, persistenceMode: 'None', resources: { storage: 0 } });
      // Left out: back to the service's default window (a weekday, 10:00-16:00), not the previous one.
      expect(read.json.properties.maintenanceWindow).not.toEqual({ time: '16:30:59', dayOfTheWeek: 'Monday' });
      expect(read.json.properties.maintenanceWindow).toEqual({ time: expect.stringMatching(/^1[0-5]:00:00$/), dayOfTheWeek: expect.stringMatching(/^(Mon|Tues|Wednes|Thurs|Fri)day$/) });
    });

    it('refuses an ensure whose body id differs from the path id with 422 (our reading where the docs are silent)', async () => {
      expectEnvelope(await call(server, 'PUT', `/replicasets/${UNKNOWN_ID}`, { body: { id: '1046e9bf-dbc0-4bd3-9291-713d36ab0000', properties: definition('x') } }), 422);
      expectEnvelope(await call(server, 'GET', `/replicasets/${UNKNOWN_ID}`), 404);
    });

    it('never returns the password, plain or hashed: create, read, list, ensure', async () => {
      const plain = await create(server, 'secret-plain');
      const hashed = await create(server, 'secret-hashed', { algorithm: 'SHA-256', hash: HASH });
      const id = '2046e9bf-dbc0-4bd3-9291-713d36ab77e9';
      const ensured = await call(server, 'PUT', `/replicasets/${id}`, { body: { id, properties: definition('secret-ensure') } });
      const answers = [plain, hashed, ensured, await call(server, 'GET', `/replicasets/${plain.json.id}`), await call(server, 'GET', `/replicasets/${hashed.json.id}`), await call(server, 'GET', '/replicasets?limit=1000')];
      for (const answer of answers) {
        expect(answer.status).toBeLessThan(300);
        expect(answer.text).not.toContain(SECRET);
        expect(answer.text).not.toContain(HASH);
        expect(answer.text).not.toContain('password');
      }
      expect(plain.json.properties.credentials).toEqual({ username: 'cacheadmin' });
    });
  });

  describe('collections', () => {
    it('refuses limits and offsets out of range with 400 and the envelope', async () => {
      for (const query of ['limit=0', 'limit=1001', 'limit=-1', 'offset=-1']) {
        expectEnvelope(await call(server, 'GET', `/snapshots?${query}`), 400);
        expectEnvelope(await call(server, 'GET', `/replicasets?${query}`), 400);
      }
    });

    it('pages snapshots by offset and limit, echoing both, with prev/self/next links', async () => {
      const all = await call(server, 'GET', '/snapshots');
      expect(all.json).toMatchObject({ type: 'collection', href: '/snapshots', offset: 0, limit: 100 });
      expect(all.json.items.map((i: Body) => i.id)).toEqual(SNAPSHOTS.map((s) => s.id));
      expect(all.json._links.next).toBeUndefined();
      expect(all.json._links.prev).toBeUndefined();
      const middle = await call(server, 'GET', '/snapshots?offset=2&limit=1');
      expect(middle.json).toMatchObject({ offset: 2, limit: 1 });
      expect(middle.json.items.map((i: Body) => i.id)).toEqual([SNAPSHOTS[2]!.id]);
      const at = (link: string) => Object.fromEntries(new URL(link).searchParams);
      expect(at(middle.json._links.self)).toEqual({ offset: '2', limit: '1' });
      expect(at(middle.json._links.prev)).toEqual({ offset: '1', limit: '1' });
      expect(at(middle.json._links.next)).toEqual({ offset: '3', limit: '1' });
      const last = await call(server, 'GET', `/snapshots?offset=${SNAPSHOTS.length - 1}&limit=1`);
      expect(last.json._links.next).toBeUndefined();
      expect((await call(server, 'GET', '/snapshots?offset=1000000')).json.items).toEqual([]);
      expect(SNAPSHOTS.length).toBeGreaterThan(3);
    });

    it('filters replica sets by a case-insensitive substring of displayName, and keeps the filter in links', async () => {
      await create(server, 'Filter Alpha Cache');
      await create(server, 'filter-beta-cache');
      await create(server, 'unrelated');
      const res = await call(server, 'GET', '/replicasets?filter.name=FILTER&limit=1');
      expect(res.json.items.map((i: Body) => i.properties.displayName)).toEqual(['Filter Alpha Cache']);
      expect(new URL(res.json._links.next).searchParams.get('filter.name')).toBe('FILTER');
      const both = await call(server, 'GET', '/replicasets?filter.name=-CACHE');
      expect(both.json.items.map((i: Body) => i.properties.displayName)).toEqual(['filter-beta-cache']);
    });
  });

  describe('restores', () => {
    it('restores a snapshot into an existing replica set, which turns BUSY and then AVAILABLE again', async () => {
      const target = await create(server, 'restore-target');
      const path = `/replicasets/${target.json.id}`;
      await waitForState(server, path, 'AVAILABLE');
      const snapshot = SNAPSHOTS[3]!;
      const restore = await call(server, 'POST', `/snapshots/${snapshot.id}/restores`, { body: { properties: { replicasetId: target.json.id, displayName: 'Rollback' } } });
      expect(restore.status).toBe(201);
      expect(restore.json).toMatchObject({ type: 'restore', href: `/snapshots/${snapshot.id}/restores/${restore.json.id}`, metadata: { state: 'BUSY', restoredSnapshotId: snapshot.id, restoreTime: snapshot.snapshotTime }, properties: { replicasetId: target.json.id, displayName: 'Rollback' } });
      expect((await call(server, 'GET', path)).json.metadata.state).toBe('BUSY');
      await waitForState(server, path, 'AVAILABLE');
      await waitForState(server, `/snapshots/${snapshot.id}/restores/${restore.json.id}`, 'AVAILABLE');
      const listed = await call(server, 'GET', `/snapshots/${snapshot.id}/restores?filter.name=rollBACK`);
      expect(listed.json.items.map((i: Body) => i.id)).toEqual([restore.json.id]);
      // A restore belongs to its snapshot.
      expectEnvelope(await call(server, 'GET', `/snapshots/${SNAPSHOTS[4]!.id}/restores/${restore.json.id}`), 404);
    });

    it('answers 404 for an unknown snapshot or replica set, 422 for a malformed replica set id in the body and 400 in the path', async () => {
      const target = await create(server, 'restore-404');
      expectEnvelope(await call(server, 'POST', `/snapshots/${UNKNOWN_ID}/restores`, { body: { properties: { replicasetId: target.json.id } } }), 404);
      expectEnvelope(await call(server, 'POST', `/snapshots/${SNAPSHOTS[0]!.id}/restores`, { body: { properties: { replicasetId: UNKNOWN_ID } } }), 404);
      expectEnvelope(await call(server, 'POST', `/snapshots/${SNAPSHOTS[0]!.id}/restores`, { body: { properties: { replicasetId: 'not-a-uuid' } } }), 422);
      expectEnvelope(await call(server, 'POST', '/snapshots/not-a-uuid/restores', { body: { properties: { replicasetId: target.json.id } } }), 400);
    });

    it('lists the seeded restores of the first snapshot, and none of the others', async () => {
      const fresh = await start();
      try {
        expect((await call(fresh, 'GET', `/snapshots/${SNAPSHOTS[0]!.id}/restores`)).json.items).toHaveLength(2);
        expect((await call(fresh, 'GET', `/snapshots/${SNAPSHOTS[5]!.id}/restores`)).json.items).toEqual([]);
      } finally {
        await fresh.close();
      }
    });
  });
});

describe('In-Memory DB faults', () => {
  it('echo-password: the password comes back in responses', async () => {
    const server = await start(['echo-password']);
    try {
      const created = await create(server, 'echo');
      expect(created.text).toContain(SECRET);
      expect((await call(server, 'GET', `/replicasets/${created.json.id}`)).text).toContain(SECRET);
    } finally {
      await server.close();
    }
  });

  it('state-invalid: metadata.state is no string (the spec keeps the values open, not the type)', async () => {
    const server = await start(['state-invalid']);
    try {
      const created = await create(server, 'numeric');
      expect(typeof created.json.metadata.state).toBe('number');
    } finally {
      await server.close();
    }
  });

  it('two-connections: a create with two connections is accepted, which negative-data-rejection and response-schema-conformance flag', async () => {
    const server = await start(['two-connections']);
    try {
      const properties = definition('two');
      properties.connections.push({ ...properties.connections[0], lanId: '3', cidr: '192.168.2.100/24' });
      const created = await call(server, 'POST', '/replicasets', { body: { properties } });
      expect(created.status).toBe(201);
      expect(created.json.properties.connections).toHaveLength(2);
      const spec = await loadSpec(ionosInMemoryDb.spec);
      const op = spec.operations.find((o) => o.id === 'ReplicasetsPost')!;
      const seen = exchange(op, response(created.status, created.json), 'invalid');
      expect(negativeDataRejection.run(seen, context())).toEqual([expect.stringContaining('was answered 201')]);
      expect(responseSchemaConformance.run(seen, context())).toEqual([expect.stringContaining('/properties/connections must NOT have more than 1 items')]);
    } finally {
      await server.close();
    }
  });
});

interface Result {
  operationId: string;
  check: string;
  outcome: string;
}

async function run(...extra: string[]): Promise<{ code: number; report: { summary: { operationsExercised: number; operations: number }; results: Result[] } }> {
  const dir = mkdtempSync(join(tmpdir(), 'conformance-imdb-'));
  const out: string[] = [];
  const code = await main(['run', '--provider', 'ionos-inmemorydb', '--seed', '1', '--examples', '5', '--report-dir', dir, ...extra], { out: (s) => out.push(s), err: (s) => out.push(s) });
  return { code, report: JSON.parse(readFileSync(join(dir, 'conformance.json'), 'utf8')) };
}

describe('conformance run against the In-Memory DB reference server', () => {
  it('passes and exercises all 10 operations', async () => {
    const { code, report } = await run();
    expect(report.results.filter((r) => r.outcome === 'failed')).toEqual([]);
    expect(code).toBe(0);
    expect(report.summary).toMatchObject({ operations: 10, operationsExercised: 10 });
  });

  it('echo-password: write-only-not-returned fails for the replica set operations', async () => {
    const { code, report } = await run('--fault', 'echo-password');
    expect(code).toBe(1);
    const failed = report.results.filter((r) => r.outcome === 'failed');
    for (const operationId of ['ReplicasetsPost', 'ReplicasetsFindById', 'ReplicasetsGet', 'ReplicasetsPut']) {
      expect(failed).toContainEqual(expect.objectContaining({ operationId, check: 'write-only-not-returned' }));
    }
  });

  it('state-invalid: response-schema-conformance and state-transitions fail', async () => {
    // The replica set never reads as AVAILABLE: a short ready timeout keeps the run quick.
    const { code, report } = await run('--fault', 'state-invalid', '--ready-timeout', '600');
    expect(code).toBe(1);
    const failed = report.results.filter((r) => r.outcome === 'failed');
    expect(failed).toContainEqual(expect.objectContaining({ operationId: 'ReplicasetsPost', check: 'response-schema-conformance' }));
    expect(failed).toContainEqual(expect.objectContaining({ operationId: 'ReplicasetsFindById', check: 'state-transitions' }));
  });

  // invalidCases() sends one case of each kind of constraint first, so "more than 1 items" is always among them.
  it('two-connections: negative-data-rejection fails for ReplicasetsPost', async () => {
    const { code, report } = await run('--fault', 'two-connections');
    expect(report.results).toContainEqual(expect.objectContaining({ operationId: 'ReplicasetsPost', check: 'negative-data-rejection', outcome: 'failed' }));
    expect(code).toBe(1);
  });
});
