import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startClickHouseServer } from '../../fixtures/clickhouse-cloud/server.ts';
import { startPostgresServer } from '../../fixtures/ionos-postgresql/server.ts';
import type { ReferenceServer } from '../../src/providers/types.ts';
import { cli } from '../cli-helpers.ts';

/** Wrong credentials or wrong path variables: the run cannot test anything, so it fails loudly instead of passing. */
describe('a run whose requests are all refused', () => {
  const saved = { ...process.env };
  let postgres: Awaited<ReturnType<typeof startPostgresServer>>;
  let clickhouse: ReferenceServer;
  const dir = () => mkdtempSync(join(tmpdir(), 'conformance-refused-'));

  beforeAll(async () => {
    postgres = await startPostgresServer({ username: 'right-user', password: 'right-password-1', token: 'right-token-123456', readyDelayMs: 20 });
    clickhouse = await startClickHouseServer({ username: 'right-user', password: 'right-password-1', token: 'right-token-123456', readyDelayMs: 20 });
  });

  afterAll(async () => {
    process.env = saved;
    await postgres.close();
    await clickhouse.close();
  });

  it('wrong password: exit 2, "credentials refused" on one line, and the run stops early', async () => {
    process.env.CONFORMANCE_USERNAME = 'right-user';
    process.env.CONFORMANCE_PASSWORD = 'wrong-password-1';
    const before = postgres.requestLog.length;
    const result = await cli(['run', '--provider', 'ionos-postgresql', '--target', postgres.url, '--examples', '10', '--seed', '3', '--report-dir', dir()]);
    expect(result.code).toBe(2);
    expect(result.err).toEqual([expect.stringMatching(/^error: credentials refused: every request with the run's credentials was answered 401\/403 \(\d+ requests\) \(check CONFORMANCE_TOKEN/)]);
    expect(result.out.join('\n')).not.toMatch(/^PASS/m);
    // It stopped instead of sending the whole plan (several hundred requests) with credentials that do not work.
    expect(postgres.requestLog.length - before).toBeLessThan(60);
  });

  it.each(['', 'no-such-organization'])('ClickHouse organizationId %j: exit 2 naming the path parameter, never PASS', async (organization) => {
    process.env.CONFORMANCE_USERNAME = 'right-user';
    process.env.CONFORMANCE_PASSWORD = 'right-password-1';
    const result = await cli(['run', '--provider', 'clickhouse-cloud', '--target', clickhouse.url, '--examples', '5', '--seed', '3', '--var', `organizationId=${organization}`, '--report-dir', dir()]);
    expect(result.code, [...result.out, ...result.err].join('\n')).toBe(2);
    expect(result.err).toEqual([expect.stringMatching(/^error: path parameter organizationId='.*' is unknown or not yours: every request under it was answered 400\/401\/403\/404 \(\d+ requests\) \(check --var organizationId=VALUE/)]);
  });

  it('right credentials and variables: the same runs pass', async () => {
    process.env.CONFORMANCE_USERNAME = 'right-user';
    process.env.CONFORMANCE_PASSWORD = 'right-password-1';
    const result = await cli(['run', '--provider', 'clickhouse-cloud', '--target', clickhouse.url, '--examples', '3', '--seed', '3', '--var', `organizationId=${clickhouse.variables.organizationId}`, '--report-dir', dir()]);
    expect(result.code, [...result.out, ...result.err].join('\n')).toBe(0);
  });
});
