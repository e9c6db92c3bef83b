import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgresServer } from '../../fixtures/ionos-postgresql/server.ts';
import { compareCommand } from '../../src/cli/compare.ts';
import { UsageError } from '../../src/errors.ts';

const CREDENTIALS = { username: 'compare-tester', password: 'compare-password-1', token: 'compare-token-0123456789' };
const ENV = { CONFORMANCE_USERNAME: CREDENTIALS.username, CONFORMANCE_PASSWORD: CREDENTIALS.password };
type Server = Awaited<ReturnType<typeof startPostgresServer>>;

/** The command as the CLI runs it: a UsageError is one line on stderr and exit 2. */
async function compare(...args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  try {
    const code = await compareCommand(args, { out: (s) => out.push(s), err: (s) => err.push(s) }, ENV);
    return { code, out, err };
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    err.push(error.oneLine());
    return { code: 2, out, err };
  }
}

const RUN = ['--provider', 'ionos-postgresql', '--seed', '5', '--examples', '4', '--ready-timeout', '1500'];

describe('conformance compare', () => {
  let healthy: Server;
  let healthy2: Server;
  let broken: Server;
  let regressionDir: string;

  beforeAll(async () => {
    [healthy, healthy2, broken] = await Promise.all([startPostgresServer({ ...CREDENTIALS, readyDelayMs: 100 }), startPostgresServer({ ...CREDENTIALS, readyDelayMs: 100 }), startPostgresServer({ ...CREDENTIALS, readyDelayMs: 100, faults: ['versions-500'] })]);
  });
  afterAll(async () => {
    await Promise.all([healthy, healthy2, broken].map((s) => s?.close()));
  });

  it('a server with a fault is not a drop-in replacement for a healthy one: exit 1, the regressing check named', async () => {
    regressionDir = mkdtempSync(join(tmpdir(), 'conformance-compare-'));
    const { code, out, err } = await compare(...RUN, '--target', healthy.url, '--target', broken.url, '--report-dir', regressionDir);
    expect(err).toEqual([]);
    expect(code).toBe(1);
    const regressions = out.indexOf('passed by A, failed by B (1):');
    expect(regressions).toBeGreaterThan(0);
    expect(out[regressions + 1]).toMatch(/^ {2}not-a-server-error postgresVersionsGet \(GET \/clusters\/postgresversions\): server error 500 \[[0-9a-f]{12}\]$/);
    expect(out[regressions + 2]).toBe('failed by A, passed by B (0):');
    expect(out).toContain('  GET    /clusters/postgresversions (postgresVersionsGet): 7 P/P, not-a-server-error P/F*');
    expect(out.at(-1)).toBe('verdict: no: B is not a drop-in replacement for A (1 check passed by A fails against B)');
    const json = JSON.parse(readFileSync(join(regressionDir, 'compare.json'), 'utf8'));
    expect(json).toMatchObject({ dropIn: false, a: { target: healthy.url, seed: 5 }, b: { target: broken.url, seed: 5 } });
    expect(json.regressions).toEqual([expect.objectContaining({ operationId: 'postgresVersionsGet', check: 'not-a-server-error', a: 'passed', b: 'failed' })]);
    const md = readFileSync(join(regressionDir, 'compare.md'), 'utf8');
    expect(md).toContain('**Drop-in replacement?** no');
    expect(md).toMatch(/\| `GET \/clusters\/postgresversions` postgresVersionsGet \| \*\*✅ \/ ❌\*\* \|/);
    // Each side's full reports, so that B's failure can be replayed.
    expect(existsSync(join(regressionDir, 'a', 'conformance.json'))).toBe(true);
    expect(existsSync(join(regressionDir, 'b', 'junit.xml'))).toBe(true);
    expect(out.join('\n')).not.toContain(CREDENTIALS.password);
  });

  it('two healthy servers: B is a drop-in replacement, exit 0', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'conformance-compare-'));
    const { code, out } = await compare(...RUN, '--target', healthy.url, '--target', healthy2.url, '--report-dir', dir);
    expect(code).toBe(0);
    expect(out).toContain('passed by A, failed by B (0):');
    expect(out.at(-1)).toMatch(/^verdict: yes: B is a drop-in replacement for A/);
    expect(JSON.parse(readFileSync(join(dir, 'compare.json'), 'utf8')).dropIn).toBe(true);
  });

  it('compares two existing reports, in either direction', async () => {
    const a = join(regressionDir, 'a', 'conformance.json');
    const b = join(regressionDir, 'b', 'conformance.json');
    const dir = mkdtempSync(join(tmpdir(), 'conformance-compare-'));
    const forward = await compare(a, b, '--report-dir', dir);
    expect(forward.code).toBe(1);
    expect(forward.out.at(-1)).toMatch(/^verdict: no/);
    const backward = await compare(b, a, '--report-dir', dir);
    expect(backward.code).toBe(0);
    expect(backward.out).toContain('failed by A, passed by B (1):');
    expect(existsSync(join(dir, 'compare.md'))).toBe(true);
  });

  it('refuses bad input with one line and exit 2', async () => {
    const cases: [string[], RegExp][] = [
      [['only-one.json'], /^error: compare takes two reports, not 1 \(/],
      [['a.json', 'b.json', '--target', 'http://127.0.0.1:1'], /^error: --target is for comparing two targets, not two reports/],
      [['--provider', 'ionos-postgresql'], /^error: compare needs two targets \(or one, compared with the built-in reference server\), not 0/],
      [['--target', 'http://127.0.0.1:1', '--target', 'http://127.0.0.1:2'], /^error: compare needs --provider/],
      [['--provider', 'nope', '--target', 'http://127.0.0.1:1', '--target', 'http://127.0.0.1:2'], /^error: unknown provider 'nope'/],
      [['--bogus'], /^error: Unknown option '--bogus'/],
      [['/nonexistent/a.json', '/nonexistent/b.json'], /^error: cannot read report \/nonexistent\/a\.json/],
    ];
    for (const [args, message] of cases) {
      const { code, err } = await compare(...args);
      expect(code, args.join(' ')).toBe(2);
      expect(err).toEqual([expect.stringMatching(message)]);
    }
  });
});
