import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgresServer } from '../../fixtures/ionos-postgresql/server.ts';
import type { ConformanceReport } from '../../src/report/model.ts';
import { cli } from '../cli-helpers.ts';

const auth = { username: 'har-user', password: 'har-secret-password-77', token: 'har-token-value-1234' };

describe('--report har', () => {
  let server: Awaited<ReturnType<typeof startPostgresServer>>;
  const saved = { ...process.env };
  beforeAll(async () => {
    server = await startPostgresServer({ ...auth, readyDelayMs: 20 });
    process.env.CONFORMANCE_USERNAME = auth.username;
    process.env.CONFORMANCE_PASSWORD = auth.password;
    delete process.env.CONFORMANCE_TOKEN;
  });
  afterAll(async () => {
    process.env = saved;
    await server.close();
  });

  it('writes every exchange as HAR 1.2, with credentials and secret fields redacted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'conformance-har-'));
    const { code, out } = await cli(['run', '--provider', 'ionos-postgresql', '--target', server.url, '--mode', 'full', '--examples', '2', '--seed', '5', '--include', 'clustersPost', '--include', 'clustersGet', '--report', 'har', '--report-dir', dir]);
    expect(code, out.join('\n')).toBe(0);
    const text = readFileSync(join(dir, 'exchanges.har'), 'utf8');
    const report = JSON.parse(readFileSync(join(dir, 'conformance.json'), 'utf8')) as ConformanceReport;
    const { log } = JSON.parse(text) as { log: { version: string; creator: { name: string }; entries: { request: { method: string; url: string; headers: { name: string; value: string }[]; postData?: { text: string } }; response: { status: number } }[] } };
    expect(log.version).toBe('1.2');
    expect(log.creator.name).toBe('dbaas-conformance');
    // Every request of the run is an exchange, but the reachability check before it (summary.requests counts that too).
    expect(log.entries.length).toBe(report.summary.requests - 1);
    expect(log.entries.some((e) => e.request.method === 'POST' && e.request.postData && e.response.status < 300)).toBe(true);
    const authorizations = log.entries.flatMap((e) => e.request.headers.filter((h) => h.name === 'authorization'));
    expect(authorizations.length).toBeGreaterThan(0);
    expect(authorizations.filter((h) => !/^\[REDACTED\]$|^Basic !!not-base64$|^Basic Y29uZm9ybWFuY2Utbm9ib2R5/.test(h.value))).toEqual([]);
    expect(text).not.toContain(auth.password);
    // The generated cluster credentials' passwords are write-only secrets.
    expect(text).toContain('\\"password\\":\\"[REDACTED]\\"');
    expect(text).not.toContain(Buffer.from(`${auth.username}:${auth.password}`).toString('base64'));
    expect(out.join('\n')).toContain(join(dir, 'exchanges.har'));
  });

  it('refuses a format it does not know, in one line', async () => {
    const { code, err } = await cli(['run', '--provider', 'ionos-postgresql', '--report', 'pdf']);
    expect(code).toBe(2);
    expect(err).toEqual(['error: --report pdf is not a report format (the extra format is har; conformance.json, junit.xml, summary.md and report.html are always written)']);
  });
});
