import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startClickHouseServer } from '../../fixtures/clickhouse-cloud/server.ts';
import { startPostgresServer } from '../../fixtures/ionos-postgresql/server.ts';
import { providerByName } from '../../src/providers/registry.ts';
import type { ReferenceServer } from '../../src/providers/types.ts';
import { prepareRun } from '../../src/run/orchestrate.ts';
import { Session } from '../../src/run/session.ts';
import { cli } from '../cli-helpers.ts';

const USER = 'ledger-tester';
const PASSWORD = 'ledger-safety-pw-0042';
const auth = { authorization: `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}` };

/** Runs the creates of a provider and stops there, as a run killed with SIGKILL would: its ledger stays behind. */
async function crashAfterCreates(provider: string, server: ReferenceServer, dir: string): Promise<string> {
  const { config } = await prepareRun({ profile: providerByName(provider), target: server.url, examples: 2, seed: 7, variables: server.variables, reportDir: dir, env: process.env });
  const session = new Session(config, () => {});
  for (const planned of session.plan.filter((p) => p.phase === 'create')) await session.runOperation(planned);
  return session.ledger.file!;
}

const entries = (file: string): unknown[] => (JSON.parse(readFileSync(file, 'utf8')) as { entries: unknown[] }).entries;

describe('the crash ledger', () => {
  const saved = { ...process.env };
  let postgres: Awaited<ReturnType<typeof startPostgresServer>>;
  let clickhouse: ReferenceServer;

  beforeAll(async () => {
    process.env.CONFORMANCE_USERNAME = USER;
    process.env.CONFORMANCE_PASSWORD = PASSWORD;
    postgres = await startPostgresServer({ username: USER, password: PASSWORD, token: 'unused-token-5678', readyDelayMs: 20 });
    clickhouse = await startClickHouseServer({ username: USER, password: PASSWORD, token: 'unused-token-5678', readyDelayMs: 20 });
  });

  afterAll(async () => {
    process.env = saved;
    await postgres.close();
    await clickhouse.close();
  });

  it('cleanup refuses a file that is not a ledger, exits 2 and leaves it as it was', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'conformance-notledger-'));
    const file = join(dir, 'conformance.json');
    const content = `${JSON.stringify({ schemaVersion: '1.1', run: { seed: 1 }, results: [] })}\n`;
    writeFileSync(file, content);
    const result = await cli(['cleanup', '--ledger', file]);
    expect(result.code).toBe(2);
    expect(result.err).toEqual([expect.stringMatching(/^error: .*conformance\.json is not a conformance ledger \(/)]);
    expect(readFileSync(file, 'utf8')).toBe(content);
  });

  it('survives --dry-plan, --list and a later run in the same report dir until cleanup has deleted its entries', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'conformance-crash-'));
    const ledger = await crashAfterCreates('ionos-postgresql', postgres, dir);
    const before = readFileSync(ledger, 'utf8');
    expect(entries(ledger).length).toBeGreaterThan(0);
    const clusters = async () => ((await (await fetch(`${postgres.url}/clusters?limit=1000`, { headers: auth })).json()) as { items: unknown[] }).items.length;
    expect(await clusters()).toBeGreaterThan(0);

    for (const flag of ['--dry-plan', '--list']) {
      const plan = await cli(['run', '--provider', 'ionos-postgresql', '--target', postgres.url, flag, '--report-dir', dir]);
      expect(plan.code, plan.err.join('\n')).toBe(0);
      expect(readFileSync(ledger, 'utf8')).toBe(before);
    }
    const run = await cli(['run', '--provider', 'ionos-postgresql', '--target', postgres.url, '--examples', '2', '--report-dir', dir]);
    expect(run.code).toBe(2);
    expect(run.err).toEqual([expect.stringMatching(/still lists \d+ resources? of an earlier run .*conformance cleanup --ledger/)]);
    expect(readFileSync(ledger, 'utf8')).toBe(before);

    const cleanup = await cli(['cleanup', '--ledger', ledger]);
    expect(cleanup.code, cleanup.out.join('\n')).toBe(0);
    expect(entries(ledger)).toEqual([]);
    expect(await clusters()).toBe(0);
    // Once cleaned, the report dir is free again.
    const again = await cli(['run', '--provider', 'ionos-postgresql', '--target', postgres.url, '--examples', '1', '--include', 'clustersGet', '--report-dir', dir]);
    expect(again.code, again.err.join('\n')).toBe(0);
  }, 60_000);

  it('cleanup deletes ClickHouse services from the ledger alone: organizationId from the ledger, stopped before the delete', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'conformance-crash-ch-'));
    const ledger = await crashAfterCreates('clickhouse-cloud', clickhouse, dir);
    const left = entries(ledger) as { params: Record<string, string>; beforeDelete?: unknown }[];
    expect(left.length).toBeGreaterThan(0);
    expect(left[0]!.params.organizationId).toBe(clickhouse.variables.organizationId);
    expect(left[0]!.beforeDelete).toMatchObject({ operationId: 'instanceStateUpdate', until: ['stopped'] });
    const org = clickhouse.variables.organizationId;
    const services = async () => ((await (await fetch(`${clickhouse.url}/v1/organizations/${org}/services`, { headers: auth })).json()) as { result: unknown[] }).result.length;
    const before = await services();
    // No --var and no CONFORMANCE_VAR_ORGANIZATIONID: the ledger holds it.
    expect(Object.keys(process.env).filter((k) => k.startsWith('CONFORMANCE_VAR_'))).toEqual([]);
    const cleanup = await cli(['cleanup', '--ledger', ledger]);
    expect(cleanup.code, [...cleanup.out, ...cleanup.err].join('\n')).toBe(0);
    expect(cleanup.out[0]).toBe(`cleanup: ${left.length} deleted, 0 left in ${ledger}`);
    expect(await services()).toBe(before - left.length);
    expect(existsSync(`${ledger}.clickhouse-cloud.tmp`)).toBe(false);
  }, 60_000);
});
