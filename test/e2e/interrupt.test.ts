import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = join(import.meta.dirname, '../../bin/conformance.js');
const env = { ...process.env, CONFORMANCE_USERNAME: 'tester', CONFORMANCE_PASSWORD: 'interrupt-test-pw', CONFORMANCE_TOKEN: '' };

function start(args: string[]): { child: ChildProcess; output: () => string; exit: Promise<number | null> } {
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exit = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))));
  return { child, output: () => output, exit };
}

async function waitFor(predicate: () => boolean, what: string, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const ledgerEntries = (file: string): unknown[] => (existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')).entries as unknown[]) : []);

describe('interrupted runs leave nothing behind', () => {
  let server: ReturnType<typeof start>;
  let url = '';
  const auth = `Basic ${Buffer.from('tester:interrupt-test-pw').toString('base64')}`;
  const clusterCount = async () => ((await (await fetch(`${url}/clusters?limit=1000`, { headers: { authorization: auth } })).json()) as { items: unknown[] }).items.length;

  beforeAll(async () => {
    // Resources stay BUSY for 3 s, so the run is still waiting on them when it is interrupted.
    server = start(['serve', '--provider', 'ionos-postgresql', '--port', '0', '--ready-delay', '3000']);
    await waitFor(() => /listening on (http:\/\/\S+)/.test(server.output()), 'the server');
    url = /listening on (http:\/\/\S+)/.exec(server.output())![1]!;
  });

  afterAll(async () => {
    server.child.kill('SIGTERM');
    await server.exit;
  });

  it('SIGINT during the creates: the run deletes what it created, empties its ledger and exits 130', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'conformance-sigint-'));
    const ledger = join(dir, 'ledger.json');
    const run = start(['run', '--provider', 'ionos-postgresql', '--target', url, '--examples', '5', '--seed', '1', '--report-dir', dir]);
    await waitFor(() => ledgerEntries(ledger).length > 0, 'the first create');
    expect(await clusterCount()).toBeGreaterThan(0);
    run.child.kill('SIGINT');
    expect(await run.exit).toBe(130);
    expect(ledgerEntries(ledger)).toEqual([]);
    expect(await clusterCount()).toBe(0);
    const report = JSON.parse(readFileSync(join(dir, 'conformance.json'), 'utf8'));
    expect(report.run.interrupted).toBe(true);
  });

  it('SIGKILL leaves the ledger behind, and `conformance cleanup` removes every resource in it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'conformance-sigkill-'));
    const ledger = join(dir, 'ledger.json');
    const run = start(['run', '--provider', 'ionos-postgresql', '--target', url, '--examples', '5', '--seed', '2', '--report-dir', dir]);
    await waitFor(() => ledgerEntries(ledger).length >= 5, 'five creates');
    run.child.kill('SIGKILL');
    await run.exit;
    const left = ledgerEntries(ledger).length;
    expect(left).toBeGreaterThanOrEqual(5);
    expect(await clusterCount()).toBeGreaterThanOrEqual(5);
    const cleanup = start(['cleanup', '--ledger', ledger]);
    expect(await cleanup.exit).toBe(0);
    expect(cleanup.output()).toContain(`cleanup: ${left} deleted, 0 left`);
    expect(ledgerEntries(ledger)).toEqual([]);
    expect(await clusterCount()).toBe(0);
  });
});
