import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import { startPostgresServer } from '../../fixtures/ionos-postgresql/server.ts';
import type { ConformanceReport } from '../../src/report/model.ts';

const auth = { username: 'transient', password: 'transient-pw', token: 'transient-token' };

/** Runs the CLI against a PostgreSQL reference server started with the given faults. */
async function run(faults: string[], args: string[], readyDelayMs = 20) {
  const server = await startPostgresServer({ ...auth, readyDelayMs, faults });
  const dir = mkdtempSync(join(tmpdir(), 'conformance-transient-'));
  const out: string[] = [];
  const started = Date.now();
  try {
    const code = await main(['run', '--provider', 'ionos-postgresql', '--target', server.url, '--seed', '11', '--report-dir', dir, ...args], { out: (s) => out.push(s), err: (s) => out.push(s) });
    const report = JSON.parse(readFileSync(join(dir, 'conformance.json'), 'utf8')) as ConformanceReport;
    return { code, out: out.join('\n'), report, server, ms: Date.now() - started };
  } finally {
    await server.close();
  }
}

describe('429 and 503 answers, --rate-limit and --max-duration', () => {
  const saved = { ...process.env };
  beforeEach(() => {
    process.env.CONFORMANCE_USERNAME = auth.username;
    process.env.CONFORMANCE_PASSWORD = auth.password;
  });
  afterEach(() => {
    process.env = { ...saved };
  });

  it('retries 429 and 503 answers and reports them apart, not as failures', async () => {
    const { code, out, report } = await run(['rate-limited', 'unavailable-flaky'], ['--examples', '5', '--include', 'clustersGet', '--include', 'postgresVersionsGet', '--include', 'clustersFindById']);
    expect(code, out).toBe(0);
    expect(report.summary.failed).toBe(0);
    expect(report.transient.rateLimited).toBeGreaterThan(0);
    expect(report.transient.unavailable).toBeGreaterThan(0);
    expect(report.transient.retried).toBe(report.transient.rateLimited + report.transient.unavailable);
    expect(report.transient.exhausted).toBe(0);
    // Every answer that cleared after retries is a pass of rate-limit-budget.
    const budget = report.results.filter((r) => r.check === 'rate-limit-budget' && r.outcome === 'passed');
    expect(budget.length).toBeGreaterThan(0);
    expect(report.transient.rateLimitHeaders['x-ratelimit-limit']).toBe('1000');
    expect(out).toMatch(/rate limited \(429\): waiting \d+ ms before retrying/);
  });

  it('fails rate-limit-budget when a 429 persists past the retry budget', async () => {
    const { code, out, report } = await run(['rate-limited-forever'], ['--examples', '1', '--include', 'clustersGet']);
    expect(code, out).toBe(1);
    const failed = report.results.filter((r) => r.outcome === 'failed');
    expect(failed.map((r) => `${r.check} ${r.operationId}`)).toContain('rate-limit-budget clustersGet');
    expect(failed.find((r) => r.check === 'rate-limit-budget')!.failures[0]!.message).toMatch(/^429 persisted after 4 retries/);
    expect(report.transient.exhausted).toBeGreaterThan(0);
  });

  it('--rate-limit spaces the requests of the whole run', async () => {
    const { code, out, report, server } = await run([], ['--examples', '8', '--include', 'postgresVersionsGet', '--rate-limit', '20/s']);
    expect(code, out).toBe(0);
    const requests = server.requestLog.length;
    expect(requests).toBe(report.summary.requests); // the reachability probe included
    // N requests at 20 per second cannot start in less than (N - 1) / 20 seconds.
    expect(report.run.durationMs).toBeGreaterThanOrEqual(((report.summary.requests - 1) / 20) * 1000 - 60);
  });

  it('--max-duration stops the run, cleans up, writes the report marked as stopped, and exits 1', async () => {
    // What is tested is the state the deadline meets, not how fast the run gets there. The time counts from the start of
    // sending (not from loading specs and modules, which a loaded machine stretches); 1.5 s later the run has sent its
    // first create even on a loaded machine, and clusters take 4 s to become available, so the run is still waiting
    // for that first one when its time is up.
    const { code, out, report, server } = await run([], ['--examples', '25', '--max-duration', '1500ms'], 4000);
    expect(code, out).toBe(1);
    expect(out).toContain('--max-duration 1500ms reached: stopping, cleaning up what this run created...');
    expect(report.run.interrupted).toBe(true);
    expect(report.run.stopReason).toBe('max-duration');
    expect(report.summary.operationsExercised).toBeLessThan(report.summary.operations);
    const list = await fetch(`${server.url}/clusters`, { headers: { authorization: `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}` } }).catch(() => undefined);
    // The server is closed by now; its request log shows every cluster the run created was deleted.
    expect(list).toBeUndefined();
    const created = server.requestLog.filter((r) => r.method === 'POST' && r.url === '/clusters' && r.status !== undefined && r.status < 300).length;
    const deleted = server.requestLog.filter((r) => r.method === 'DELETE' && /^\/clusters\/[^/]+$/.test(r.url) && r.status !== undefined && r.status < 300).length;
    expect(created, JSON.stringify(server.requestLog.map((r) => `${r.method} ${r.url} ${r.status}`))).toBeGreaterThan(0);
    expect(deleted).toBe(created);
  });

  it('refuses a malformed --rate-limit or --max-duration with one line and exit 2', async () => {
    for (const args of [['--rate-limit', 'fast'], ['--max-duration', 'soon']]) {
      const err: string[] = [];
      const code = await main(['run', '--provider', 'ionos-postgresql', ...args], { out: () => {}, err: (s) => err.push(s) });
      expect(code).toBe(2);
      expect(err).toHaveLength(1);
      expect(err[0]).toMatch(/^error: --(rate-limit|max-duration) '(fast|soon)' is not a (rate|duration)/);
    }
  });
});
