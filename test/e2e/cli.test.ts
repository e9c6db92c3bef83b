import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cli, type Captured } from '../cli-helpers.ts';
import { ionosPostgresql } from '../../src/providers/ionos-postgresql.ts';
import type { ConformanceReport } from '../../src/report/model.ts';
import { loadSpec } from '../../src/spec/load.ts';


const tmp = (label: string) => mkdtempSync(join(tmpdir(), `conformance-cli-${label}-`));
const readReport = (dir: string) => JSON.parse(readFileSync(join(dir, 'conformance.json'), 'utf8')) as ConformanceReport;

/** Environment variables the CLI reads; each test starts without them and gets the originals back. */
const CONFORMANCE_ENV = ['CONFORMANCE_TOKEN', 'CONFORMANCE_USERNAME', 'CONFORMANCE_PASSWORD'];
let savedEnv: Record<string, string | undefined> = {};
beforeEach(() => {
  savedEnv = Object.fromEntries(CONFORMANCE_ENV.map((k) => [k, process.env[k]]));
  for (const k of CONFORMANCE_ENV) delete process.env[k];
});
afterEach(() => {
  for (const [k, v] of Object.entries(savedEnv)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

describe('conformance run against the PostgreSQL reference server', () => {
  it('passes, exercises all 25 operations and writes the three reports', async () => {
    const dir = tmp('pass');
    const { code, out, err } = await cli(['run', '--provider', 'ionos-postgresql', '--seed', '7', '--examples', '5', '--report-dir', dir]);
    expect(err).toEqual([]);
    expect(code).toBe(0);
    const report = readReport(dir);
    expect(report.summary.operations).toBe(25);
    expect(report.summary.operationsExercised).toBe(25);
    expect(report.summary.failed).toBe(0);
    expect(report.summary.passed).toBeGreaterThan(0);
    expect(report.run).toMatchObject({ provider: 'ionos-postgresql', seed: 7, interrupted: false });
    const spec = await loadSpec(ionosPostgresql.spec);
    expect(new Set(report.results.map((r) => r.operationId))).toEqual(new Set(spec.operations.map((o) => o.id)));
    for (const file of ['junit.xml', 'summary.md']) expect(existsSync(join(dir, file)), file).toBe(true);
    expect(readFileSync(join(dir, 'junit.xml'), 'utf8')).toMatch(/^<\?xml[^>]*>\n<testsuites name="dbaas-conformance" tests="\d+" failures="0"/);
    expect(readFileSync(join(dir, 'summary.md'), 'utf8')).toContain('**PASS**');
    expect(out.join('\n')).toMatch(/\nPASS: \d+ passed, 0 failed, \d+ not applicable; 25\/25 operations exercised/);
  });

  describe.each([
    ['cluster-state-invalid', 'clustersFindById', 'response-schema-conformance', 'the body does not match the schema for 200: /metadata/state must be equal to one of the allowed values'],
    ['error-without-envelope', 'clustersFindById', 'error-envelope-conformance', "error 404 does not carry the error envelope: (root) must have required property 'httpStatus'"],
    ['unknown-id-200', 'clustersFindById', 'status-code-conformance', 'a request for an unknown id was answered 200, expected a 4xx such as 404'],
    ['versions-500', 'postgresVersionsGet', 'not-a-server-error', 'server error 500'],
    ['wrong-content-type', 'infosVersionGet', 'content-type-conformance', 'Content-Type text/html is not documented for status 200 (documented: application/json)'],
  ])('--fault %s', (fault, operationId, check, message) => {
    it(`fails ${check} on ${operationId} with a replayable curl`, async () => {
      const dir = tmp(fault);
      // A broken server may never reach a ready state: bound the wait for it.
      const { code, out } = await cli(['run', '--provider', 'ionos-postgresql', '--seed', '7', '--examples', '5', '--ready-timeout', '2000', '--report-dir', dir, '--fault', fault]);
      expect(code).toBe(1);
      const report = readReport(dir);
      expect(report.summary.failed).toBeGreaterThan(0);
      const result = report.results.find((r) => r.operationId === operationId && r.check === check);
      expect(result?.outcome).toBe('failed');
      const failure = result!.failures.find((f) => f.message.startsWith(message));
      expect(failure, `${result!.failures.map((f) => f.message).join('\n')}`).toBeDefined();
      expect(failure!.curl.startsWith('curl ')).toBe(true);
      expect(failure!.request.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
      expect(failure!.curl).toContain(`'${failure!.request.url}'`);
      expect(failure!.curl).toContain('$CONFORMANCE_');
      // summary.md lists each cause once, with every operation it affects.
      expect(readFileSync(join(dir, 'summary.md'), 'utf8')).toMatch(new RegExp(`^- \\*\\*${check}\\*\\* on ionos-postgresql [^\\n]*\`${operationId}\``, 'm'));
      expect(readFileSync(join(dir, 'junit.xml'), 'utf8')).toMatch(new RegExp(`<testcase classname="ionos-postgresql.${operationId}" name="${check}" time="[\\d.]+"><failure`));
      expect(out.join('\n')).toMatch(new RegExp(`\n  ${check} ×\\d+ on [^\n]*${operationId}[^\n]*: `));
    });
  });

  it.each([
    ['versions-500', 'postgresVersionsGet'],
    ['wrong-content-type', 'infosVersionGet'],
  ])('--fault %s fails nothing but %s', async (fault, operationId) => {
    const dir = tmp(`${fault}-only`);
    expect((await cli(['run', '--provider', 'ionos-postgresql', '--seed', '3', '--examples', '3', '--ready-timeout', '2000', '--report-dir', dir, '--fault', fault])).code).toBe(1);
    const failedOps = new Set(readReport(dir).results.filter((r) => r.outcome === 'failed').map((r) => r.operationId));
    expect([...failedOps]).toEqual([operationId]);
  });
});

describe('usage errors exit 2 with one line on stderr', () => {
  function expectUsageError(result: Captured, pattern: RegExp): void {
    expect(result.code).toBe(2);
    expect(result.err).toHaveLength(1);
    const [line] = result.err;
    expect(line).toMatch(/^error: /);
    expect(line).not.toMatch(/\n/);
    expect(line).not.toMatch(/\bat .+:\d+:\d+/);
    expect(line).not.toContain('this is a bug in dbaas-conformance');
    expect(line).toMatch(pattern);
  }

  it('an unknown flag', async () => {
    expectUsageError(await cli(['run', '--bogus']), /^error: Unknown option '--bogus' \(run `conformance run --help` for its options\)$/);
  });

  it('an unknown provider', async () => {
    expectUsageError(await cli(['run', '--provider', 'no-such-db']), /^error: unknown provider 'no-such-db' \(choose one of: .*ionos-postgresql/);
  });

  it('an unknown command', async () => {
    expectUsageError(await cli(['frobnicate']), /^error: unknown command 'frobnicate'/);
  });

  it('--examples that is not a number', async () => {
    expectUsageError(await cli(['run', '--provider', 'ionos-postgresql', '--examples', 'abc']), /^error: --examples must be an integer of at least 1, not 'abc'/);
  });

  it('--target that is not a URL', async () => {
    expectUsageError(await cli(['run', '--provider', 'ionos-postgresql', '--target', 'not-a-url', '--report-dir', tmp('not-a-url')]), /^error: --target 'not-a-url' is not a URL/);
  });

  it('an unreachable --target', async () => {
    process.env.CONFORMANCE_TOKEN = 'unreachable-test-token-123';
    const dir = tmp('unreachable');
    const result = await cli(['run', '--provider', 'ionos-postgresql', '--target', 'http://127.0.0.1:1', '--report-dir', dir]);
    expectUsageError(result, /^error: target http:\/\/127\.0\.0\.1:1 is unreachable: transport: connection refused/);
    expect(result.err[0]).not.toContain('unreachable-test-token-123');
    expect(existsSync(join(dir, 'conformance.json'))).toBe(false);
  });

  it('--spec with a broken file', async () => {
    const dir = tmp('broken-spec');
    const file = join(dir, 'broken.yaml');
    writeFileSync(file, 'openapi: 3.0.3\ninfo: [\n  : {{{\n');
    expectUsageError(await cli(['run', '--provider', 'ionos-postgresql', '--spec', file, '--report-dir', dir]), /^error: invalid OpenAPI document .*broken\.yaml: /);
  });

  it('--var without =', async () => {
    expectUsageError(await cli(['run', '--provider', 'ionos-postgresql', '--var', 'organizationId']), /^error: --var 'organizationId' is not NAME=VALUE \(for example --var organizationId=1234\)$/);
  });
});
