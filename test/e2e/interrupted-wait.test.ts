import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgresServer } from '../../fixtures/ionos-postgresql/server.ts';
import { providerByName } from '../../src/providers/registry.ts';
import type { RunEvent } from '../../src/run/events.ts';
import { prepareRun } from '../../src/run/orchestrate.ts';
import { Session } from '../../src/run/session.ts';

describe('an interrupt during the wait for a created resource', () => {
  const saved = { ...process.env };
  let server: Awaited<ReturnType<typeof startPostgresServer>>;

  beforeAll(async () => {
    process.env.CONFORMANCE_USERNAME = 'waiter';
    process.env.CONFORMANCE_PASSWORD = 'Wt-interrupt-9k3';
    // Clusters stay BUSY for 4 s: the availability probe is still waiting when the run is interrupted.
    server = await startPostgresServer({ username: 'waiter', password: 'Wt-interrupt-9k3', token: 'unused-token-w', readyDelayMs: 4000 });
  });

  afterAll(async () => {
    process.env = saved;
    await server.close();
  });

  it('is no resource-availability failure, and the resource is still deleted', async () => {
    const { config } = await prepareRun({ profile: providerByName('ionos-postgresql'), target: server.url, examples: 2, seed: 3, variables: {}, reportDir: mkdtempSync(join(tmpdir(), 'conformance-wait-')), env: process.env });
    const events: RunEvent[] = [];
    const session = new Session(config, (e) => events.push(e));
    const create = session.plan.find((p) => p.phase === 'create' && p.resource?.name === 'cluster')!;
    const running = session.runOperation(create);
    const deadline = Date.now() + 20_000;
    while (session.ledger.list().length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 800));
    session.interrupt('SIGINT');
    await running;
    await session.finish();
    const availability = events.filter((e) => e.type === 'probe' && e.check === 'resource-availability');
    expect(availability.flatMap((e) => (e.type === 'probe' ? e.failures : []))).toEqual([]);
    expect(session.ledger.list()).toEqual([]);
  }, 60_000);
});
