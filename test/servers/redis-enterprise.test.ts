import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MEMBER_USERNAME, startRedisEnterpriseServer, VIEWER_USERNAME } from '../../fixtures/redis-enterprise/server.ts';
import { responseSchemaConformance } from '../../src/checks/response-schema-conformance.ts';
import { main } from '../../src/cli.ts';
import type { ReferenceServer } from '../../src/providers/types.ts';
import { redisEnterprise } from '../../src/providers/redis-enterprise.ts';
import { loadSpec } from '../../src/spec/load.ts';
import { context, exchange, response } from '../helpers.ts';

type Body = Record<string, any>;

const CREDENTIALS = { username: 'admin@example.com', password: 're-test-password-1', token: 'unused-token-0123456789' };
const DELAY = 200;
const basic = (username: string, password: string) => `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;

interface Answer {
  status: number;
  contentType: string;
  headers: Headers;
  text: string;
  json: any;
}

async function start(faults: string[] = []): Promise<ReferenceServer> {
  return startRedisEnterpriseServer({ ...CREDENTIALS, readyDelayMs: DELAY, faults });
}

async function call(server: ReferenceServer, method: string, path: string, options: { body?: unknown; headers?: Record<string, string>; as?: string | null } = {}): Promise<Answer> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.as !== null) headers.authorization = options.as ?? basic(CREDENTIALS.username, CREDENTIALS.password);
  if (options.body !== undefined) headers['content-type'] ??= 'application/json';
  const res = await fetch(`${server.url}${path}`, { method, headers, body: options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body) });
  const text = await res.text();
  let json: any;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    // not JSON; the caller checks the Content-Type
  }
  return { status: res.status, contentType: res.headers.get('content-type') ?? '', headers: res.headers, text, json };
}

const viewer = (server: ReferenceServer) => basic(server.variables.viewerUsername!, server.variables.viewerPassword!);
const member = (server: ReferenceServer) => basic(server.variables.memberUsername!, server.variables.memberPassword!);

/** The Redis error body: an error_code, and the text as `message` (bdbs pages) and `description` (vendor spec). */
function expectError(res: Answer, status: number, code?: string): void {
  expect(res.status).toBe(status);
  expect(res.contentType).toMatch(/^application\/json/);
  expect(res.json).toEqual({ error_code: code ?? expect.any(String), message: expect.any(String), description: expect.any(String) });
}

let counter = 0;
const name = () => `test-db-${++counter}`;
const bdb = (extra: Body = {}): Body => ({ name: name(), memory_size: 104857600, ...extra });

async function create(server: ReferenceServer, extra: Body = {}): Promise<Body> {
  const res = await call(server, 'POST', '/v1/bdbs', { body: bdb(extra) });
  expect(res.status).toBe(200);
  return res.json;
}

/** Reads the database until `done` holds; returns every status seen in order. */
async function poll(server: ReferenceServer, uid: number, done: (res: Answer) => boolean): Promise<{ states: string[]; last: Answer }> {
  const states: string[] = [];
  for (let i = 0; i < 400; i++) {
    const res = await call(server, 'GET', `/v1/bdbs/${uid}`);
    const state = res.json?.status as string | undefined;
    if (state && states.at(-1) !== state) states.push(state);
    if (done(res)) return { states, last: res };
    await new Promise((r) => setTimeout(r, 5));
  }
  throw new Error(`database ${uid} never reached the expected state (states seen: ${states.join(' -> ')})`);
}

const untilActive = (server: ReferenceServer, uid: number) => poll(server, uid, (res) => res.json?.status === 'active');
const uids = async (server: ReferenceServer) => ((await call(server, 'GET', '/v1/bdbs?fields=uid')).json as Body[]).map((b) => b.uid as number);

const spec = loadSpec(redisEnterprise.spec);

/** Validates a response body against the spec, as response-schema-conformance does in a run. */
async function expectSchemaValid(operationId: string, res: Answer): Promise<void> {
  const { operations } = await spec;
  const op = operations.find((o) => o.id === operationId)!;
  expect(responseSchemaConformance.run(exchange(op, response(res.status, res.json)), context())).toEqual([]);
}

describe('Redis Enterprise reference server', () => {
  let server: ReferenceServer;

  beforeAll(async () => {
    server = await start();
  });

  afterAll(async () => {
    await server.close();
  });

  describe('authentication and roles', () => {
    it('refuses missing, wrong and malformed credentials with 401', async () => {
      expectError(await call(server, 'GET', '/v1/bdbs', { as: null }), 401, 'unauthorized');
      expectError(await call(server, 'GET', '/v1/bdbs', { as: basic(CREDENTIALS.username, 'wrong-password') }), 401);
      expectError(await call(server, 'GET', '/v1/bdbs', { as: basic('nobody@example.com', CREDENTIALS.password) }), 401);
      expectError(await call(server, 'GET', '/v1/bdbs', { as: 'Basic !!not-base64' }), 401);
      expectError(await call(server, 'POST', '/v1/bdbs', { as: null, body: bdb() }), 401);
    });

    it('hands out a read-only and a member account through its variables', () => {
      expect(server.variables).toEqual({ viewerUsername: VIEWER_USERNAME, viewerPassword: expect.any(String), memberUsername: MEMBER_USERNAME, memberPassword: expect.any(String) });
      expect(server.variables.viewerPassword).not.toBe(CREDENTIALS.password);
      expect(server.variables.viewerPassword).not.toBe(server.variables.memberPassword);
    });

    it('lets db_viewer read databases and actions', async () => {
      const db = await create(server);
      expect((await call(server, 'GET', '/v1/bdbs', { as: viewer(server) })).status).toBe(200);
      expect((await call(server, 'GET', `/v1/bdbs/${db.uid}`, { as: viewer(server) })).status).toBe(200);
      expect((await call(server, 'GET', `/v1/actions/${db.action_uid}`, { as: viewer(server) })).status).toBe(200);
    });

    it('answers every write of db_viewer 403 and changes nothing', async () => {
      const db = await create(server);
      await untilActive(server, db.uid);
      const before = await call(server, 'GET', '/v1/bdbs');
      expectError(await call(server, 'POST', '/v1/bdbs', { as: viewer(server), body: bdb() }), 403, 'forbidden');
      expectError(await call(server, 'POST', '/v2/bdbs', { as: viewer(server), body: { bdb: bdb() } }), 403);
      // The permission is checked before the body: a create without a name is still 403.
      expectError(await call(server, 'POST', '/v1/bdbs', { as: viewer(server), body: { memory_size: 1 } }), 403);
      expectError(await call(server, 'PUT', `/v1/bdbs/${db.uid}`, { as: viewer(server), body: { memory_size: 209715200 } }), 403);
      expectError(await call(server, 'PUT', `/v1/bdbs/${db.uid}/flush`, { as: viewer(server), body: {} }), 403);
      expectError(await call(server, 'DELETE', `/v1/bdbs/${db.uid}`, { as: viewer(server) }), 403);
      expect((await call(server, 'GET', '/v1/bdbs')).json).toEqual(before.json);
    });

    it('lets db_member create, change and delete databases', async () => {
      const created = await call(server, 'POST', '/v1/bdbs', { as: member(server), body: bdb() });
      expect(created.status).toBe(200);
      await untilActive(server, created.json.uid);
      expect((await call(server, 'PUT', `/v1/bdbs/${created.json.uid}`, { as: member(server), body: { memory_size: 209715200 } })).status).toBe(200);
      await untilActive(server, created.json.uid);
      expect((await call(server, 'DELETE', `/v1/bdbs/${created.json.uid}`, { as: member(server) })).status).toBe(200);
    });
  });

  describe('create', () => {
    it('numbers databases in sequence, answers the new BDB object with its action, and lists it', async () => {
      const first = await create(server);
      const second = await create(server);
      expect(second.uid).toBe(first.uid + 1);
      expect(first).toMatchObject({ status: 'pending', memory_size: 104857600, type: 'redis', action_uid: expect.any(String) });
      await expectSchemaValid('cluster_create_bdb', { status: 200, json: first } as Answer);
      expect(await uids(server)).toEqual(expect.arrayContaining([first.uid, second.uid]));
    });

    it('accepts an explicit uid, refuses it a second time with 409 uid_exists, and numbers around it', async () => {
      const next = (await create(server)).uid as number;
      const explicit = await call(server, 'POST', '/v1/bdbs', { body: bdb({ uid: next + 1 }) });
      expect(explicit.status).toBe(200);
      expect(explicit.json.uid).toBe(next + 1);
      expectError(await call(server, 'POST', '/v1/bdbs', { body: bdb({ uid: next + 1 }) }), 409, 'uid_exists');
      expectError(await call(server, 'POST', '/v2/bdbs', { body: { bdb: bdb({ uid: next + 1 }) } }), 409, 'uid_exists');
      expect((await create(server)).uid).toBe(next + 2);
    });

    it('answers a create without name or memory_size 406 with the documented error codes', async () => {
      expectError(await call(server, 'POST', '/v1/bdbs', { body: { memory_size: 104857600 } }), 406, 'missing_db_name');
      expectError(await call(server, 'POST', '/v1/bdbs', { body: { name: name() } }), 406, 'missing_memory_size');
      expectError(await call(server, 'POST', '/v2/bdbs', { body: { bdb: { memory_size: 104857600 } } }), 406, 'missing_db_name');
      expectError(await call(server, 'POST', '/v2/bdbs', { body: { bdb: { name: name() } } }), 406, 'missing_memory_size');
      expectError(await call(server, 'POST', '/v2/bdbs', { body: {} }), 406, 'missing_db_name');
    });

    it('answers broken cross-field rules 406 with their documented error codes', async () => {
      expectError(await call(server, 'POST', '/v1/bdbs', { body: bdb({ data_persistence: 'snapshot' }) }), 406, 'invalid_data_persistence');
      expectError(await call(server, 'POST', '/v1/bdbs', { body: bdb({ shards_count: 2 }) }), 406, 'invalid_sharding');
      expectError(await call(server, 'POST', '/v1/bdbs', { body: bdb({ sharding: true, shard_key_regex: [{ regex: '.*' }] }) }), 406, 'invalid_sharding');
      expectError(await call(server, 'POST', '/v1/bdbs', { body: bdb({ oss_cluster: true, hash_slots_policy: 'legacy' }) }), 406, 'invalid_oss_cluster_configuration');
      expectError(await call(server, 'POST', '/v1/bdbs', { body: bdb({ tags: [{ key: 'env', value: 'a' }, { key: 'env', value: 'b' }] }) }), 406, 'invalid_bdb_tags');
      expectError(await call(server, 'POST', '/v1/bdbs', { body: bdb({ port: 9443 }) }), 406, 'port_unavailable');
      expectError(await call(server, 'POST', '/v1/bdbs', { body: bdb({ memory_size: 2 ** 41 }) }), 406, 'insufficient_resources');
      const taken = await create(server, { port: 15001 });
      expect(taken.port).toBe(15001);
      expectError(await call(server, 'POST', '/v1/bdbs', { body: bdb({ port: 15001 }) }), 406, 'port_unavailable');
      const valid = await create(server, { data_persistence: 'snapshot', snapshot_policy: [{ secs: 3600, writes: 1 }], shards_count: 2, sharding: true, shard_key_regex: [{ regex: '.*\\{(?<tag>.*)\\}.*' }, { regex: '(?<tag>.*)' }] });
      expect(valid).toMatchObject({ shards_count: 2, sharding: true, data_persistence: 'snapshot' });
    });

    it('refuses a schema-invalid body, malformed JSON and another media type with 400', async () => {
      expectError(await call(server, 'POST', '/v1/bdbs', { body: bdb({ memory_size: 'big' }) }), 400, 'invalid_schema');
      expectError(await call(server, 'POST', '/v1/bdbs', { body: bdb({ name: 'not a valid name!' }) }), 400, 'invalid_schema');
      expectError(await call(server, 'POST', '/v1/bdbs', { body: '{"unterminated": ' }), 400);
      expectError(await call(server, 'POST', '/v1/bdbs', { body: JSON.stringify(bdb()), headers: { 'content-type': 'text/plain' } }), 400);
      expectError(await call(server, 'GET', '/v1/bdbs/not-a-number'), 400);
    });

    it('creates through v2 with the database under bdb', async () => {
      const res = await call(server, 'POST', '/v2/bdbs', { body: { bdb: bdb({ shards_count: 1 }), recovery_plan: { data_files: [{ shard_slots: '0-16383', node_uid: '1', filename: 'redis-4.rdb' }] } } });
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ uid: expect.any(Number), status: 'pending', shards_count: 1 });
      const { states } = await untilActive(server, res.json.uid);
      expect(states).toEqual(['pending', 'active']);
    });

    it('refuses a recovery plan that does not match shards_count with 406, as documented', async () => {
      const file = (slots: string) => ({ shard_slots: slots, node_uid: '1', filename: `redis-${slots}.rdb` });
      const before = (await call(server, 'GET', '/v1/bdbs')).json.length;
      expectError(await call(server, 'POST', '/v2/bdbs', { body: { bdb: bdb({ shards_count: 1 }), recovery_plan: { data_files: [file('0-8191'), file('8192-16383')] } } }), 406, 'invalid_recovery_plan');
      expectError(await call(server, 'POST', '/v2/bdbs', { body: { bdb: bdb(), recovery_plan: { data_files: [] } } }), 406, 'invalid_recovery_plan');
      expectError(await call(server, 'POST', '/v2/bdbs', { body: { bdb: bdb({ sharding: true, shards_count: 2, shard_key_regex: [{ regex: '(?<tag>.*)' }] }), recovery_plan: { data_files: [file('0-16383')] } } }), 406, 'invalid_recovery_plan');
      expectError(await call(server, 'POST', '/v2/bdbs?dry_run', { body: { bdb: bdb(), recovery_plan: { original_bdb_shards: [] } } }), 406, 'invalid_recovery_plan');
      expect((await call(server, 'GET', '/v1/bdbs')).json.length).toBe(before);
      // Two files for two shards, one original master (its replica aside) for one shard, or no data at all: accepted.
      const two = await call(server, 'POST', '/v2/bdbs?dry_run', { body: { bdb: bdb({ sharding: true, shards_count: 2, shard_key_regex: [{ regex: '(?<tag>.*)' }] }), recovery_plan: { data_files: [file('0-8191'), file('8192-16383')] } } });
      expect(two.status).toBe(200);
      const originals = [{ assigned_slots: '0-16383', node_uid: '1', role: 'master', uid: '1' }, { assigned_slots: '0-16383', node_uid: '2', role: 'slave', uid: '2' }];
      expect((await call(server, 'POST', '/v2/bdbs?dry_run', { body: { bdb: bdb({ replication: true }), recovery_plan: { original_bdb_shards: originals } } })).status).toBe(200);
      expect((await call(server, 'POST', '/v2/bdbs?dry_run', { body: { bdb: bdb(), recovery_plan: { recover_without_data: true } } })).status).toBe(200);
    });

    it('keeps write-only passwords out of every answer', async () => {
      const secret = 'very-secret-password-42';
      const db = await create(server, { authentication_redis_pass: secret, authentication_admin_pass: secret });
      expect(JSON.stringify(db)).not.toContain(secret);
      expect((await call(server, 'GET', `/v1/bdbs/${db.uid}`)).text).not.toContain(secret);
      expect((await call(server, 'GET', '/v1/bdbs')).text).not.toContain(secret);
    });
  });

  describe('dry_run', () => {
    it('validates a create and creates nothing', async () => {
      const before = await uids(server);
      const res = await call(server, 'POST', '/v1/bdbs?dry_run=true', { body: bdb() });
      expect(res.status).toBe(200);
      expect(res.json.uid).toEqual(expect.any(Number));
      expect(res.json.status).toBeUndefined();
      expect(res.json.action_uid).toBeUndefined();
      await expectSchemaValid('cluster_create_bdb', res);
      // A bare flag is a dry run too; an invalid dry run is refused like a real create.
      expect((await call(server, 'POST', '/v2/bdbs?dry_run', { body: { bdb: bdb() } })).status).toBe(200);
      expectError(await call(server, 'POST', '/v1/bdbs?dry_run=true', { body: { memory_size: 1 } }), 406, 'missing_db_name');
      expect(await uids(server)).toEqual(before);
      expect(redisEnterprise.resources[0]!.idFrom(res.json)).toBeUndefined();
      // The uid the dry run showed is the one the next create gets.
      expect((await create(server)).uid).toBe(res.json.uid);
    });

    it('with dry_run=false, creates', async () => {
      const res = await call(server, 'POST', '/v1/bdbs?dry_run=false', { body: bdb() });
      expect(res.json.status).toBe('pending');
      expect(await uids(server)).toContain(res.json.uid);
    });

    it('validates an update and changes nothing', async () => {
      const db = await create(server);
      await untilActive(server, db.uid);
      const before = await call(server, 'GET', `/v1/bdbs/${db.uid}`);
      const res = await call(server, 'PUT', `/v1/bdbs/${db.uid}?dry_run=true`, { body: { memory_size: 314572800, replication: true } });
      expect(res.status).toBe(200);
      expect(res.json).toMatchObject({ uid: db.uid, memory_size: 314572800, replication: true });
      expect(res.json.action_uid).toBeUndefined();
      expectError(await call(server, 'PUT', `/v1/bdbs/${db.uid}/flush?dry_run`, { body: { data_persistence: 'snapshot' } }), 406, 'invalid_data_persistence');
      expect((await call(server, 'GET', `/v1/bdbs/${db.uid}`)).json).toEqual(before.json);
    });
  });

  describe('fields and extended', () => {
    it('returns only the named fields, in the list and for one database', async () => {
      const db = await create(server, { search: { 'search-timeout': 1000 } });
      const list = await call(server, 'GET', '/v1/bdbs?fields=uid,name');
      expect(list.status).toBe(200);
      for (const item of list.json as Body[]) expect(Object.keys(item).sort()).toEqual(['name', 'uid']);
      const one = await call(server, 'GET', `/v1/bdbs/${db.uid}?fields=memory_size,status,backup_location`);
      expect(one.json).toEqual({ memory_size: 104857600, status: expect.any(String) });
      expectError(await call(server, 'GET', '/v1/bdbs?fields=no_such_field'), 400);
    });

    it('includes module configuration only with extended=true', async () => {
      const db = await create(server, { search: { 'search-timeout': 1000 } });
      expect((await call(server, 'GET', `/v1/bdbs/${db.uid}`)).json.search).toBeUndefined();
      expect((await call(server, 'GET', `/v1/bdbs/${db.uid}?extended=true`)).json.search).toEqual({ 'search-timeout': 1000 });
    });

    it('answers the list as an unpaginated array that validates against the spec', async () => {
      const res = await call(server, 'GET', '/v1/bdbs');
      expect(Array.isArray(res.json)).toBe(true);
      expect(res.json.map((b: Body) => b.uid)).toContain(1);
      await expectSchemaValid('cluster_get_bdbs', res);
    });
  });

  describe('updates and actions', () => {
    it('moves an update through active-change-pending to active, with an action that completes', async () => {
      const db = await create(server);
      const creation = await call(server, 'GET', `/v1/actions/${db.action_uid}`);
      expect(creation.json).toMatchObject({ action_uid: db.action_uid, name: 'SMCreateBDB', object_name: `bdb:${db.uid}` });
      await untilActive(server, db.uid);
      const updated = await call(server, 'PUT', `/v1/bdbs/${db.uid}`, { body: { memory_size: 209715200, replication: true, tags: [{ key: 'env', value: 'ci' }] } });
      expect(updated.status).toBe(200);
      expect(updated.json).toMatchObject({ uid: db.uid, status: 'active-change-pending', memory_size: 209715200, replication: true, action_uid: expect.any(String) });
      expect(updated.json.action_uid).not.toBe(db.action_uid);
      const running = await call(server, 'GET', `/v1/actions/${updated.json.action_uid}`);
      expect(running.json).toMatchObject({ name: 'SMUpdateBDB', status: expect.stringMatching(/^(pending|active)$/) });
      expect(running.json.progress).toBeLessThan(100);
      const { states, last } = await untilActive(server, db.uid);
      expect(states).toEqual(['active-change-pending', 'active']);
      // Validated after the polling: the first compile of the BDB schema can outlast the 200 ms change on a busy machine.
      await expectSchemaValid('cluster_update_bdb', updated);
      expect(last.json).toMatchObject({ memory_size: 209715200, replication: true, tags: [{ key: 'env', value: 'ci' }] });
      const done = await call(server, 'GET', `/v1/actions/${updated.json.action_uid}`);
      expect(done.json).toMatchObject({ status: 'completed', progress: 100 });
      await expectSchemaValid('cluster_get_action', done);
    });

    it('answers a change or a delete of a busy database 409 busy, and accepts it once active', async () => {
      const db = await create(server);
      expectError(await call(server, 'PUT', `/v1/bdbs/${db.uid}`, { body: { memory_size: 209715200 } }), 409, 'busy');
      await untilActive(server, db.uid);
      expect((await call(server, 'PUT', `/v1/bdbs/${db.uid}`, { body: { memory_size: 209715200 } })).status).toBe(200);
      expectError(await call(server, 'PUT', `/v1/bdbs/${db.uid}`, { body: { memory_size: 314572800 } }), 409, 'busy');
      expectError(await call(server, 'PUT', `/v1/bdbs/${db.uid}/flush`, { body: {} }), 409, 'busy');
      expectError(await call(server, 'DELETE', `/v1/bdbs/${db.uid}`), 409, 'busy');
      const { last } = await untilActive(server, db.uid);
      expect(last.json.memory_size).toBe(209715200);
      expect((await call(server, 'PUT', `/v1/bdbs/${db.uid}`, { body: { memory_size: 314572800 } })).status).toBe(200);
    });

    it('runs flush and reset_admin_pass as changes with their own action', async () => {
      const db = await create(server, { authentication_admin_pass: 'admin-pass-before-1' });
      await untilActive(server, db.uid);
      for (const action of ['flush', 'reset_admin_pass']) {
        const res = await call(server, 'PUT', `/v1/bdbs/${db.uid}/${action}`, { body: { email_alerts: action === 'flush' } });
        expect(res.status).toBe(200);
        expect(res.json).toMatchObject({ status: 'active-change-pending', email_alerts: action === 'flush', action_uid: expect.any(String) });
        expect(res.text).not.toContain('admin-pass-before-1');
        await untilActive(server, db.uid);
        expect((await call(server, 'GET', `/v1/actions/${res.json.action_uid}`)).json.status).toBe('completed');
      }
      // The docs list 200/403/404/406/409 here: an unknown action is no such action (404), not a schema error.
      expectError(await call(server, 'PUT', `/v1/bdbs/${db.uid}/no_such_action`, { body: {} }), 404, 'not_found');
      expectError(await call(server, 'PUT', `/v1/bdbs/${db.uid}/no_such_action`, { body: {}, as: viewer(server) }), 403);
    });

    it('changes the sharding rules only with the flush action', async () => {
      const db = await create(server, { sharding: true, shards_count: 2, shard_key_regex: [{ regex: '.*\\{(?<tag>.*)\\}.*' }, { regex: '(?<tag>.*)' }] });
      await untilActive(server, db.uid);
      const rules = [{ regex: '(?<tag>.*)' }];
      expectError(await call(server, 'PUT', `/v1/bdbs/${db.uid}`, { body: { shard_key_regex: rules } }), 406, 'invalid_sharding');
      expect((await call(server, 'PUT', `/v1/bdbs/${db.uid}/flush`, { body: { shard_key_regex: rules } })).status).toBe(200);
      expect((await untilActive(server, db.uid)).last.json.shard_key_regex).toEqual(rules);
    });

    it('refuses a stale cluster-state-id and a change of the database type with 406', async () => {
      const db = await create(server);
      await untilActive(server, db.uid);
      expectError(await call(server, 'PUT', `/v1/bdbs/${db.uid}`, { body: { memory_size: 209715200 }, headers: { 'cluster-state-id': '999999' } }), 406, 'wrong_cluster_state_id');
      expectError(await call(server, 'PUT', `/v1/bdbs/${db.uid}`, { body: { type: 'memcached' } }), 406, 'invalid_update');
    });

    it('answers an unknown database or action 404', async () => {
      expectError(await call(server, 'GET', '/v1/bdbs/900000001'), 404, 'not_found');
      expectError(await call(server, 'PUT', '/v1/bdbs/900000001', { body: { memory_size: 1 } }), 404);
      expectError(await call(server, 'PUT', '/v1/bdbs/900000001/flush', { body: {} }), 404);
      expectError(await call(server, 'GET', '/v1/actions/00000000-0000-4000-8000-000000000001'), 404);
    });
  });

  describe('delete', () => {
    it('moves a deleted database through delete-pending until it is gone', async () => {
      const db = await create(server);
      await untilActive(server, db.uid);
      const res = await call(server, 'DELETE', `/v1/bdbs/${db.uid}`);
      expect(res.status).toBe(200);
      expect(res.text).toBe('');
      expect((await call(server, 'GET', `/v1/bdbs/${db.uid}`)).json.status).toBe('delete-pending');
      expectError(await call(server, 'DELETE', `/v1/bdbs/${db.uid}`), 409, 'busy');
      await poll(server, db.uid, (r) => r.status === 404);
      expect(await uids(server)).not.toContain(db.uid);
      expectError(await call(server, 'PUT', `/v1/bdbs/${db.uid}`, { body: { memory_size: 1 } }), 404);
    });

    it('answers a delete of an unknown database 404', async () => {
      expectError(await call(server, 'DELETE', '/v1/bdbs/900000002'), 404, 'not_found');
    });
  });

  describe('routing', () => {
    it('answers another method on a known path 405 with an Allow header', async () => {
      const res = await call(server, 'PATCH', '/v1/bdbs/1', { body: {} });
      expectError(res, 405, 'method_not_allowed');
      expect(res.headers.get('allow')).toBe('GET, PUT, DELETE');
      expectError(await call(server, 'DELETE', '/v1/bdbs'), 405);
    });

    it('answers an unknown path 404', async () => {
      expectError(await call(server, 'GET', '/v1/nodes'), 404, 'not_found');
    });
  });
});

describe('Redis Enterprise reference server faults', () => {
  it('dry-run-creates: a dry-run create creates the database', async () => {
    const server = await start(['dry-run-creates']);
    try {
      const before = await uids(server);
      const res = await call(server, 'POST', '/v1/bdbs?dry_run=true', { body: bdb() });
      expect(res.json.status).toBe('pending');
      expect(await uids(server)).toEqual([...before, res.json.uid]);
    } finally {
      await server.close();
    }
  });

  it('viewer-can-delete: db_viewer deletes a database', async () => {
    const server = await start(['viewer-can-delete']);
    try {
      const db = await create(server);
      await untilActive(server, db.uid);
      expect((await call(server, 'DELETE', `/v1/bdbs/${db.uid}`, { as: viewer(server) })).status).toBe(200);
      expect((await call(server, 'GET', `/v1/bdbs/${db.uid}`)).json.status).toBe('delete-pending');
      // Other writes stay forbidden.
      expectError(await call(server, 'POST', '/v1/bdbs', { as: viewer(server), body: bdb() }), 403);
    } finally {
      await server.close();
    }
  });

  it('fields-ignored: fields returns every field', async () => {
    const server = await start(['fields-ignored']);
    try {
      const list = await call(server, 'GET', '/v1/bdbs?fields=uid');
      expect(Object.keys(list.json[0])).toEqual(expect.arrayContaining(['uid', 'name', 'memory_size', 'status']));
      expect(Object.keys((await call(server, 'GET', '/v1/bdbs/1?fields=name')).json).length).toBeGreaterThan(1);
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
  const dir = mkdtempSync(join(tmpdir(), 'conformance-redis-'));
  const out: string[] = [];
  const code = await main(['run', '--provider', 'redis-enterprise', '--seed', '1', '--examples', '5', '--report-dir', dir, ...extra], { out: (s) => out.push(s), err: (s) => out.push(s) });
  return { code, report: JSON.parse(readFileSync(join(dir, 'conformance.json'), 'utf8')) };
}

const failed = (results: Result[]) => [...new Set(results.filter((r) => r.outcome === 'failed').map((r) => `${r.check} ${r.operationId}`))].sort();

describe('conformance run against the Redis Enterprise reference server', () => {
  it('passes and exercises every operation', async () => {
    const { code, report } = await run();
    expect(failed(report.results)).toEqual([]);
    expect(code).toBe(0);
    const { operations } = await spec;
    expect(report.summary).toMatchObject({ operations: operations.length, operationsExercised: operations.length });
  });

  it.each([
    ['dry-run-creates', ['dry-run-no-side-effect cluster_create_bdb']],
    ['viewer-can-delete', ['role-enforcement cluster_delete_bdb']],
    ['fields-ignored', ['fields-projection cluster_get_bdb', 'fields-projection cluster_get_bdbs']],
  ])('%s: the run fails exactly %j', async (fault, expected) => {
    const { code, report } = await run('--fault', fault);
    expect(code).toBe(1);
    expect(failed(report.results)).toEqual(expected);
  });
});
