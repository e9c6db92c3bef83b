import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import { startPostgresServer } from '../../fixtures/ionos-postgresql/server.ts';

describe('--max-resources', () => {
  let server: Awaited<ReturnType<typeof startPostgresServer>>;
  const saved = { ...process.env };

  beforeAll(async () => {
    server = await startPostgresServer({ username: 'capped', password: 'Qv7-cap-pw-k2Zr', token: 'max-resources-token', readyDelayMs: 20 });
    process.env.CONFORMANCE_USERNAME = 'capped';
    process.env.CONFORMANCE_PASSWORD = 'Qv7-cap-pw-k2Zr';
  });

  afterAll(async () => {
    process.env = saved;
    await server.close();
  });

  it('creates one resource of each type under a cap of 3, still exercises every operation, and cleans up', async () => {
    const out: string[] = [];
    const code = await main(['run', '--provider', 'ionos-postgresql', '--target', server.url, '--seed', '4', '--examples', '10', '--max-resources', '3', '--report-dir', mkdtempSync(join(tmpdir(), 'conformance-cap-'))], { out: (s) => out.push(s), err: (s) => out.push(s) });
    expect(code, out.join('\n')).toBe(0);
    const created = server.requestLog.filter((r) => r.method === 'POST' && /^\/clusters(\/[^/]+\/(users|databases))?$/.test(r.url) && r.status !== undefined && r.status < 300);
    expect(created).toHaveLength(3);
    expect(out).toContain('  warning: clustersPost: creates beyond --max-resources 3 were not sent');
    const list = await fetch(`${server.url}/clusters`, { headers: { authorization: `Basic ${Buffer.from('capped:Qv7-cap-pw-k2Zr').toString('base64')}` } });
    expect(((await list.json()) as { items: unknown[] }).items).toEqual([]);
  });
});
