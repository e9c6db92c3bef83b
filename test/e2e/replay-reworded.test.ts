import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi, type MockInstance } from 'vitest';
import { startPostgresServer } from '../../fixtures/ionos-postgresql/server.ts';
import { RESPONSE_CHECKS } from '../../src/checks/registry.ts';
import type { Check } from '../../src/checks/types.ts';
import { main } from '../../src/cli.ts';
import { replayCommand } from '../../src/cli/replay.ts';
import { UsageError } from '../../src/errors.ts';
import { PROVIDERS } from '../../src/providers/registry.ts';
import type { ConformanceReport } from '../../src/report/model.ts';
import type { RunEvent } from '../../src/run/events.ts';

/**
 * Replay must judge a failure from what the run recorded as data (intent, broken constraint, replay kind), never from
 * the wording of its message. The original run rewords every message: those of every per-response check (the
 * built-in ones and every provider's) and those of every stateful probe (reworded in the event stream before the
 * report collector sees them). Replay then runs with the checks' own wording against a server that still has the
 * faults: every failure must still fail.
 */
const rewording = vi.hoisted(() => ({
  on: false,
  reword: (message: string) => `REWORDED ${message.split(' ').reverse().join(' ')}`,
}));

vi.mock('../../src/report/model.ts', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../src/report/model.ts')>();
  /** The collector of the run, behind a sink that rewords what the stateful probes found. */
  class RewordingCollector extends original.ResultCollector {
    constructor(...args: ConstructorParameters<typeof original.ResultCollector>) {
      super(...args);
      const sink = this.sink;
      const reworded = (event: RunEvent): RunEvent => {
        if (!rewording.on) return event;
        if (event.type === 'probe') return { ...event, failures: event.failures.map(rewording.reword), ...(event.warnings ? { warnings: event.warnings.map(rewording.reword) } : {}) };
        if (event.type === 'shrunk') return { ...event, message: rewording.reword(event.message) };
        return event;
      };
      Object.defineProperty(this, 'sink', { value: (event: RunEvent) => sink(reworded(event)) });
    }
  }
  return { ...original, ResultCollector: RewordingCollector };
});

const CREDENTIALS = { username: 'reword-tester', password: 'reword-password-1', token: 'reword-token-0123456789' };
const ENV = { CONFORMANCE_USERNAME: CREDENTIALS.username, CONFORMANCE_PASSWORD: CREDENTIALS.password };
/** valid (versions-500), invalid (invalid-body-accepted), no-auth and bad-auth (no-auth-accepted), unknown-id (unknown-id-200), a sequence (delete-still-readable). */
const FAULTS = ['versions-500', 'invalid-body-accepted', 'no-auth-accepted', 'unknown-id-200', 'delete-still-readable'];
const READY_TIMEOUT = '1500';
const OPERATIONS = ['postgresVersionsGet', 'clustersPost', 'clustersFindById', 'clustersDelete'];

/** Every per-response check's failures and warnings come back reworded while `rewording.on`. */
function rewordEveryCheck(): MockInstance[] {
  const checks = new Set<Check>([...RESPONSE_CHECKS, ...PROVIDERS.flatMap((p) => p.checks ?? [])]);
  const spies: MockInstance[] = [];
  for (const check of checks) {
    const run = check.run;
    spies.push(vi.spyOn(check, 'run').mockImplementation((exchange, context) => run.call(check, exchange, context).map((m) => (rewording.on ? rewording.reword(m) : m))));
    const warn = check.warn;
    if (warn) spies.push(vi.spyOn(check, 'warn').mockImplementation((exchange, context) => warn.call(check, exchange, context).map((m) => (rewording.on ? rewording.reword(m) : m))));
  }
  return spies;
}

async function replay(...args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  try {
    const code = await replayCommand(args, { out: (s) => out.push(s), err: (s) => err.push(s) }, ENV);
    return { code, out, err };
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    return { code: 2, out, err: [error.oneLine()] };
  }
}

describe('replay judges from the recorded data, not the message (every message reworded in the original run)', () => {
  let spies: MockInstance[] = [];
  let file: string;
  let report: ConformanceReport;
  const servers: { close(): Promise<void> }[] = [];

  beforeAll(async () => {
    spies = rewordEveryCheck();
    const dir = mkdtempSync(join(tmpdir(), 'conformance-reworded-'));
    rewording.on = true;
    try {
      const args = ['run', '--provider', 'ionos-postgresql', '--seed', '5', '--examples', '3', '--ready-timeout', READY_TIMEOUT, '--report-dir', dir];
      const code = await main([...args, ...OPERATIONS.flatMap((o) => ['--include', o]), ...FAULTS.flatMap((f) => ['--fault', f])], { out: () => {}, err: () => {} });
      expect(code).toBe(1);
    } finally {
      rewording.on = false;
    }
    file = join(dir, 'conformance.json');
    report = JSON.parse(readFileSync(file, 'utf8')) as ConformanceReport;
  });

  afterAll(async () => {
    for (const spy of spies) spy.mockRestore();
    await Promise.all(servers.map((s) => s.close()));
  });

  it('the original run reworded every failure, and its failures cover every intent and a sequence', () => {
    const failures = report.results.flatMap((r) => r.failures.map((f) => ({ check: r.check, ...f })));
    expect(failures.length).toBeGreaterThan(10);
    expect(failures.filter((f) => !f.message.startsWith('REWORDED '))).toEqual([]);
    const kinds = new Set(failures.map((f) => `${f.replay} ${f.intent}`));
    for (const kind of ['request valid', 'request invalid', 'request no-auth', 'request bad-auth', 'request unknown-id', 'sequence lifecycle']) expect(kinds).toContain(kind);
  });

  it('every failure (one of each operation, check and intent) still fails when replayed against a server that still has the faults', async () => {
    const broken = await startPostgresServer({ ...CREDENTIALS, readyDelayMs: 100, faults: FAULTS });
    servers.push(broken);
    // One failure of each operation, check, replay kind and intent (the others of a group differ only in the
    // values sent; replaying each of them costs a create and a delete, or a whole sequence, apiece).
    const groups = new Map(report.results.flatMap((r) => r.failures.map((f) => [`${r.operationId} ${r.check} ${f.replay} ${f.intent}`, f.id!] as const)).reverse());
    const ids = [...groups.values()];
    expect(ids.length).toBeGreaterThanOrEqual(12);
    const notStill: string[] = [];
    for (const id of ids) {
      const { code, out, err } = await replay(file, id, '--target', broken.url, '--ready-timeout', READY_TIMEOUT, '--examples', '2');
      const last = out.at(-1) ?? err.join(' ');
      // "still fails" with the message as the check words it now: the reworded one is only in the report.
      if (code !== 1 || !last.startsWith('still fails: ') || last.startsWith('still fails: REWORDED')) notStill.push(`${id} (${out[0] ?? ''}): exit ${code}, ${last}`);
    }
    expect(notStill).toEqual([]);
  }, 300_000);
});
