import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import { providerByName } from '../../src/providers/registry.ts';
import type { ConformanceReport } from '../../src/report/model.ts';
import { loadSpec } from '../../src/spec/load.ts';
import { startTolerantProxy, type TolerantProxy } from './tolerant-proxy.ts';

/**
 * A server that differs from our reference servers only where the docs are silent (tolerant-proxy.ts: keys in
 * another order, an extra field, 422 for 400 where both are documented, unknown query values ignored) conforms:
 * the run is clean (exit 0). What it tolerates shows as warnings, never as failures.
 */
describe.each([
  // `swapped`: the spec documents both 400 and 422 somewhere; `queries`: it has query values besides paging.
  { provider: 'ionos-postgresql', seed: '4', swapped: true, queries: true },
  { provider: 'ionos-inmemorydb', seed: '2', swapped: false, queries: false },
  { provider: 'redis-enterprise', seed: '1', swapped: false, queries: true },
  { provider: 'clickhouse-cloud', seed: '1', swapped: false, queries: true },
])('a tolerant $provider server', ({ provider, seed, swapped, queries }) => {
  const profile = providerByName(provider);
  let server: Awaited<ReturnType<NonNullable<typeof profile.referenceServer>>>;
  let proxy: TolerantProxy;
  const saved = { ...process.env };

  beforeAll(async () => {
    // A busy window long enough that the busy-conflict probe's second change lands in it on a loaded machine too.
    server = await profile.referenceServer!({ username: 'tolerant', password: 'tolerant-test-pw', token: 'tolerant-test-token', readyDelayMs: 200 });
    proxy = await startTolerantProxy(server.url, (await loadSpec(profile.spec)).operations);
    process.env.CONFORMANCE_USERNAME = 'tolerant';
    process.env.CONFORMANCE_PASSWORD = 'tolerant-test-pw';
    delete process.env.CONFORMANCE_TOKEN;
  });

  afterAll(async () => {
    process.env = saved;
    await proxy.close();
    await server.close();
  });

  it('runs clean: exit 0, no failed check, and the differences really occurred', async () => {
    const dir = mkdtempSync(join(tmpdir(), `conformance-tolerant-${provider}-`));
    const out: string[] = [];
    const vars = Object.entries(server.variables).flatMap(([k, v]) => ['--var', `${k}=${v}`]);
    const code = await main(['run', '--provider', provider, '--target', proxy.url, '--mode', 'full', '--seed', seed, '--examples', '5', '--report-dir', dir, ...vars], { out: (s) => out.push(s), err: (s) => out.push(s) });
    expect(code, out.join('\n')).toBe(0);
    const report = JSON.parse(readFileSync(join(dir, 'conformance.json'), 'utf8')) as ConformanceReport;
    expect(report.summary.failed).toBe(0);
    expect(report.summary.operationsExercised).toBe(report.summary.operations);
    expect(proxy.alterations.reordered).toBeGreaterThan(0);
    expect(proxy.alterations.extraFields).toBeGreaterThan(0);
    if (swapped) expect(proxy.alterations.swappedStatus).toBeGreaterThan(0);
    if (queries) {
      expect(proxy.alterations.ignoredQuery).toBeGreaterThan(0);
      // The ignored query values are reported apart, as warnings.
      expect(report.results.some((r) => r.check === 'negative-data-rejection' && (r.warnings ?? []).length > 0)).toBe(true);
    }
  });
});
