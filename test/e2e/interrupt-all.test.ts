import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * SIGINT, SIGTERM and --max-duration on every provider: the run deletes what it created, each type's documented
 * delete precondition honoured (ClickHouse refuses to delete a service that is not stopped), and nothing is left.
 */
const BIN = join(import.meta.dirname, '../../bin/conformance.js');
const USER = 'interrupt-all';
const PASSWORD = 'interrupt-all-pw-7731';
const env = { ...process.env, CONFORMANCE_USERNAME: USER, CONFORMANCE_PASSWORD: PASSWORD, CONFORMANCE_TOKEN: '' };
const auth = { authorization: `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}` };

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

/** How to list each provider's resources; what carries a run marker was created by a run (seed data does not). */
const PROVIDERS: { name: string; lists: (vars: Record<string, string>) => string[] }[] = [
  { name: 'ionos-postgresql', lists: () => ['/clusters?limit=1000'] },
  { name: 'ionos-inmemorydb', lists: () => ['/replicasets?limit=1000'] },
  { name: 'redis-enterprise', lists: () => ['/v1/bdbs'] },
  { name: 'clickhouse-cloud', lists: (vars) => [`/v1/organizations/${vars.organizationId}/services`] },
];

describe.each(PROVIDERS)('$name: interrupted runs leave nothing behind', ({ name, lists }) => {
  let server: ReturnType<typeof start>;
  let url = '';
  const vars: Record<string, string> = {};

  const marked = async (): Promise<number> => {
    let count = 0;
    for (const path of lists(vars)) {
      const text = await (await fetch(`${url}${path}`, { headers: auth })).text();
      count += new Set(text.match(/cf-[0-9a-f]{6}-\d+/g) ?? []).size;
    }
    return count;
  };

  beforeAll(async () => {
    // Resources stay in their transitional states for 1 s, so the run is waiting on them when it is stopped.
    server = start(['serve', '--provider', name, '--port', '0', '--ready-delay', '1000']);
    await waitFor(() => /Press Ctrl\+C/.test(server.output()), 'the server');
    url = /listening on (http:\/\/\S+)/.exec(server.output())![1]!;
    for (const [, k, v] of server.output().matchAll(/^ {2}(\w+): (\S+)$/gm)) if (k !== 'bearer') vars[k!] = v!;
  });

  afterAll(async () => {
    server.child.kill('SIGTERM');
    await server.exit;
  });

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
    ['--max-duration', 1],
  ] as const)('%s: every resource is deleted, the ledger is empty, exit %d', async (how, code) => {
    const dir = mkdtempSync(join(tmpdir(), `conformance-${name}-`));
    const ledger = join(dir, 'ledger.json');
    const extra = name === 'clickhouse-cloud' ? ['--var', `organizationId=${vars.organizationId}`] : [];
    const limit = how === '--max-duration' ? ['--max-duration', '2500ms'] : [];
    const run = start(['run', '--provider', name, '--target', url, '--examples', '3', '--seed', '5', '--report-dir', dir, ...extra, ...limit]);
    await waitFor(() => ledgerEntries(ledger).length > 0, `the first create (${run.output()})`);
    if (how !== '--max-duration') run.child.kill(how);
    expect(await run.exit, run.output()).toBe(code);
    expect(ledgerEntries(ledger), run.output()).toEqual([]);
    expect(await marked(), run.output()).toBe(0);
    expect(run.output()).not.toMatch(/could not delete|did not become/);
    const report = JSON.parse(readFileSync(join(dir, 'conformance.json'), 'utf8'));
    expect(report.run.interrupted).toBe(true);
    expect(JSON.stringify(report.results.filter((r: { outcome: string }) => r.outcome === 'failed'))).not.toMatch(/did not become|still readable/);
  }, 60_000);
});
