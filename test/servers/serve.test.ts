import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { serveCommand } from '../../src/cli/serve.ts';
import { cli } from '../cli-helpers.ts';

const ORG = '3f2f6f0e-8a77-4b4e-9d3c-5f1a2b3c4d5e';
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** Starts `conformance serve` in-process; `stop()` ends it and resolves to its exit code. */
async function serve(args: string[]): Promise<{ url: string; out: string[]; stop(): Promise<number> }> {
  const out: string[] = [];
  let release!: () => void;
  const stopped = new Promise<void>((resolve) => (release = resolve));
  const done = serveCommand(['--port', '0', '--ready-delay', '50', ...args], { out: (s) => out.push(s), err: (s) => out.push(s) }, stopped);
  for (let i = 0; i < 400 && !out.some((l) => l.includes('listening on')); i++) await new Promise((r) => setTimeout(r, 10));
  const url = /listening on (\S+)/.exec(out.join('\n'))?.[1];
  if (!url) throw new Error(`serve did not start: ${out.join('\n')}`);
  return {
    url,
    out,
    stop: async () => {
      release();
      return done;
    },
  };
}

const seedFile = (data: unknown) => {
  const file = join(mkdtempSync(join(tmpdir(), 'serve-seed-')), 'seed.json');
  writeFileSync(file, typeof data === 'string' ? data : JSON.stringify(data));
  return file;
};

describe('conformance serve', () => {
  const saved = { ...process.env };
  afterEach(() => {
    for (const key of ['CONFORMANCE_USERNAME', 'CONFORMANCE_PASSWORD', 'CONFORMANCE_TOKEN', 'CONFORMANCE_VAR_organizationId']) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
  });

  it('--help names the flags, the credential variables and the seed formats, and exits 0', async () => {
    const { code, out } = await cli(['serve', '--help']);
    expect(code).toBe(0);
    const text = out.join('\n');
    for (const word of ['--provider', '--port', '--org', '--seed-data', 'CONFORMANCE_USERNAME', 'CONFORMANCE_PASSWORD', 'CONFORMANCE_TOKEN', '"clusters"', '"replicaSets"', '"bdbs"', '"services"']) expect(text).toContain(word);
    expect((await cli(['help'])).out.join('\n')).toContain('CONFORMANCE_USERNAME');
  });

  it('prints only the auth schemes the provider accepts: Basic for Redis and ClickHouse, Basic and Bearer for IONOS', async () => {
    for (const [provider, bearer] of [['redis-enterprise', false], ['clickhouse-cloud', false], ['ionos-postgresql', true], ['ionos-inmemorydb', true]] as const) {
      const server = await serve(['--provider', provider]);
      const text = server.out.join('\n');
      expect(text).toContain('basic auth: conformance / ');
      expect(text.includes('bearer token:'), provider).toBe(bearer);
      expect(await server.stop()).toBe(0);
    }
  });

  it('takes credentials from CONFORMANCE_* and does not echo them', async () => {
    Object.assign(process.env, { CONFORMANCE_USERNAME: 'ci-user', CONFORMANCE_PASSWORD: 'ci-secret-password', CONFORMANCE_TOKEN: 'ci-secret-token' });
    const server = await serve(['--provider', 'ionos-postgresql']);
    try {
      const text = server.out.join('\n');
      expect(text).not.toContain('ci-secret-password');
      expect(text).not.toContain('ci-secret-token');
      expect(text).toContain('basic auth: ci-user / (from CONFORMANCE_PASSWORD)');
      expect((await fetch(`${server.url}/clusters`, { headers: { authorization: basic('ci-user', 'ci-secret-password') } })).status).toBe(200);
      expect((await fetch(`${server.url}/clusters`, { headers: { authorization: 'Bearer ci-secret-token' } })).status).toBe(200);
      expect((await fetch(`${server.url}/clusters`, { headers: { authorization: basic('ci-user', 'wrong') } })).status).toBe(401);
    } finally {
      await server.stop();
    }
  });

  it('--org fixes the ClickHouse organization, which GET /v1/organizations and /v1/organizations/{id} answer as documented', async () => {
    process.env.CONFORMANCE_PASSWORD = 'org-secret';
    const server = await serve(['--provider', 'clickhouse-cloud', '--org', ORG]);
    try {
      expect(server.out.join('\n')).toContain(`organizationId: ${ORG}`);
      const auth = { authorization: basic('conformance', 'org-secret') };
      const list = await fetch(`${server.url}/v1/organizations`, { headers: auth });
      expect(list.status).toBe(200);
      expect(await list.json()).toMatchObject({ status: 200, requestId: expect.any(String), result: [{ id: ORG, name: expect.any(String), createdAt: expect.any(String) }] });
      const one = await fetch(`${server.url}/v1/organizations/${ORG}`, { headers: auth });
      expect(await one.json()).toMatchObject({ status: 200, result: { id: ORG } });
      expect((await fetch(`${server.url}/v1/organizations/00000000-0000-4000-8000-000000000001`, { headers: auth })).status).toBe(404);
      expect((await fetch(`${server.url}/v1/organizations/not-a-uuid`, { headers: auth })).status).toBe(400);
      expect((await fetch(`${server.url}/v1/organizations`)).status).toBe(401);
      expect((await fetch(`${server.url}/v1/organizations/${ORG}/services`, { headers: auth })).status).toBe(200);
    } finally {
      await server.stop();
    }
  });

  it('takes the organization from CONFORMANCE_VAR_organizationId, the variable `run` reads too', async () => {
    process.env.CONFORMANCE_VAR_organizationId = ORG;
    const server = await serve(['--provider', 'clickhouse-cloud']);
    expect(server.out.join('\n')).toContain(`organizationId: ${ORG}`);
    await server.stop();
  });

  it('--seed-data starts with the user\'s fixtures, ready at once, under their own ids', async () => {
    process.env.CONFORMANCE_PASSWORD = 'seed-secret';
    const id = '6b0d1c3e-8a77-4b4e-9d3c-5f1a2b3c4d5e';
    const file = seedFile({ services: [{ id, name: 'seeded', provider: 'aws', region: 'eu-west-1' }, { name: 'second', provider: 'gcp', region: 'us-east1' }] });
    const server = await serve(['--provider', 'clickhouse-cloud', '--org', ORG, '--seed-data', file]);
    try {
      const auth = { authorization: basic('conformance', 'seed-secret') };
      const read = (await (await fetch(`${server.url}/v1/organizations/${ORG}/services/${id}`, { headers: auth })).json()) as { result: { name: string; state: string } };
      expect(read.result).toMatchObject({ name: 'seeded', state: 'running' });
      const list = (await (await fetch(`${server.url}/v1/organizations/${ORG}/services`, { headers: auth })).json()) as { result: unknown[] };
      expect(list.result).toHaveLength(2);
    } finally {
      await server.stop();
    }
  });

  it('refuses bad input in one line with exit 2: a malformed --org, --org elsewhere, an unreadable or invalid seed file, an unknown flag', async () => {
    const cases: [string[], RegExp][] = [
      [['serve', '--provider', 'clickhouse-cloud', '--org', 'nope'], /--org 'nope' is not a UUID/],
      [['serve', '--provider', 'redis-enterprise', '--org', ORG], /--org does not apply to redis-enterprise/],
      [['serve', '--provider', 'redis-enterprise', '--seed-data', '/nonexistent/seed.json'], /cannot read --seed-data/],
      [['serve', '--provider', 'redis-enterprise', '--seed-data', seedFile('{ not json')], /is not JSON/],
      [['serve', '--provider', 'redis-enterprise', '--port', '0', '--seed-data', seedFile({ databases: [] })], /unknown key 'databases' \(this provider takes bdbs\)/],
      [['serve', '--provider', 'redis-enterprise', '--port', '0', '--seed-data', seedFile({ bdbs: [{ memory_size: 1 }] })], /bdbs\[0\] was refused with 406: .*missing_db_name/],
      [['serve', '--provider', 'ionos-postgresql', '--port', '0', '--seed-data', seedFile({ clusters: [{ id: 'x', properties: {} }] })], /clusters\[0\] was refused with 422/],
      [['serve', '--provider', 'ionos-postgresql', '--bogus'], /Unknown option '--bogus'/],
    ];
    for (const [argv, message] of cases) {
      const { code, err } = await cli(argv);
      expect(code, argv.join(' ')).toBe(2);
      expect(err).toHaveLength(1);
      expect(err[0]).toMatch(message);
      expect(err[0]).not.toMatch(/\n\s+at /);
    }
  });
});
