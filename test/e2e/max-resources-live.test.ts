import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgresServer } from '../../fixtures/ionos-postgresql/server.ts';
import { startRedisEnterpriseServer } from '../../fixtures/redis-enterprise/server.ts';
import type { ReferenceServer } from '../../src/providers/types.ts';
import { cli } from '../cli-helpers.ts';

const USER = 'admin@example.com';
const PASSWORD = 'max-live-pw-4242';
const headers = { authorization: `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}` };

const json = async (url: string): Promise<unknown> => {
  const response = await fetch(url, { headers });
  return response.status === 200 ? response.json() : undefined;
};

/** Live resources at the PostgreSQL server: clusters, and the users and databases in them. */
async function postgresCount(url: string): Promise<number> {
  const clusters = ((await json(`${url}/clusters?limit=1000`)) as { items?: { id: string }[] } | undefined)?.items ?? [];
  let count = clusters.length;
  // A cluster comes with its admin user and default databases: only users and databases the run created carry its marker.
  for (const c of clusters) {
    for (const child of ['users', 'databases']) count += new Set((JSON.stringify(await json(`${url}/clusters/${c.id}/${child}?limit=1000`)) ?? '').match(/cf-[0-9a-f]{6}-\d+/g) ?? []).size;
  }
  return count;
}

async function redisCount(url: string): Promise<number> {
  return ((await json(`${url}/v1/bdbs`)) as unknown[] | undefined)?.length ?? 0;
}

/** Polls the server while `run` runs and returns the most resources seen at once, above what was there before. */
async function peakDuring(count: () => Promise<number>, run: () => Promise<unknown>): Promise<{ peak: number; result: unknown; baseline: number }> {
  const baseline = await count();
  let peak = 0;
  let done = false;
  const poller = (async () => {
    while (!done) {
      peak = Math.max(peak, (await count()) - baseline);
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  const result = await run();
  done = true;
  await poller;
  return { peak, result, baseline };
}

describe('--max-resources is never exceeded, counted at the server', () => {
  const saved = { ...process.env };
  let postgres: ReferenceServer;
  let redis: ReferenceServer;

  beforeAll(async () => {
    process.env.CONFORMANCE_USERNAME = USER;
    process.env.CONFORMANCE_PASSWORD = PASSWORD;
    postgres = await startPostgresServer({ username: USER, password: PASSWORD, token: 'unused-token-max', readyDelayMs: 100 });
    redis = await startRedisEnterpriseServer({ username: USER, password: PASSWORD, token: 'unused-token-max', readyDelayMs: 100 });
  });

  afterAll(async () => {
    process.env = saved;
    await postgres.close();
    await redis.close();
  });

  it.each([
    ['ionos-postgresql', 1],
    ['ionos-postgresql', 2],
    ['redis-enterprise', 1],
  ] as const)('%s under --max-resources %d', async (provider, cap) => {
    const server = provider === 'ionos-postgresql' ? postgres : redis;
    const count = provider === 'ionos-postgresql' ? () => postgresCount(server.url) : () => redisCount(server.url);
    const { peak, result, baseline } = await peakDuring(count, () =>
      cli(['run', '--provider', provider, '--target', server.url, '--examples', '6', '--seed', '9', '--max-resources', String(cap), '--report-dir', mkdtempSync(join(tmpdir(), 'conformance-cap-live-'))]),
    );
    const { out } = result as { out: string[] };
    // The run did create (so the cap was what held it back) and stayed within it.
    expect(peak, out.join('\n')).toBeGreaterThan(0);
    expect(peak, out.join('\n')).toBeLessThanOrEqual(cap);
    expect(out.join('\n')).toContain(`creates beyond --max-resources ${cap} were not sent`);
    expect(await count(), out.join('\n')).toBe(baseline);
  }, 120_000);
});
