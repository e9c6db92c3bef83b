import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import { ionosPostgresql } from '../../src/providers/ionos-postgresql.ts';
import { prepareRun } from '../../src/run/orchestrate.ts';
import { startPostgresServer } from '../../fixtures/ionos-postgresql/server.ts';

describe('read-only mode', () => {
  const credentials = { username: 'reader', password: 'read-only-test-pw', token: 'read-only-test-token' };
  let server: Awaited<ReturnType<typeof startPostgresServer>>;
  const saved = { ...process.env };

  beforeAll(async () => {
    server = await startPostgresServer({ ...credentials, readyDelayMs: 0 });
    // One existing cluster, created outside the run, for the reads to find.
    const auth = `Basic ${Buffer.from('reader:read-only-test-pw').toString('base64')}`;
    const body = { properties: { postgresVersion: '15', instances: 1, cores: 1, ram: 2048, storageSize: 2048, storageType: 'SSD', connections: [{ datacenterId: '5a029f4a-72e5-41ec-90d6-0242ac120003', lanId: '1', cidr: '10.1.1.1/24' }], location: 'de/fra', displayName: 'existing', credentials: { username: 'owner', password: 'owner-password-1' }, synchronizationMode: 'ASYNCHRONOUS' } };
    const res = await fetch(`${server.url}/clusters`, { method: 'POST', headers: { authorization: auth, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status).toBe(200);
    process.env.CONFORMANCE_USERNAME = credentials.username;
    process.env.CONFORMANCE_PASSWORD = credentials.password;
  });

  afterAll(async () => {
    process.env = saved;
    await server.close();
  });

  it('sends only GET and HEAD requests, and still exercises every read operation', async () => {
    const before = server.requestLog.length;
    const dir = mkdtempSync(join(tmpdir(), 'conformance-readonly-'));
    const out: string[] = [];
    const code = await main(['run', '--provider', 'ionos-postgresql', '--target', server.url, '--mode', 'read-only', '--examples', '3', '--seed', '1', '--report-dir', dir], { out: (s) => out.push(s), err: (s) => out.push(s) });
    expect(code).toBe(0);
    const sent = server.requestLog.slice(before);
    expect(sent.length).toBeGreaterThan(20);
    expect([...new Set(sent.map((r) => r.method))]).toEqual(['GET']);
    const report = JSON.parse(readFileSync(join(dir, 'conformance.json'), 'utf8'));
    expect(report.summary.operationsExercised).toBe(16);
    // Reads addressed the existing cluster found by listing, not only unknown ids.
    expect(sent.some((r) => /^\/clusters\/[0-9a-f-]{36}\/users/.test(r.url))).toBe(true);
  });

  it('is the default for a target that is not on this machine, and --mode full there needs --allow-writes', async () => {
    const err: string[] = [];
    const code = await main(['run', '--provider', 'ionos-postgresql', '--target', 'https://api.example.invalid', '--mode', 'full'], { out: () => {}, err: (s) => err.push(s) });
    expect(code).toBe(2);
    expect(err).toEqual([expect.stringMatching(/^error: --mode full against api\.example\.invalid .*--allow-writes/)]);
    const base = { profile: ionosPostgresql, examples: 1, seed: 1, variables: {}, reportDir: mkdtempSync(join(tmpdir(), 'conformance-mode-')), env: process.env };
    expect((await prepareRun({ ...base, target: 'https://api.example.invalid' })).config.mode).toBe('read-only');
    expect((await prepareRun({ ...base, target: 'https://api.example.invalid', mode: 'full', allowWrites: true })).config.mode).toBe('full');
    expect((await prepareRun({ ...base, target: 'http://127.0.0.1:9' })).config.mode).toBe('full');
  });
});
