import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import { startPostgresServer } from '../../fixtures/ionos-postgresql/server.ts';

describe('--include that leaves out the delete operation', () => {
  let server: Awaited<ReturnType<typeof startPostgresServer>>;
  const saved = { ...process.env };
  const auth = { username: 'only-creates', password: 'only-creates-pw', token: 'only-creates-token' };

  beforeAll(async () => {
    server = await startPostgresServer({ ...auth, readyDelayMs: 20 });
    process.env.CONFORMANCE_USERNAME = auth.username;
    process.env.CONFORMANCE_PASSWORD = auth.password;
  });

  afterAll(async () => {
    process.env = saved;
    await server.close();
  });

  it('still deletes every resource the run created, and leaves an empty ledger', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'conformance-include-'));
    const out: string[] = [];
    const code = await main(['run', '--provider', 'ionos-postgresql', '--target', server.url, '--include', 'clustersPost', '--examples', '6', '--seed', '9', '--report-dir', dir], { out: (s) => out.push(s), err: (s) => out.push(s) });
    expect(code, out.join('\n')).toBe(0);
    const created = server.requestLog.filter((r) => r.method === 'POST' && r.url === '/clusters' && r.status !== undefined && r.status < 300).length;
    const deleted = server.requestLog.filter((r) => r.method === 'DELETE' && /^\/clusters\/[^/]+$/.test(r.url) && r.status !== undefined && r.status < 300).length;
    expect(created).toBeGreaterThan(0);
    expect(deleted).toBe(created);
    const list = await fetch(`${server.url}/clusters`, { headers: { authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` } });
    expect(((await list.json()) as { items: unknown[] }).items).toEqual([]);
    expect(JSON.parse(readFileSync(join(dir, 'ledger.json'), 'utf8')).entries).toEqual([]);
  });
});
