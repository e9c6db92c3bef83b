import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startClickHouseServer } from '../../fixtures/clickhouse-cloud/server.ts';
import { main } from '../../src/cli.ts';

type Body = Record<string, any>;

const CREDENTIALS = { username: 'key-id', password: 'key-secret', token: 'unused' };
const AUTH = `Basic ${Buffer.from('key-id:key-secret').toString('base64')}`;
const UNKNOWN = '00000000-0000-4000-8000-000000000001';

async function start(faults: string[] = []) {
  const server = await startClickHouseServer({ ...CREDENTIALS, readyDelayMs: 60, faults });
  const org = server.variables.organizationId!;
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = { authorization: AUTH }) => {
    const init: RequestInit = { method, headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) } };
    if (body !== undefined) init.body = JSON.stringify(body);
    const response = await fetch(`${server.url}/v1/organizations/${org}/services${path}`, init);
    const text = await response.text();
    const contentType = response.headers.get('content-type') ?? '';
    return { status: response.status, contentType, text, json: contentType.includes('json') && text ? (JSON.parse(text) as Body) : undefined, headers: response.headers };
  };
  return { server, org, call };
}

type Client = Awaited<ReturnType<typeof start>>;

async function create(client: Client, body: Body = {}): Promise<{ id: string; json: Body }> {
  const response = await client.call('POST', '', { name: 'analytics', provider: 'aws', region: 'us-east-1', ...body });
  expect(response.status).toBe(200);
  return { id: response.json!.result.service.id, json: response.json! };
}

/** Reads the service until its state is `wanted` (or it is gone, for 'gone'), returning the states seen. */
async function until(client: Client, id: string, wanted: string, timeoutMs = 3000): Promise<string[]> {
  const seen: string[] = [];
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const response = await client.call('GET', `/${id}`);
    const state = response.status === 404 ? 'gone' : response.json?.result?.state;
    if (seen.at(-1) !== state) seen.push(state);
    if (state === wanted) return seen;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`service ${id} did not reach ${wanted}; states seen: ${seen.join(' -> ')}`);
}

function expectEnvelope(response: { status: number; json?: Body }, status: number): void {
  expect(response.status).toBe(status);
  expect(response.json).toMatchObject({ status, error: expect.any(String), requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
}

describe('ClickHouse Cloud reference server', () => {
  let client: Client;
  beforeAll(async () => {
    client = await start();
  });
  afterAll(async () => {
    await client.server.close();
  });

  it('returns the generated organization id as a variable', () => {
    expect(client.org).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('answers requests without or with wrong basic credentials 401 with the envelope', async () => {
    expectEnvelope(await client.call('GET', '', undefined, {}), 401);
    expectEnvelope(await client.call('GET', '', undefined, { authorization: `Basic ${Buffer.from('key-id:wrong').toString('base64')}` }), 401);
    expectEnvelope(await client.call('GET', '', undefined, { authorization: 'Bearer key-secret' }), 401);
  });

  it('answers an unknown organization, service or backup 404 with the envelope', async () => {
    const response = await fetch(`${client.server.url}/v1/organizations/${UNKNOWN}/services`, { headers: { authorization: AUTH } });
    expectEnvelope({ status: response.status, json: (await response.json()) as Body }, 404);
    expectEnvelope(await client.call('GET', `/${UNKNOWN}`), 404);
    expectEnvelope(await client.call('PATCH', `/${UNKNOWN}/state`, { command: 'stop' }), 404);
    const { id } = await create(client);
    expectEnvelope(await client.call('GET', `/${id}/backups/${UNKNOWN}`), 404);
  });

  it('answers every invalid request 400, as the vendor documents: another method on a known path (with Allow), a malformed id or body', async () => {
    const response = await client.call('PUT', `/${UNKNOWN}`, {});
    expectEnvelope(response, 400);
    expect(response.headers.get('allow')).toContain('PATCH');
    expectEnvelope(await client.call('GET', '/not-a-uuid'), 400);
    expectEnvelope(await client.call('POST', '', { name: 'no region', provider: 'aws' }), 400);
    const text = await fetch(`${client.server.url}/v1/organizations/${client.org}/services`, { method: 'POST', headers: { authorization: AUTH, 'content-type': 'text/plain' }, body: '{}' });
    expectEnvelope({ status: text.status, json: (await text.json()) as Body }, 400);
  });

  it('creates a service with its password, which provisions, runs, stops and is deleted', async () => {
    const { id, json } = await create(client, { name: 'lifecycle one', tags: [{ key: 'env', value: 'ci' }] });
    expect(json).toMatchObject({ status: 200, requestId: expect.any(String), result: { service: { id, name: 'lifecycle one', state: 'provisioning' }, password: expect.any(String) } });
    expect(await until(client, id, 'running')).toEqual(['provisioning', 'running']);
    const listed = await client.call('GET', '');
    expect(listed.json!.result.map((s: Body) => s.id)).toContain(id);

    expectEnvelope(await client.call('DELETE', `/${id}`), 400);
    const stop = await client.call('PATCH', `/${id}/state`, { command: 'stop' });
    expect(stop.json!.result.state).toBe('stopping');
    expect(await until(client, id, 'stopped')).toEqual(['stopping', 'stopped']);

    const deleted = await client.call('DELETE', `/${id}`);
    expect(deleted.status).toBe(200);
    expect(deleted.json).toEqual({ status: 200, requestId: expect.any(String) });
    expect(await until(client, id, 'gone')).toEqual(['terminating', 'gone']);
    expect((await client.call('GET', '')).json!.result.map((s: Body) => s.id)).not.toContain(id);
    expectEnvelope(await client.call('PATCH', `/${id}/scaling`, { idleScaling: false }), 404);
  });

  it('starts a stopped service again', async () => {
    const { id } = await create(client);
    await until(client, id, 'running');
    await client.call('PATCH', `/${id}/state`, { command: 'stop' });
    await until(client, id, 'stopped');
    const started = await client.call('PATCH', `/${id}/state`, { command: 'start' });
    expect(started.json!.result.state).toBe('starting');
    expect(await until(client, id, 'running')).toEqual(['starting', 'running']);
  });

  it('refuses scaling values that break the cross-field rules with 400', async () => {
    const { id } = await create(client);
    expectEnvelope(await client.call('PATCH', `/${id}/replicaScaling`, { minReplicaMemoryGb: 64, maxReplicaMemoryGb: 32 }), 400);
    expectEnvelope(await client.call('PATCH', `/${id}/replicaScaling`, { maxReplicaMemoryGb: 8 }), 400);
    expectEnvelope(await client.call('PATCH', `/${id}/scaling`, { minTotalMemoryGb: 96, maxTotalMemoryGb: 48 }), 400);
    expectEnvelope(await client.call('PATCH', `/${id}/replicaScaling`, { autoscalingMode: 'horizontal', numReplicas: 3, minReplicas: 1, maxReplicas: 3 }), 400);
    expectEnvelope(await client.call('PATCH', `/${id}/replicaScaling`, { autoscalingMode: 'horizontal', minReplicas: 2 }), 400);
    expectEnvelope(await client.call('PATCH', `/${id}/replicaScaling`, { minReplicas: 1, maxReplicas: 3 }), 400);
    expectEnvelope(await client.call('PATCH', `/${id}/scaling`, { minTotalMemoryGb: 25 }), 400);
    expectEnvelope(await client.call('PATCH', `/${id}/replicaScaling`, { minReplicaMemoryGb: 10 }), 400);
    expectEnvelope(await client.call('POST', '', { name: 'wrong region', provider: 'gcp', region: 'us-east-1' }), 400);
    expectEnvelope(await client.call('POST', '', { name: 'readonly', provider: 'aws', region: 'us-east-1', isReadonly: true }), 400);
  });

  it('applies valid scaling changes, keeping total and per-replica memory consistent', async () => {
    const { id } = await create(client);
    const vertical = await client.call('PATCH', `/${id}/scaling`, { minTotalMemoryGb: 48, maxTotalMemoryGb: 96, numReplicas: 3 });
    expect(vertical.json!.result).toMatchObject({ minTotalMemoryGb: 48, maxTotalMemoryGb: 96, minReplicaMemoryGb: 16, maxReplicaMemoryGb: 32, numReplicas: 3, autoscalingMode: 'vertical' });
    const horizontal = await client.call('PATCH', `/${id}/replicaScaling`, { autoscalingMode: 'horizontal', minReplicas: 2, maxReplicas: 5 });
    expect(horizontal.json!.result).toMatchObject({ autoscalingMode: 'horizontal', minReplicas: 2, maxReplicas: 5, currentScaling: { effectiveMinReplicas: 2, effectiveMaxReplicas: 5 } });
    expect(horizontal.json!.result).not.toHaveProperty('numReplicas');
    expect(horizontal.json!.result).not.toHaveProperty('minTotalMemoryGb');
    expectEnvelope(await client.call('PATCH', `/${id}/scaling`, { minTotalMemoryGb: 48, maxTotalMemoryGb: 96 }), 400);
  });

  it('returns a generated password without a hash, and none with one', async () => {
    const { id } = await create(client);
    const generated = await client.call('PATCH', `/${id}/password`, {});
    expect(generated.json).toMatchObject({ status: 200, result: { password: expect.stringMatching(/^[A-Za-z0-9]{12,}$/) } });
    const hash = 'n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=';
    const hashed = await client.call('PATCH', `/${id}/password`, { newPasswordHash: hash, newDoubleSha1Hash: '94bdcebe19083ce2a1f959fd02f964c7af4cfc29' });
    expect(hashed.status).toBe(200);
    expect(hashed.json!.result).toEqual({});
    expect(hashed.text).not.toContain(hash);
  });

  it('serves Prometheus metrics as text/plain, a filtered subset on request', async () => {
    const { id } = await create(client, { name: 'metrics' });
    await until(client, id, 'running');
    const response = await fetch(`${client.server.url}/v1/organizations/${client.org}/services/${id}/prometheus`, { headers: { authorization: AUTH } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    const text = await response.text();
    expect(text).toContain('# TYPE ClickHouseProfileEvents_Query counter');
    expect(text).toMatch(new RegExp(`^ClickHouseProfileEvents_Query\\{clickhouse_org="${client.org}",clickhouse_service="${id}",clickhouse_service_name="metrics",hostname="[^"]+"\\} \\d+$`, 'm'));
    for (const line of text.trim().split('\n')) expect(line).toMatch(/^(# (HELP|TYPE) \w+ .+|\w+\{[^}]*\} [0-9.e+-]+)$/);
    const filtered = await (await fetch(`${client.server.url}/v1/organizations/${client.org}/services/${id}/prometheus?filtered_metrics=true`, { headers: { authorization: AUTH } })).text();
    expect(filtered.split('\n').length).toBeLessThan(text.split('\n').length);
  });

  it('lists several backups of a service, newest first, and reads one', async () => {
    const { id } = await create(client);
    const list = await client.call('GET', `/${id}/backups`);
    const backups = list.json!.result as Body[];
    expect(backups.length).toBeGreaterThanOrEqual(3);
    expect(backups.every((b) => b.serviceId === id)).toBe(true);
    expect(backups.map((b) => b.startedAt)).toEqual([...backups.map((b) => b.startedAt)].sort().reverse());
    const done = backups.find((b) => b.status === 'done')!;
    expect((await client.call('GET', `/${id}/backups/${done.id}`)).json).toMatchObject({ status: 200, result: { id: done.id, finishedAt: expect.any(String) } });
    const other = await create(client);
    expectEnvelope(await client.call('GET', `/${other.id}/backups/${done.id}`), 404);
  });

  it('reads and changes the backup configuration; null resets and a start time fixes the period', async () => {
    const { id } = await create(client);
    expect((await client.call('GET', `/${id}/backupConfiguration`)).json!.result).toEqual({ backupPeriodInHours: 24, backupRetentionPeriodInHours: 24, backupStartTime: null });
    const changed = await client.call('PATCH', `/${id}/backupConfiguration`, { backupPeriodInHours: 12, backupRetentionPeriodInHours: 72 });
    expect(changed.json!.result).toEqual({ backupPeriodInHours: 12, backupRetentionPeriodInHours: 72, backupStartTime: null });
    const timed = await client.call('PATCH', `/${id}/backupConfiguration`, { backupStartTime: '02:30' });
    expect(timed.json!.result).toEqual({ backupPeriodInHours: 24, backupRetentionPeriodInHours: 72, backupStartTime: '02:30' });
    expectEnvelope(await client.call('PATCH', `/${id}/backupConfiguration`, { backupPeriodInHours: 6 }), 400);
    const reset = await client.call('PATCH', `/${id}/backupConfiguration`, { backupRetentionPeriodInHours: null, backupStartTime: null });
    expect(reset.json!.result).toEqual({ backupPeriodInHours: 24, backupRetentionPeriodInHours: 24, backupStartTime: null });
  });

  it('filters the list by resource tags', async () => {
    const tagged = await create(client, { tags: [{ key: 'tier', value: 'gold' }, { key: 'owner', value: 'ci' }] });
    const plain = await create(client);
    const ids = async (query: string) => (await client.call('GET', query)).json!.result.map((s: Body) => s.id) as string[];
    expect(await ids('?filter=tag:tier=gold')).toEqual([tagged.id]);
    expect(await ids('?filter=tag:tier&filter=tag:owner=ci')).toEqual([tagged.id]);
    expect(await ids('?filter=tag:tier=silver')).toEqual([]);
    expect(await ids('')).toEqual(expect.arrayContaining([tagged.id, plain.id]));
    expectEnvelope(await client.call('GET', '?filter=owner'), 400);
  });

  it('updates basic details with add/remove sets and returns the private endpoint configuration', async () => {
    const { id } = await create(client, { ipAccessList: [{ source: '0.0.0.0/0' }], tags: [{ key: 'env', value: 'ci' }] });
    const updated = await client.call('PATCH', `/${id}`, {
      name: 'renamed',
      ipAccessList: { remove: [{ source: '0.0.0.0/0' }], add: [{ source: '203.0.113.0/24', description: 'office' }] },
      tags: { remove: [{ key: 'env' }], add: [{ key: 'team', value: 'data' }] },
      endpoints: [{ protocol: 'mysql', enabled: true }],
    });
    expect(updated.json!.result).toMatchObject({ name: 'renamed', ipAccessList: [{ source: '203.0.113.0/24', description: 'office' }], tags: [{ key: 'team', value: 'data' }] });
    expect(updated.json!.result.endpoints.map((e: Body) => e.protocol)).toContain('mysql');
    expectEnvelope(await client.call('PATCH', `/${id}`, { privateEndpointIds: { add: ['vpce-0123456789abcdef0'] } }), 400);
    const config = await client.call('GET', `/${id}/privateEndpointConfig`);
    expect(config.json!.result).toEqual({ endpointServiceId: expect.stringContaining('com.amazonaws.vpce.us-east-1.'), privateDnsHostname: expect.stringContaining('.vpce.aws.clickhouse.cloud') });
  });
});

describe('ClickHouse Cloud reference server faults', () => {
  it('no-envelope: a success result comes back without the {status, requestId, result} wrapper', async () => {
    const client = await start(['no-envelope']);
    try {
      const response = await client.call('POST', '', { name: 'bare', provider: 'aws', region: 'us-east-1' });
      expect(response.status).toBe(200);
      expect(response.json).not.toHaveProperty('status');
      expect(response.json).toMatchObject({ service: { id: expect.any(String) }, password: expect.any(String) });
    } finally {
      await client.server.close();
    }
  });

  it('delete-running: a running service is deleted', async () => {
    const client = await start(['delete-running']);
    try {
      const { id } = await create(client);
      await until(client, id, 'running');
      expect((await client.call('DELETE', `/${id}`)).status).toBe(200);
      await until(client, id, 'gone');
    } finally {
      await client.server.close();
    }
  });

  it('scaling-off-multiple: scaling values that are not multiples are accepted', async () => {
    const client = await start(['scaling-off-multiple']);
    try {
      const { id } = await create(client);
      const total = await client.call('PATCH', `/${id}/scaling`, { minTotalMemoryGb: 25, maxTotalMemoryGb: 50 });
      expect(total.status).toBe(200);
      expect(total.json!.result.minTotalMemoryGb).toBe(25);
      expect((await client.call('PATCH', `/${id}/replicaScaling`, { minReplicaMemoryGb: 10, maxReplicaMemoryGb: 30 })).status).toBe(200);
      // Bounds and the cross-field rules still hold.
      expectEnvelope(await client.call('PATCH', `/${id}/scaling`, { minTotalMemoryGb: 2000 }), 400);
      expectEnvelope(await client.call('PATCH', `/${id}/replicaScaling`, { minReplicaMemoryGb: 30, maxReplicaMemoryGb: 10 }), 400);
    } finally {
      await client.server.close();
    }
  });
});

describe('conformance run against the ClickHouse Cloud reference server', () => {
  async function run(...extra: string[]): Promise<{ code: number; report: { summary: Body; results: Body[] } }> {
    const dir = mkdtempSync(join(tmpdir(), 'conformance-clickhouse-'));
    const out: string[] = [];
    const code = await main(['run', '--provider', 'clickhouse-cloud', '--seed', '1', '--examples', '5', '--report-dir', dir, ...extra], { out: (s) => out.push(s), err: (s) => out.push(s) });
    return { code, report: JSON.parse(readFileSync(join(dir, 'conformance.json'), 'utf8')) };
  }

  it('passes with every operation exercised', async () => {
    const { code, report } = await run();
    expect(report.results.filter((r) => r.outcome === 'failed')).toEqual([]);
    expect(code).toBe(0);
    expect(report.summary.operationsExercised).toBe(15);
  });

  it('fails response-schema-conformance against the no-envelope fault', async () => {
    const { code, report } = await run('--fault', 'no-envelope');
    expect(code).toBe(1);
    expect(report.results.filter((r) => r.outcome === 'failed').map((r) => r.check)).toContain('response-schema-conformance');
  });
});
