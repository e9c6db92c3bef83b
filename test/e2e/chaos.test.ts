import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BIG_BODY_BYTES, CHAOS_SPEC, startChaosServer, type ChaosServer } from '../../fixtures/chaos/server.ts';
import { main } from '../../src/cli.ts';
import { DEFAULT_CLIENT_OPTIONS } from '../../src/http/client.ts';
import type { ConformanceReport } from '../../src/report/model.ts';
import { loadSpec } from '../../src/spec/load.ts';

const TIMEOUT_MS = 1000;
const CAP = DEFAULT_CLIENT_OPTIONS.maxBodyBytes;
const MB = 1024 * 1024;

/** Every failure of every operation, by check, exactly: a fault is named by its check and its message. */
const EXPECTED: Record<string, Record<string, string | RegExp>> = {
  connectionReset: { 'not-a-server-error': 'transport: connection reset' },
  hang: { 'not-a-server-error': `transport: timeout (no complete answer within ${TIMEOUT_MS} ms)` },
  slowDrip: { 'not-a-server-error': `transport: timeout (no complete answer within ${TIMEOUT_MS} ms)` },
  truncatedBody: { 'not-a-server-error': 'transport: connection closed before the body was complete (14 of 200 bytes)' },
  // The wording after the colon is V8's.
  invalidJson: { 'response-schema-conformance': /^the body is not valid JSON: \S.*JSON/ },
  htmlError: {
    'not-a-server-error': 'server error 500',
    'content-type-conformance': 'Content-Type text/html is not documented for status 500 (documented: application/json)',
  },
  wrongContentLength: { 'not-a-server-error': 'transport: wrong content length (32 bytes before the connection closed, 200 declared)' },
  bigBody: { 'not-a-server-error': `transport: body too large (more than ${CAP} bytes)` },
  invalidUtf8: { 'response-schema-conformance': 'the body is not valid JSON: invalid UTF-8 at byte 12 (0xc3 0x28); JSON must be UTF-8' },
  redirectLoop: { 'status-code-conformance': 'undocumented status 302 (documented: 200); it redirects to itself (Location: /redirect-loop), a redirect loop' },
  // Served normally by this server: the control that a sound operation passes among the faults. Its fault, a closed
  // port, needs a server that goes away (below).
  closedPort: {},
};

interface Captured {
  code: number;
  out: string[];
  err: string[];
  elapsedMs: number;
}

async function cli(argv: string[]): Promise<Captured> {
  const out: string[] = [];
  const err: string[] = [];
  const started = performance.now();
  const code = await main(argv, { out: (s) => out.push(s), err: (s) => err.push(s) });
  return { code, out, err, elapsedMs: performance.now() - started };
}

const tmp = (label: string) => mkdtempSync(join(tmpdir(), `conformance-chaos-${label}-`));
const readReport = (dir: string) => JSON.parse(readFileSync(join(dir, 'conformance.json'), 'utf8')) as ConformanceReport;

/** Failure messages by operation and check. */
function failuresOf(report: ConformanceReport): Record<string, Record<string, string[]>> {
  const byOperation: Record<string, Record<string, string[]>> = {};
  for (const r of report.results) {
    byOperation[r.operationId] ??= {};
    if (r.outcome === 'failed') byOperation[r.operationId]![r.check] = r.failures.map((f) => f.message);
  }
  return byOperation;
}

function expectNoCrash({ code, out, err }: Captured): void {
  const all = [...out, ...err].join('\n');
  expect(code, all).toBe(1);
  expect(all).not.toContain('    at ');
  expect(all).not.toContain('this is a bug in dbaas-conformance');
  expect(err).toEqual([]);
}

/** Node's gc(), exposed at run time (the test runner does not start workers with --expose-gc). */
function gcFunction(): () => void {
  const existing = (globalThis as { gc?: () => void }).gc;
  if (existing) return existing;
  setFlagsFromString('--expose-gc');
  return runInNewContext('gc') as () => void;
}

const CONFORMANCE_ENV = ['CONFORMANCE_TOKEN', 'CONFORMANCE_USERNAME', 'CONFORMANCE_PASSWORD'];
let savedEnv: Record<string, string | undefined> = {};
beforeEach(() => {
  savedEnv = Object.fromEntries(CONFORMANCE_ENV.map((k) => [k, process.env[k]]));
  for (const k of CONFORMANCE_ENV) delete process.env[k];
  return () => {
    for (const [k, v] of Object.entries(savedEnv)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
});

describe('a run against the chaos server', () => {
  let chaos: ChaosServer;
  let dir: string;
  let result: Captured;

  beforeAll(async () => {
    chaos = await startChaosServer();
    dir = tmp('run');
    result = await cli(['run', '--spec', CHAOS_SPEC, '--target', chaos.url, '--timeout', String(TIMEOUT_MS), '--examples', '2', '--report-dir', dir]);
  }, 90_000);

  afterAll(async () => {
    await chaos?.close();
  });

  it('exits 1 with conformance failures: no crash, no usage error, no stack trace', () => {
    expectNoCrash(result);
    expect(result.out.join('\n')).toMatch(/\nFAIL: \d+ passed, \d+ failed, \d+ not applicable; 11\/11 operations exercised/);
  });

  it('finishes within a budget set by the timeout: only /hang and /slow-drip may take it, every other request is answered or refused at once', () => {
    // Each of those requests ends after at most --timeout (even if all were sent one after the other); the rest of the
    // run (planning, the other requests, the reports) gets a fixed allowance. A drip without an overall deadline
    // would take 30 s per request and blow this.
    const slow = chaos.requests.filter((r) => r.url === '/hang' || r.url === '/slow-drip').length;
    expect(slow).toBeGreaterThanOrEqual(4);
    const budgetMs = Math.min(60_000, slow * TIMEOUT_MS + 15_000);
    expect(result.elapsedMs, `${Math.round(result.elapsedMs)} ms for ${chaos.requests.length} requests, ${slow} of them slow`).toBeLessThan(budgetMs);
  });

  it('names each fault: exactly the expected checks fail on each operation, with the expected message', () => {
    const failures = failuresOf(readReport(dir));
    for (const [operationId, expected] of Object.entries(EXPECTED)) {
      const actual = failures[operationId];
      expect(actual, `no result for ${operationId}`).toBeDefined();
      expect(Object.keys(actual!).sort(), `failed checks of ${operationId}: ${JSON.stringify(actual)}`).toEqual(Object.keys(expected).sort());
      for (const [check, message] of Object.entries(expected)) {
        expect(actual![check]!.length).toBeGreaterThan(0);
        for (const m of actual![check]!) {
          if (typeof message === 'string') expect(m, `${operationId} ${check}`).toBe(message);
          else expect(m, `${operationId} ${check}`).toMatch(message);
        }
      }
    }
  });

  it('writes all four reports, and conformance.json holds every operation of the document', async () => {
    for (const file of ['conformance.json', 'junit.xml', 'summary.md', 'report.html']) expect(existsSync(join(dir, file)), file).toBe(true);
    const report = readReport(dir);
    const spec = await loadSpec(CHAOS_SPEC);
    expect(new Set(report.results.map((r) => r.operationId))).toEqual(new Set(spec.operations.map((o) => o.id)));
    expect(Object.keys(EXPECTED).sort()).toEqual(spec.operations.map((o) => o.id).sort());
    expect(report.summary).toMatchObject({ operations: 11, operationsExercised: 11 });
    expect(report.summary.failed).toBeGreaterThanOrEqual(10);
    expect(readFileSync(join(dir, 'junit.xml'), 'utf8')).toMatch(/<testcase classname="generic.hang" name="not-a-server-error" time="[\d.]+"><failure/);
    expect(readFileSync(join(dir, 'summary.md'), 'utf8')).toContain('**FAIL**');
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toContain('transport: connection reset');
  });

  it('never reads the 50 MB body to its end', () => {
    const bigBodies = chaos.requests.filter((r) => r.url === '/big-body');
    expect(bigBodies.length).toBeGreaterThanOrEqual(2);
    for (const r of bigBodies) expect(r.bodyBytesWritten).toBeLessThan(BIG_BODY_BYTES / 2);
  });
});

describe('a target whose port closes after the reachability check', () => {
  it('fails the operation with connection refused, and still writes the reports', async () => {
    const chaos = await startChaosServer({ closeAfterRoot: true });
    try {
      const dir = tmp('closed-port');
      const result = await cli(['run', '--spec', CHAOS_SPEC, '--target', chaos.url, '--timeout', String(TIMEOUT_MS), '--examples', '2', '--include', 'closedPort', '--report-dir', dir]);
      expectNoCrash(result);
      // The server saw the reachability check and nothing else: every request of the run met a closed port.
      expect(chaos.requests.map((r) => r.url)).toEqual(['/']);
      expect(failuresOf(readReport(dir)).closedPort).toEqual({ 'not-a-server-error': expect.arrayContaining(['transport: connection refused (nothing listens on that port)']) });
      expect(new Set(failuresOf(readReport(dir)).closedPort!['not-a-server-error'])).toEqual(new Set(['transport: connection refused (nothing listens on that port)']));
      for (const file of ['conformance.json', 'junit.xml', 'summary.md', 'report.html']) expect(existsSync(join(dir, file)), file).toBe(true);
    } finally {
      await chaos.close();
    }
  });
});

describe('memory while a 50 MB body comes back', () => {
  /*
   * How it is measured: in this process (the CLI runs in-process, as in the other e2e tests), a timer forces a full
   * garbage collection every 20 ms and then reads process.memoryUsage(); the peak of heapUsed + arrayBuffers above the
   * level just before the run is the most the run held at once. Forcing the collection makes it a measure of what the
   * client keeps, not of garbage V8 has not yet collected: chunks it read and dropped would otherwise pile up to V8's
   * external-memory threshold (tens of MB) whatever the body size, and RSS includes that and more. Body buffers are
   * counted in arrayBuffers, strings in heapUsed. One request at a time (--concurrency 1), so the bound is one cap
   * (10 MB), plus a dropped body whose buffers V8's background sweeper has not yet freed at the moment of a sample.
   * Observed: about 10-12 MB held at the peak; with the cap lifted (the body read whole) about 45 MB.
   */
  it('the run holds at most about one capped body at a time, well under the body size', async () => {
    const gc = gcFunction();
    const chaos = await startChaosServer();
    try {
      const dir = tmp('memory');
      gc();
      const before = process.memoryUsage();
      const level = (m: NodeJS.MemoryUsage) => m.heapUsed + m.arrayBuffers - before.heapUsed - before.arrayBuffers;
      let peak = 0;
      let samples = 0;
      const timer = setInterval(() => {
        gc();
        peak = Math.max(peak, level(process.memoryUsage()));
        samples++;
      }, 20);
      let result: Captured;
      try {
        result = await cli(['run', '--spec', CHAOS_SPEC, '--target', chaos.url, '--timeout', String(TIMEOUT_MS), '--examples', '3', '--concurrency', '1', '--include', 'bigBody', '--report-dir', dir]);
      } finally {
        clearInterval(timer);
      }
      expectNoCrash(result);
      // V8 frees array buffers on a background thread after a collection: give it a few turns to catch up.
      let after = Number.POSITIVE_INFINITY;
      for (let i = 0; i < 5; i++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        gc();
        after = Math.min(after, level(process.memoryUsage()));
      }
      const bigBodies = chaos.requests.filter((r) => r.url === '/big-body');
      console.log(`memory: peak ${(peak / MB).toFixed(1)} MB held (${samples} samples), ${(after / MB).toFixed(1)} MB left after the run; ${bigBodies.length} requests for the 50 MB body, each read up to the ${CAP / MB} MB cap`);
      expect(bigBodies.length).toBeGreaterThanOrEqual(3);
      expect(samples).toBeGreaterThan(5);
      // One capped body (10 MB) and the run's own data; a body read whole would be 50 MB in chunks alone.
      expect(peak).toBeLessThan(BIG_BODY_BYTES / 2);
      // Nothing of the bodies is kept once the run is over (reports keep 4000 characters of a body at most).
      expect(after).toBeLessThan(5 * MB);
    } finally {
      await chaos.close();
    }
  });
});
