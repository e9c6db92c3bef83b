import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgresServer } from '../../fixtures/ionos-postgresql/server.ts';
import { main } from '../../src/cli.ts';
import { replayCommand } from '../../src/cli/replay.ts';
import { UsageError } from '../../src/errors.ts';
import type { ConformanceReport } from '../../src/report/model.ts';

const CREDENTIALS = { username: 'replay-tester', password: 'replay-password-1', token: 'replay-token-0123456789' };
const ENV = { CONFORMANCE_USERNAME: CREDENTIALS.username, CONFORMANCE_PASSWORD: CREDENTIALS.password };
type Server = Awaited<ReturnType<typeof startPostgresServer>>;

/** A report of a run against the built-in server with a fault; that server is gone once the run ends. */
async function reportWithFault(fault: string): Promise<{ file: string; report: ConformanceReport }> {
  const dir = mkdtempSync(join(tmpdir(), `conformance-replay-${fault}-`));
  const code = await main(['run', '--provider', 'ionos-postgresql', '--seed', '5', '--examples', '6', '--ready-timeout', '1500', '--report-dir', dir, '--fault', fault], { out: () => {}, err: () => {} });
  expect(code).toBe(1);
  const file = join(dir, 'conformance.json');
  return { file, report: JSON.parse(readFileSync(file, 'utf8')) as ConformanceReport };
}

function failureIdOf(report: ConformanceReport, operationId: string, check: string): string {
  const id = report.results.find((r) => r.operationId === operationId && r.check === check)?.failures[0]?.id;
  expect(id).toMatch(/^[0-9a-f]{12}$/);
  return id!;
}

/** The command as the CLI runs it: a UsageError is one line on stderr and exit 2. */
async function replay(...args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const io = { out: (s: string) => out.push(s), err: (s: string) => err.push(s) };
  try {
    const code = await replayCommand(args, io, ENV);
    return { code, out, err };
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    err.push(error.oneLine());
    return { code: 2, out, err };
  }
}

const servers: Server[] = [];
async function server(...faults: string[]): Promise<Server> {
  const s = await startPostgresServer({ ...CREDENTIALS, readyDelayMs: 100, faults });
  servers.push(s);
  return s;
}

afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

describe('replay of a per-request failure (versions-500: not-a-server-error)', () => {
  let file: string;
  let id: string;
  beforeAll(async () => {
    const produced = await reportWithFault('versions-500');
    file = produced.file;
    id = failureIdOf(produced.report, 'postgresVersionsGet', 'not-a-server-error');
  });

  it('still fails against a server with the same fault, with a curl line and no secret', async () => {
    const broken = await server('versions-500');
    const { code, out, err } = await replay(file, id, '--target', broken.url);
    expect(err).toEqual([]);
    expect(code).toBe(1);
    expect(out[0]).toBe(`replaying ${id}: not-a-server-error on ionos-postgresql postgresVersionsGet (GET /clusters/postgresversions)`);
    expect(out).toContain('  answered 500 (recorded: 500)');
    expect(out).toContain(`  curl -sS -X GET '${broken.url}/clusters/postgresversions' -H 'accept: application/json, application/problem+json' -u "$CONFORMANCE_USERNAME:$CONFORMANCE_PASSWORD"`);
    expect(out.at(-1)).toBe('still fails: server error 500');
    expect(out.join('\n')).not.toContain(CREDENTIALS.password);
    expect(out.join('\n')).not.toContain(Buffer.from(`${CREDENTIALS.username}:${CREDENTIALS.password}`).toString('base64'));
  });

  it('no longer fails against a healthy server', async () => {
    const healthy = await server();
    const { code, out } = await replay(file, id, '--target', healthy.url);
    expect(code).toBe(0);
    expect(out).toContain('  answered 200 (recorded: 500)');
    expect(out.at(-1)).toBe('no longer fails');
  });

  it("starts the provider's reference server when the report's loopback target no longer answers", async () => {
    const { code, out } = await replay(file, id.slice(0, 6));
    expect(code).toBe(0);
    expect(out).toContainEqual(expect.stringMatching(/^ {2}the report's target http:\/\/127\.0\.0\.1:\d+ no longer answers: using a freshly started ionos-postgresql reference server$/));
    expect(out.at(-1)).toBe('no longer fails');
  });

  it('replays a failure of a report written before schema 1.4 (no intent recorded) as a sequence, and says so', async () => {
    const old = JSON.parse(readFileSync(file, 'utf8')) as ConformanceReport;
    old.schemaVersion = '1.3';
    for (const result of old.results) for (const f of result.failures) for (const key of ['intent', 'constraint', 'strict', 'replay'] as const) delete f[key];
    const oldFile = join(mkdtempSync(join(tmpdir(), 'conformance-replay-old-')), 'conformance.json');
    writeFileSync(oldFile, JSON.stringify(old));
    const broken = await server('versions-500');
    const { code, out } = await replay(oldFile, id, '--target', broken.url);
    expect(code).toBe(1);
    expect(out).toContain("  the report predates schema 1.4 and does not record how this failure's request was meant (its intent): replaying the sequence instead of the one request");
    expect(out).toContain(`  replaying the sequence: re-running ionos-postgresql restricted to postgresVersionsGet (seed 5, 25 examples, full) against ${broken.url}`);
    expect(out.at(-1)).toBe('still fails: server error 500');
  });

  it('refuses an unknown failure id with one line that says where the ids are', async () => {
    const { code, out, err } = await replay(file, 'ffffffffffff');
    expect(code).toBe(2);
    expect(out).toEqual([]);
    expect(err).toHaveLength(1);
    expect(err[0]).not.toContain('\n');
    expect(err[0]).toMatch(/^error: no failure 'ffffffffffff' in .*conformance\.json \(failure ids are results\[\]\.failures\[\]\.id in conformance\.json and are printed by conformance diff; its failures: [0-9a-f]{12}/);
    expect(err[0]).toContain(id);
  });

  it('refuses a missing failure id and unknown flags', async () => {
    expect((await replay(file)).err).toEqual([expect.stringMatching(/^error: replay needs a report and a failure id \(conformance replay REPORT FAILURE-ID/)]);
    const unknown = await replay(file, id, '--nope');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toEqual([expect.stringMatching(/^error: Unknown option '--nope' \(conformance replay/)]);
    expect((await replay('/nonexistent/conformance.json', id)).err).toEqual([expect.stringMatching(/^error: cannot read report \/nonexistent/)]);
    const down = await replay(file, id, '--target', 'http://127.0.0.1:1');
    expect(down.code).toBe(2);
    // The same one line as `conformance run` gives, naming the transport fault.
    expect(down.err).toEqual(['error: target http://127.0.0.1:1 is unreachable: transport: connection refused (nothing listens on that port) (check the URL and that the API is up)']);
  });
});

describe('replay of a failure whose request carried redacted secrets (invalid-body-accepted: negative-data-rejection)', () => {
  it('sends fresh values for the redacted fields, says so, and deletes what the replayed create made', async () => {
    const { file, report } = await reportWithFault('invalid-body-accepted');
    const failure = report.results.find((r) => r.operationId === 'clustersPost' && r.check === 'negative-data-rejection')!.failures.find((f) => f.message.startsWith('body/properties/instances above its maximum'))!;
    expect(failure.request.body).toContain('"credentials":{"username":"[REDACTED]","password":"[REDACTED]"}');
    const broken = await server('invalid-body-accepted');
    const { code, out } = await replay(file, failure.id!, '--target', broken.url);
    expect(code).toBe(1);
    expect(out).toContain('  replaced 2 redacted values with fresh random ones: /properties/credentials/username, /properties/credentials/password');
    expect(out).toContainEqual(expect.stringMatching(/^ {2}the replay created cluster [0-9a-f-]{36}: deleting it again$/));
    expect(out.at(-1)).toBe('still fails: body/properties/instances above its maximum was answered 200, expected a 4xx refusal');
    const left = await fetch(`${broken.url}/clusters`, { headers: { authorization: `Basic ${Buffer.from(`${CREDENTIALS.username}:${CREDENTIALS.password}`).toString('base64')}` } });
    expect(((await left.json()) as { items: unknown[] }).items).toEqual([]);

    const healthy = await server();
    const fixed = await replay(file, failure.id!, '--target', healthy.url);
    expect(fixed.code).toBe(0);
    expect(fixed.out).toContain('  answered 422 (recorded: 200)');
  });
});

describe('replay of auth failures (no-auth-accepted)', () => {
  it('sends no credentials for auth-required, and the recorded wrong ones for auth-invalid', async () => {
    const { file, report } = await reportWithFault('no-auth-accepted');
    const broken = await server('no-auth-accepted');
    const healthy = await server();
    const required = failureIdOf(report, 'clustersGet', 'auth-required');
    const still = await replay(file, required, '--target', broken.url);
    expect(still.code).toBe(1);
    expect(still.out).toContainEqual(expect.stringMatching(new RegExp(`^ {2}curl -sS -X GET '${broken.url}/clusters\\?[^']*' -H 'accept: application/json, application/problem\\+json'$`)));
    expect(still.out.at(-1)).toBe('still fails: a request without credentials was answered 200, expected 401');
    const fixed = await replay(file, required, '--target', healthy.url);
    expect(fixed.code).toBe(0);
    expect(fixed.out).toContain('  answered 401 (recorded: 200)');

    const invalid = failureIdOf(report, 'clustersGet', 'auth-invalid');
    const wrong = await replay(file, invalid, '--target', broken.url);
    expect(wrong.code).toBe(1);
    expect(wrong.out).toContainEqual(expect.stringContaining(`-H 'authorization: Basic ${Buffer.from('conformance-nobody:wrong-password-0000').toString('base64')}'`));
    expect(wrong.out.at(-1)).toBe('still fails: wrong credentials answered 200, expected 401 or 403');
    expect((await replay(file, invalid, '--target', healthy.url)).code).toBe(0);
  });
});

describe('replay of a lifecycle failure (delete-still-readable: use-after-delete)', () => {
  let file: string;
  let id: string;
  beforeAll(async () => {
    const produced = await reportWithFault('delete-still-readable');
    file = produced.file;
    id = failureIdOf(produced.report, 'clustersDelete', 'use-after-delete');
  });

  it('re-runs the sequence with the same seed and finds the same failure against a server with the fault', async () => {
    const broken = await server('delete-still-readable');
    const { code, out } = await replay(file, id, '--target', broken.url, '--ready-timeout', '1500');
    expect(code).toBe(1);
    expect(out).toContain(`  use-after-delete is judged over a sequence of requests: re-running ionos-postgresql restricted to clustersGet, clustersPost, clustersFindById, clustersDelete (seed 5, 25 examples, full) against ${broken.url}`);
    expect(out).toContainEqual(expect.stringMatching(new RegExp(`^ {2}curl -sS -X GET '${broken.url}/clusters/[0-9a-f-]{36}'`)));
    expect(out.at(-1)).toMatch(/^still fails: the deleted cluster is still readable after 1500 ms/);
  });

  it('no longer fails against a healthy server', async () => {
    const healthy = await server();
    const { code, out } = await replay(file, id, '--target', healthy.url, '--ready-timeout', '1500', '--examples', '6');
    expect(code).toBe(0);
    expect(out).toContainEqual(expect.stringMatching(/^ {2}recorded request: curl /));
    expect(out.at(-1)).toBe('no longer fails');
  });
});
