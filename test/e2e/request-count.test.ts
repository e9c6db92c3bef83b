import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useBasicCredentials } from '../cli-helpers.ts';
import { main } from '../../src/cli.ts';
import { PROVIDERS } from '../../src/providers/registry.ts';
import { ResultCollector } from '../../src/report/model.ts';
import { prepareRun } from '../../src/run/orchestrate.ts';
import { Session } from '../../src/run/session.ts';
import type { ConformanceReport } from '../../src/report/model.ts';
import { startCountingProxy } from './counting-proxy.ts';

const auth = { username: 'counted', password: 'counted-password-1', token: 'counted-token-1' };

/** Runs the CLI against a provider's reference server behind a counting proxy. */
async function runBehindProxy(name: string, args: string[], intercept?: Parameters<typeof startCountingProxy>[1], faults: string[] = []) {
  const profile = PROVIDERS.find((p) => p.name === name)!;
  // A busy window long enough that the busy-conflict probe's second change lands in it on a loaded machine too.
  const server = await profile.referenceServer!({ ...auth, readyDelayMs: 200, faults });
  const proxy = await startCountingProxy(server.url, intercept);
  const dir = mkdtempSync(join(tmpdir(), 'conformance-count-'));
  const out: string[] = [];
  try {
    const vars = Object.entries(server.variables).flatMap(([k, v]) => ['--var', `${k}=${v}`]);
    const code = await main(['run', '--provider', name, '--target', proxy.url, '--seed', '7', '--report-dir', dir, ...vars, ...args], { out: (s) => out.push(s), err: (s) => out.push(s) });
    const report = JSON.parse(readFileSync(join(dir, 'conformance.json'), 'utf8')) as ConformanceReport;
    return { code, out: out.join('\n'), report, log: proxy.log };
  } finally {
    await proxy.close();
    await server.close();
  }
}

describe('every request of a run is counted', () => {
  useBasicCredentials(auth);

  for (const profile of PROVIDERS.filter((p) => p.referenceServer)) {
    it(`${profile.name}: the report's request count equals the requests the server received`, async () => {
      const { code, out, report, log } = await runBehindProxy(profile.name, ['--examples', '3']);
      expect(code, out).toBe(0);
      // Polls, ownership reads, before/after reads, cleanup and the reachability check included: equal, not about equal.
      expect(report.summary.requests).toBe(log.length);
      expect(log.length).toBeGreaterThan(50);
    });
  }

  it('a 500 answered to a poll after a create is judged by not-a-server-error', async () => {
    const read = /^\/clusters\/[0-9a-f-]{36}$/;
    // The second read of a created cluster: a poll of the run's own, before any case of clustersFindById is sent.
    const intercept = (r: { method: string; url: string }, seen: readonly { method: string; url: string }[]) => (r.method === 'GET' && read.test(r.url) && seen.filter((s) => s.method === 'GET' && read.test(s.url)).length === 1 ? 500 : undefined);
    const { code, report, log } = await runBehindProxy('ionos-postgresql', ['--examples', '2', '--include', 'clustersPost', '--include', 'clustersFindById'], intercept);
    expect(code).toBe(1);
    expect(report.summary.requests).toBe(log.length);
    const failed = report.results.find((r) => r.operationId === 'clustersFindById' && r.check === 'not-a-server-error');
    expect(failed?.outcome).toBe('failed');
    expect(failed!.failures[0]!.message).toBe('server error 500');
    expect(failed!.failures[0]!.request.method).toBe('GET');
  });

  it('a 500 answered to the cleanup delete is judged by not-a-server-error, and the cluster stays in the ledger', async () => {
    const profile = PROVIDERS.find((p) => p.name === 'ionos-postgresql')!;
    const server = await profile.referenceServer!({ ...auth, readyDelayMs: 20 });
    const one = /^\/clusters\/[0-9a-f-]{36}$/;
    const proxy = await startCountingProxy(server.url, (r) => (r.method === 'DELETE' && one.test(r.url) ? 500 : undefined));
    try {
      const dir = mkdtempSync(join(tmpdir(), 'conformance-count-'));
      const env = { CONFORMANCE_USERNAME: auth.username, CONFORMANCE_PASSWORD: auth.password };
      const { config } = await prepareRun({ profile, target: proxy.url, include: ['clustersPost', 'clustersDelete'], examples: 1, seed: 7, variables: {}, reportDir: dir, env });
      const collector = new ResultCollector(config.redactor);
      const session = new Session(config, collector.sink);
      // Only the create runs: the one DELETE the server sees is the cleanup's, of the cluster the run created.
      await session.runOperation(session.plan.find((p) => p.operation.id === 'clustersPost')!);
      await session.finish();
      const report = collector.report();
      expect(proxy.log.filter((r) => r.method === 'DELETE')).toHaveLength(1);
      expect(report.summary.requests).toBe(proxy.log.length);
      const failed = report.results.find((r) => r.operationId === 'clustersDelete' && r.check === 'not-a-server-error');
      expect(failed?.outcome).toBe('failed');
      expect(failed!.failures[0]!.request.method).toBe('DELETE');
      expect(report.warnings.some((w) => /could not delete cluster .*: the delete was answered 500/.test(w))).toBe(true);
      expect(session.ledger.list()).toHaveLength(1);
    } finally {
      await proxy.close();
      await server.close();
    }
  });
});
