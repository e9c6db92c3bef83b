import { createServer, type Server } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRedisEnterpriseServer } from '../../fixtures/redis-enterprise/server.ts';
import type { ReferenceServer } from '../../src/providers/types.ts';
import { cli } from '../cli-helpers.ts';

/**
 * Two runs against one Redis server that takes `dry_run=false` for a dry run and answers it with the uid that the
 * next real create gets: each run sees the server through its own proxy, which records who really created each
 * database (a real create's answer carries an action_uid, a dry run's does not) and every write each run sent.
 */
interface Proxy {
  url: string;
  server: Server;
  writes: { method: string; uid: number }[];
}

const owner = new Map<number, string>();

async function proxy(name: string, target: string): Promise<Proxy> {
  const writes: Proxy['writes'] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !['host', 'connection', 'content-length'].includes(k))) as Record<string, string>;
      const answer = await fetch(`${target}${req.url}`, { method: req.method, headers, ...(body.length > 0 ? { body } : {}) });
      const text = await answer.text();
      const path = req.url!.split('?')[0]!;
      const uid = /^\/v1\/bdbs\/(\d+)/.exec(path)?.[1];
      if (req.method !== 'GET' && uid !== undefined) writes.push({ method: req.method!, uid: Number(uid) });
      // With the fault, a create with any dry_run creates nothing.
      if (req.method === 'POST' && /^\/v[12]\/bdbs$/.test(path) && !/[?&]dry_run/.test(req.url!) && answer.status < 300) {
        try {
          const json = JSON.parse(text) as { uid?: number; action_uid?: string };
          if (json.action_uid !== undefined && json.uid !== undefined) owner.set(json.uid, name);
        } catch {
          // not JSON: not a create
        }
      }
      res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as { port: number };
  return { url: `http://127.0.0.1:${address.port}`, server, writes };
}

describe('two concurrent runs against one server', () => {
  let server: ReferenceServer;
  let a: Proxy;
  let b: Proxy;
  const saved = { ...process.env };

  beforeAll(async () => {
    server = await startRedisEnterpriseServer({ username: 'admin@example.com', password: 'concurrent-runs-pw', token: 'unused-token-1234', readyDelayMs: 30, faults: ['dry-run-false-is-dry'] });
    a = await proxy('a', server.url);
    b = await proxy('b', server.url);
    process.env.CONFORMANCE_USERNAME = 'admin@example.com';
    process.env.CONFORMANCE_PASSWORD = 'concurrent-runs-pw';
  });

  afterAll(async () => {
    process.env = saved;
    for (const p of [a, b]) await new Promise((resolve) => p.server.close(resolve));
    await server.close();
  });

  it('never change or delete a database the other run created, even when a dry run is answered with the next real uid', async () => {
    const run = (p: Proxy, seed: string) => cli(['run', '--provider', 'redis-enterprise', '--target', p.url, '--examples', '15', '--seed', seed, '--report-dir', mkdtempSync(join(tmpdir(), 'conformance-concurrent-'))]);
    const [ra, rb] = await Promise.all([run(a, '11'), run(b, '12')]);
    // The scenario happened: both runs really created databases.
    expect([...owner.values()].filter((o) => o === 'a').length, ra.out.join('\n')).toBeGreaterThan(0);
    expect([...owner.values()].filter((o) => o === 'b').length, rb.out.join('\n')).toBeGreaterThan(0);
    const foreign = (p: Proxy, name: string) => p.writes.filter((w) => owner.has(w.uid) && owner.get(w.uid) !== name);
    expect(foreign(a, 'a')).toEqual([]);
    expect(foreign(b, 'b')).toEqual([]);
    // Each run deleted its own databases.
    const list = await fetch(`${server.url}/v1/bdbs`, { headers: { authorization: `Basic ${Buffer.from('admin@example.com:concurrent-runs-pw').toString('base64')}` } });
    const left = ((await list.json()) as { uid: number }[]).filter((d) => owner.has(d.uid));
    expect(left.map((d) => d.uid), [...ra.out, ...rb.out].filter((l) => /warning|still/.test(l)).join("\n")).toEqual([]);
  }, 120_000);
});
