import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgresServer } from '../../fixtures/ionos-postgresql/server.ts';
import { seedBackups } from '../../fixtures/ionos-postgresql/seed.ts';

type Body = Record<string, any>;
type Server = Awaited<ReturnType<typeof startPostgresServer>>;

const CREDENTIALS = { username: 'pg-tester', password: 'pg-test-password-1', token: 'pg-test-token-0123456789' };
const basic = (username: string, password: string) => `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
const AUTH = { authorization: basic(CREDENTIALS.username, CREDENTIALS.password) };
const UNKNOWN_ID = '00000000-0000-4000-8000-000000000001';

async function start(): Promise<Server> {
  return startPostgresServer({ ...CREDENTIALS, readyDelayMs: 100 });
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
  const res = await fetch(`${server.url}${path}`, { method, headers, body: options.body === undefined ? undefined : typeof options.body === 'string' ? options.body : JSON.stringify(options.body) });
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

function clusterBody(displayName: string): Body {
  return {
    properties: {
      postgresVersion: '15',
      instances: 1,
      cores: 1,
      ram: 2048,
      storageSize: 2048,
      storageType: 'SSD',
      connections: [{ datacenterId: '5a029f4a-72e5-41ec-90d6-0242ac120003', lanId: '1', cidr: '10.1.1.1/24' }],
      location: 'de/fra',
      displayName,
      credentials: { username: 'owner', password: 'owner-password-1' },
      synchronizationMode: 'ASYNCHRONOUS',
    },
  };
}

async function createCluster(server: Server, displayName: string): Promise<Body> {
  const res = await call(server, 'POST', '/clusters', { body: clusterBody(displayName) });
  expect(res.status).toBe(200);
  return res.json;
}

/** Reads the cluster until `done` holds for the answer; returns every state seen in order. */
async function pollCluster(server: Server, id: string, done: (res: Answer) => boolean): Promise<{ states: string[]; last: Answer }> {
  const states: string[] = [];
  for (let i = 0; i < 400; i++) {
    const res = await call(server, 'GET', `/clusters/${id}`);
    const state = res.json.metadata?.state as string | undefined;
    if (state && states.at(-1) !== state) states.push(state);
    if (done(res)) return { states, last: res };
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`cluster ${id} never reached the expected state (states seen: ${states.join(' -> ')})`);
}

const unique = () => randomBytes(4).toString('hex');

describe('IONOS PostgreSQL reference server', () => {
  let server: Server;

  beforeAll(async () => {
    server = await start();
  });

  afterAll(async () => {
    await server.close();
  });

  describe('authentication', () => {
    it('refuses a request without credentials with a 401 envelope', async () => {
      expectEnvelope(await call(server, 'GET', '/clusters', { auth: false }), 401);
    });

    it('refuses wrong basic credentials and a wrong bearer token with a 401 envelope', async () => {
      expectEnvelope(await call(server, 'GET', '/clusters', { auth: false, headers: { authorization: basic(CREDENTIALS.username, 'wrong-password') } }), 401);
      expectEnvelope(await call(server, 'GET', '/clusters', { auth: false, headers: { authorization: basic('someone-else', CREDENTIALS.password) } }), 401);
      expectEnvelope(await call(server, 'GET', '/clusters', { auth: false, headers: { authorization: 'Bearer wrong-token-0000' } }), 401);
      expectEnvelope(await call(server, 'GET', '/clusters', { auth: false, headers: { authorization: 'Basic !!not-base64' } }), 401);
    });

    it('accepts both the basic credentials and the bearer token', async () => {
      const viaBasic = await call(server, 'GET', '/clusters');
      expect(viaBasic.status).toBe(200);
      expect(viaBasic.json.type).toBe('collection');
      const viaToken = await call(server, 'GET', '/clusters', { auth: false, headers: { authorization: `Bearer ${CREDENTIALS.token}` } });
      expect(viaToken.status).toBe(200);
      expect(viaToken.json.type).toBe('collection');
    });
  });

  describe('errors', () => {
    it('answers an unknown cluster with a 404 envelope', async () => {
      expectEnvelope(await call(server, 'GET', `/clusters/${UNKNOWN_ID}`), 404);
      expectEnvelope(await call(server, 'DELETE', `/clusters/${UNKNOWN_ID}`), 404);
      expectEnvelope(await call(server, 'GET', `/clusters/${UNKNOWN_ID}/users`), 404);
    });

    it('answers an unsupported method on a known path with 405, an Allow header and an envelope', async () => {
      const res = await call(server, 'PUT', '/clusters', { body: {} });
      expectEnvelope(res, 405);
      expect(res.headers.get('allow')).toBe('GET, POST');
    });

    it('answers an unknown path with a 404 envelope', async () => {
      expectEnvelope(await call(server, 'GET', '/no-such-path'), 404);
    });

    it('answers as the vendor documents: 400 for a body that does not parse, 422 for a request that fails validation', async () => {
      expectEnvelope(await call(server, 'POST', '/clusters', { body: '{"properties":' }), 400);
      expectEnvelope(await call(server, 'POST', '/clusters', { body: {} }), 422);
      const noVersion = clusterBody('x');
      delete noVersion.properties.postgresVersion;
      expectEnvelope(await call(server, 'POST', '/clusters', { body: noVersion }), 422);
      expectEnvelope(await call(server, 'POST', '/clusters', { body: { properties: { ...clusterBody('x').properties, ram: 3000 } } }), 422);
      expectEnvelope(await call(server, 'GET', '/clusters/not-a-uuid'), 422);
    });
  });

  describe('cluster lifecycle', () => {
    it('goes BUSY -> AVAILABLE, then DESTROYING on delete, then 404', async () => {
      const created = await createCluster(server, `life-${unique()}`);
      expect(created.type).toBe('cluster');
      expect(created.metadata.state).toBe('BUSY');
      expect(created.properties).not.toHaveProperty('credentials');
      const ready = await pollCluster(server, created.id, (res) => res.json.metadata?.state === 'AVAILABLE');
      expect(ready.states).toEqual(['BUSY', 'AVAILABLE'].slice(ready.states[0] === 'BUSY' ? 0 : 1));
      const deleted = await call(server, 'DELETE', `/clusters/${created.id}`);
      expect(deleted.status).toBe(200);
      expect(deleted.json.metadata.state).toBe('DESTROYING');
      const gone = await pollCluster(server, created.id, (res) => res.status === 404);
      expect(gone.states.every((s) => s === 'DESTROYING')).toBe(true);
      expectEnvelope(gone.last, 404);
      const list = await call(server, 'GET', '/clusters?limit=1000');
      expect(list.json.items.map((c: Body) => c.id)).not.toContain(created.id);
    });

    it('applies a patch and goes BUSY again', async () => {
      const created = await createCluster(server, `patch-${unique()}`);
      await pollCluster(server, created.id, (res) => res.json.metadata?.state === 'AVAILABLE');
      const patched = await call(server, 'PATCH', `/clusters/${created.id}`, { body: { properties: { displayName: 'renamed', cores: 2 } } });
      expect(patched.status).toBe(200);
      expect(patched.json.metadata.state).toBe('BUSY');
      const read = await call(server, 'GET', `/clusters/${created.id}`);
      expect(read.json.properties).toMatchObject({ displayName: 'renamed', cores: 2, postgresVersion: '15' });
    });
  });

  describe('users and databases', () => {
    let a: Body;
    let b: Body;
    const user = `user_${unique()}`;
    const database = `db_${unique()}`;

    beforeAll(async () => {
      a = await createCluster(server, `owner-a-${unique()}`);
      b = await createCluster(server, `owner-b-${unique()}`);
      const createdUser = await call(server, 'POST', `/clusters/${a.id}/users`, { body: { properties: { username: user, password: 'user-password-1' } } });
      expect(createdUser.status).toBe(201);
      expect(createdUser.json.properties).toEqual({ username: user, system: false });
      const createdDb = await call(server, 'POST', `/clusters/${a.id}/databases`, { body: { properties: { name: database, owner: user } } });
      expect(createdDb.status).toBe(201);
      expect(createdDb.json.properties).toEqual({ name: database, owner: user });
    });

    it('a user is found under its own cluster and not under another one', async () => {
      const own = await call(server, 'GET', `/clusters/${a.id}/users/${user}`);
      expect(own.status).toBe(200);
      expect(own.json.properties.username).toBe(user);
      expect(own.json.href).toBe(`${server.url}/clusters/${a.id}/users/${user}`);
      expect(own.text).not.toContain('user-password-1');
      expectEnvelope(await call(server, 'GET', `/clusters/${b.id}/users/${user}`), 404);
      expectEnvelope(await call(server, 'PATCH', `/clusters/${b.id}/users/${user}`, { body: { properties: { password: 'another-password-1' } } }), 404);
      expectEnvelope(await call(server, 'DELETE', `/clusters/${b.id}/users/${user}`), 404);
      const listB = await call(server, 'GET', `/clusters/${b.id}/users?system=false`);
      expect(listB.json.items.map((u: Body) => u.properties.username)).not.toContain(user);
      const listA = await call(server, 'GET', `/clusters/${a.id}/users?system=false`);
      expect(listA.json.items.map((u: Body) => u.properties.username)).toContain(user);
    });

    it('a database is found under its own cluster and not under another one', async () => {
      const own = await call(server, 'GET', `/clusters/${a.id}/databases/${database}`);
      expect(own.status).toBe(200);
      expect(own.json.properties).toEqual({ name: database, owner: user });
      expectEnvelope(await call(server, 'GET', `/clusters/${b.id}/databases/${database}`), 404);
      expectEnvelope(await call(server, 'DELETE', `/clusters/${b.id}/databases/${database}`), 404);
      expect((await call(server, 'GET', `/clusters/${b.id}/databases`)).json.items).toEqual([]);
      expect((await call(server, 'GET', `/clusters/${a.id}/databases`)).json.items.map((d: Body) => d.properties.name)).toEqual([database]);
    });

    it('the system user postgres cannot be changed or deleted', async () => {
      expectEnvelope(await call(server, 'DELETE', `/clusters/${a.id}/users/postgres`), 422);
      expectEnvelope(await call(server, 'PATCH', `/clusters/${a.id}/users/postgres`, { body: { properties: { password: 'another-password-1' } } }), 422);
    });

    it('lists system users only when system=true, and then besides the others (as the spec documents)', async () => {
      const names = async (query: string) => (await call(server, 'GET', `/clusters/${a.id}/users${query}`)).json.items.map((u: Body) => u.properties.username) as string[];
      // "Returns a page of the cluster's login users; system users only when `system=true`."
      expect(await names('')).not.toContain('postgres');
      expect(await names('?system=false')).not.toContain('postgres');
      // system: "When true, system users ... are included."
      expect(await names('?system=true')).toEqual(expect.arrayContaining(['postgres', user]));
    });

    it('deleting a database and a user answers 204 without a body, then 404', async () => {
      const extra = `tmp_${unique()}`;
      expect((await call(server, 'POST', `/clusters/${b.id}/users`, { body: { properties: { username: extra, password: 'user-password-2' } } })).status).toBe(201);
      expect((await call(server, 'POST', `/clusters/${b.id}/databases`, { body: { properties: { name: extra, owner: extra } } })).status).toBe(201);
      const dbDelete = await call(server, 'DELETE', `/clusters/${b.id}/databases/${extra}`);
      expect([dbDelete.status, dbDelete.text]).toEqual([204, '']);
      expectEnvelope(await call(server, 'GET', `/clusters/${b.id}/databases/${extra}`), 404);
      const userDelete = await call(server, 'DELETE', `/clusters/${b.id}/users/${extra}`);
      expect([userDelete.status, userDelete.text]).toEqual([204, '']);
      expectEnvelope(await call(server, 'GET', `/clusters/${b.id}/users/${extra}`), 404);
    });

    it('refuses a second user of the same name with 422', async () => {
      expectEnvelope(await call(server, 'POST', `/clusters/${a.id}/users`, { body: { properties: { username: user, password: 'user-password-1' } } }), 422);
    });
  });

  describe('logs', () => {
    let cluster: Body;
    beforeAll(async () => {
      cluster = await createCluster(server, `logs-${unique()}`);
    });

    it('honours limit, 100 by default', async () => {
      const five = await call(server, 'GET', `/clusters/${cluster.id}/logs?limit=5`);
      expect(five.status).toBe(200);
      expect(five.json.instances).toHaveLength(1);
      expect(five.json.instances[0].messages).toHaveLength(5);
      const byDefault = await call(server, 'GET', `/clusters/${cluster.id}/logs`);
      expect(byDefault.json.instances[0].messages).toHaveLength(100);
    });

    it('honours direction: FORWARD is oldest first, BACKWARD (the default) newest first', async () => {
      const times = async (query: string) => ((await call(server, 'GET', `/clusters/${cluster.id}/logs${query}`)).json.instances[0].messages as Body[]).map((m) => Date.parse(m.time));
      const forward = await times('?direction=FORWARD&limit=10');
      const backward = await times('?direction=BACKWARD&limit=10');
      const byDefault = await times('?limit=10');
      expect(forward).toEqual([...forward].sort((x, y) => x - y));
      expect(backward).toEqual([...backward].sort((x, y) => y - x));
      expect(byDefault).toEqual(backward);
      expect(forward[0]).toBeLessThan(backward[0]!);
    });

    it('keeps lines inside the window and refuses start after end', async () => {
      const start = '2026-01-01T00:00:00Z';
      const end = '2026-01-02T00:00:00Z';
      const res = await call(server, 'GET', `/clusters/${cluster.id}/logs?start=${start}&end=${end}&direction=FORWARD&limit=500`);
      const times = (res.json.instances[0].messages as Body[]).map((m) => Date.parse(m.time));
      expect(times.every((t) => t >= Date.parse(start) && t <= Date.parse(end))).toBe(true);
      expectEnvelope(await call(server, 'GET', `/clusters/${cluster.id}/logs?start=${end}&end=${start}`), 422);
      expectEnvelope(await call(server, 'GET', `/clusters/${cluster.id}/logs?limit=0`), 422);
    });
  });
});

describe('IONOS PostgreSQL reference server: backups', () => {
  let server: Server;
  beforeAll(async () => {
    server = await start();
  });
  afterAll(async () => {
    await server.close();
  });

  it('serves the seeded backups of clusters that no longer exist', async () => {
    const seeded = seedBackups();
    const list = await call(server, 'GET', '/clusters/backups');
    expect(list.status).toBe(200);
    expect(list.json.items.map((b: Body) => b.id)).toEqual(seeded.map((b) => b.id));
    for (const item of list.json.items as Body[]) expect(item.properties.isActive).toBe(false);
    const one = await call(server, 'GET', `/clusters/backups/${seeded[0]!.id}`);
    expect(one.status).toBe(200);
    expect(one.json).toMatchObject({ type: 'backup', id: seeded[0]!.id, properties: { clusterId: seeded[0]!.clusterId } });
    expectEnvelope(await call(server, 'GET', '/clusters/backups/no-such-backup'), 404);
  });

  it('a new cluster gets a backup of its own, listed under the cluster, and can be restored from it', async () => {
    const cluster = await createCluster(server, 'with-backup');
    const own = await call(server, 'GET', `/clusters/${cluster.id}/backups`);
    expect(own.status).toBe(200);
    expect(own.json.items).toHaveLength(1);
    expect(own.json.items[0].properties).toMatchObject({ clusterId: cluster.id, isActive: true });
    const restore = await call(server, 'POST', `/clusters/${cluster.id}/restore`, { body: { backupId: own.json.items[0].id } });
    expect([restore.status, restore.text]).toEqual([202, '']);
    expectEnvelope(await call(server, 'POST', `/clusters/${cluster.id}/restore`, { body: { backupId: 'no-such-backup' } }), 404);
  });
});

describe('IONOS PostgreSQL reference server: pagination and filters', () => {
  let server: Server;
  const names = ['Alpha-One', 'beta-two', 'ALPHA-three', 'gamma-four', 'alphabet-five'];
  let ids: string[] = [];

  beforeAll(async () => {
    server = await start();
    ids = [];
    for (const name of names) ids.push((await createCluster(server, name)).id);
  });

  afterAll(async () => {
    await server.close();
  });

  const page = async (query: string) => call(server, 'GET', `/clusters${query}`);
  const offsetOf = (link: string | undefined) => (link === undefined ? undefined : Number(new URL(link).searchParams.get('offset')));

  it('refuses limit=0 and limit=1001 with a 422 envelope (validation), and a negative offset too', async () => {
    expectEnvelope(await page('?limit=0'), 422);
    expectEnvelope(await page('?limit=1001'), 422);
    expectEnvelope(await page('?offset=-1'), 422);
    expect((await page('?limit=1000')).status).toBe(200);
    expect((await page('?limit=1')).status).toBe(200);
  });

  it('honours offset and limit, echoing them, in creation order', async () => {
    const all = await page('');
    expect(all.json.items.map((c: Body) => c.id)).toEqual(ids);
    expect([all.json.offset, all.json.limit]).toEqual([0, 100]);
    const middle = await page('?offset=1&limit=2');
    expect(middle.json.items.map((c: Body) => c.id)).toEqual(ids.slice(1, 3));
    expect([middle.json.offset, middle.json.limit]).toEqual([1, 2]);
    expect((await page('?offset=4&limit=2')).json.items.map((c: Body) => c.id)).toEqual(ids.slice(4));
    expect((await page('?offset=5&limit=2')).json.items).toEqual([]);
  });

  it('walking the pages by their next links visits every cluster once', async () => {
    const seen: string[] = [];
    let next: string | undefined = `${server.url}/clusters?offset=0&limit=2`;
    for (let i = 0; next && i < 10; i++) {
      const res = await call(server, 'GET', next.slice(server.url.length));
      seen.push(...res.json.items.map((c: Body) => c.id));
      next = res.json.links.next;
    }
    expect(seen).toEqual(ids);
  });

  it('links: self always, prev only after the first page, next only while more follow', async () => {
    const first = (await page('?offset=0&limit=2')).json.links;
    expect([offsetOf(first.self), offsetOf(first.prev), offsetOf(first.next)]).toEqual([0, undefined, 2]);
    const second = (await page('?offset=2&limit=2')).json.links;
    expect([offsetOf(second.self), offsetOf(second.prev), offsetOf(second.next)]).toEqual([2, 0, 4]);
    const last = (await page('?offset=4&limit=2')).json.links;
    expect([offsetOf(last.self), offsetOf(last.prev), offsetOf(last.next)]).toEqual([4, 2, undefined]);
    expect(new URL(second.next).searchParams.get('limit')).toBe('2');
  });

  it('filter.name is a case-insensitive substring match on the display name', async () => {
    const filtered = async (value: string) => (await page(`?filter.name=${encodeURIComponent(value)}`)).json.items.map((c: Body) => c.properties.displayName);
    expect(await filtered('alpha')).toEqual(['Alpha-One', 'ALPHA-three', 'alphabet-five']);
    expect(await filtered('ALPHA')).toEqual(['Alpha-One', 'ALPHA-three', 'alphabet-five']);
    expect(await filtered('TWO')).toEqual(['beta-two']);
    expect(await filtered('ha-th')).toEqual(['ALPHA-three']);
    expect(await filtered('nothing-like-this')).toEqual([]);
  });

  it('filter.name combines with paging, and the next link keeps the filter', async () => {
    const first = await page('?filter.name=alpha&limit=2');
    expect(first.json.items.map((c: Body) => c.properties.displayName)).toEqual(['Alpha-One', 'ALPHA-three']);
    expect(offsetOf(first.json.links.next)).toBe(2);
    const next = await call(server, 'GET', String(first.json.links.next).slice(server.url.length));
    // The next page of a filtered list is the next page of the same filtered list.
    expect(next.json.items.map((c: Body) => c.properties.displayName)).toEqual(['alphabet-five']);
  });
});
