import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { useBasicCredentials } from '../cli-helpers.ts';
import { main } from '../../src/cli.ts';
import { PROVIDERS } from '../../src/providers/registry.ts';
import type { ConformanceReport } from '../../src/report/model.ts';
import { startCountingProxy } from './counting-proxy.ts';

const auth = { username: 'never', password: 'never-ready-password', token: 'never-ready-token' };
/** Well above a normal small run of one provider (a few seconds even on a loaded machine). */
const READY_TIMEOUT_MS = 10_000;

describe('a resource type whose first instance never becomes ready fails fast', () => {
  useBasicCredentials(auth);

  for (const profile of PROVIDERS.filter((p) => p.referenceServer && p.resources.some((r) => r.states))) {
    it(`${profile.name}: reported once, not created again, and the run ends within twice the ready timeout`, async () => {
      const server = await profile.referenceServer!({ ...auth, readyDelayMs: 20, faults: ['never-ready'] });
      const proxy = await startCountingProxy(server.url);
      const dir = mkdtempSync(join(tmpdir(), 'conformance-never-ready-'));
      const out: string[] = [];
      try {
        const vars = Object.entries(server.variables).flatMap(([k, v]) => ['--var', `${k}=${v}`]);
        const started = performance.now();
        const code = await main(['run', '--provider', profile.name, '--target', proxy.url, '--examples', '3', '--seed', '3', '--ready-timeout', String(READY_TIMEOUT_MS), '--report-dir', dir, ...vars], { out: (s) => out.push(s), err: (s) => out.push(s) });
        const ms = performance.now() - started;
        const report = JSON.parse(readFileSync(join(dir, 'conformance.json'), 'utf8')) as ConformanceReport;
        expect(code, out.join('\n')).toBe(1);
        expect(ms, out.join('\n')).toBeLessThan(2 * READY_TIMEOUT_MS);
        const availability = report.results.filter((r) => r.check === 'resource-availability' && r.outcome === 'failed');
        expect(availability.length).toBeGreaterThan(0);
        for (const result of availability) {
          // One failure, from one create: not one per create of the type.
          expect(result.failures.map((f) => [f.count, f.message.includes(`did not become`)])).toEqual([[1, true]]);
          const createOp = profile.resources.find((r) => r.create === result.operationId)!.create;
          const path = report.coverage.operationList.find((o) => o.operationId === createOp)!.path;
          const pattern = new RegExp(`^${path.replace(/\{[^}]+\}/g, '[^/]+')}(\\?.*)?$`);
          const base = new URL(proxy.url).pathname.replace(/\/$/, '');
          // Counted at the server: one create of that type was accepted, and no further valid one was sent.
          const accepted = proxy.log.filter((r) => r.method === 'POST' && pattern.test(r.url.slice(base.length)) && r.status !== undefined && r.status < 300);
          // Dry runs (Redis: dry_run=true, sent before the first real create) validate only: they create nothing.
          expect(accepted.filter((r) => !/[?&]dry_run=(?!false)/.test(r.url)), `${createOp} ${JSON.stringify(accepted)}`).toHaveLength(1);
        }
        expect(report.alerts?.filter((a) => a.includes('did not become'))).toHaveLength(1);
        expect(report.warnings.some((w) => w.includes('further creates were not sent'))).toBe(true);
      } finally {
        await proxy.close();
        await server.close();
      }
    });
  }
});
