import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keepLastSuiteLabels } from '../../reporters/allure-reporter.ts';
import { startInMemoryDbServer } from '../../fixtures/ionos-inmemorydb/server.ts';
import type { ConformanceReport } from '../../src/report/model.ts';
import { ionosInMemoryDb } from '../../src/providers/ionos-inmemorydb.ts';
import { resourceOf } from '../../suites/allure.ts';
import type { ReferenceServer } from '../../src/providers/types.ts';

interface AllureStep {
  name: string;
  status?: string;
  steps?: AllureStep[];
  attachments?: { name: string; source: string; type: string }[];
}
interface AllureResult extends AllureStep {
  labels: { name: string; value: string }[];
  status: string;
  description?: string;
}

const ROOT = resolve(import.meta.dirname, '../..');
const USERNAME = 'allure-user';
const PASSWORD = 'allure-Secret-pw-7f3a9';
const TOKEN = 'allure-token-4be1c0d2e9f8a7b6';
const SECRETS = [PASSWORD, TOKEN, Buffer.from(`${USERNAME}:${PASSWORD}`).toString('base64')];

/**
 * Runs the In-Memory DB suite as `npx vitest run --project conformance` would, against `target`; resolves with its exit code.
 * Seed 1 generates a password long enough to be watched (write-only values under 8 characters are not), so the
 * echo-password fault is caught.
 */
function runSuite(reportDir: string, target: string): Promise<{ code: number | null; output: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', '--project', 'conformance', 'suites/ionos-inmemorydb.test.ts'], {
      cwd: ROOT,
      env: { ...process.env, CONFORMANCE_EXAMPLES: '3', CONFORMANCE_SEED: '1', CONFORMANCE_REPORT_DIR: reportDir, CONFORMANCE_TARGET: target, CONFORMANCE_USERNAME: USERNAME, CONFORMANCE_PASSWORD: PASSWORD, CONFORMANCE_TOKEN: '', VITEST: '', VITEST_POOL_ID: '', VITEST_WORKER_ID: '', NODE_OPTIONS: '' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', fail);
    child.on('close', (code) => done({ code, output }));
  });
}

describe('Allure results of the conformance suites (allure-vitest)', () => {
  let server: ReferenceServer;
  let dir: string;
  let results: AllureResult[];
  let report: ConformanceReport;
  let allFiles: Record<string, string>;

  beforeAll(async () => {
    // A reference server that echoes the replica set password (a write-only field): some tests fail, and the
    // password sent must not reach an attachment.
    server = await startInMemoryDbServer({ username: USERNAME, password: PASSWORD, token: TOKEN, readyDelayMs: 100, faults: ['echo-password'] });
    dir = mkdtempSync(join(tmpdir(), 'conformance-allure-'));
    const { code, output } = await runSuite(dir, server.url);
    expect(code, output).toBe(1);
    const resultsDir = join(dir, 'allure-results');
    expect(existsSync(resultsDir), output).toBe(true);
    allFiles = Object.fromEntries(readdirSync(resultsDir).map((f) => [f, readFileSync(join(resultsDir, f), 'utf8')]));
    results = Object.entries(allFiles)
      .filter(([f]) => f.endsWith('-result.json'))
      .map(([, text]) => JSON.parse(text) as AllureResult);
    report = JSON.parse(readFileSync(join(dir, 'conformance.json'), 'utf8')) as ConformanceReport;
  }, 60_000);

  afterAll(async () => {
    await server?.close();
  });

  const label = (r: AllureResult, name: string) => r.labels.filter((l) => l.name === name).map((l) => l.value);
  const operationOf = (r: AllureResult) => label(r, 'operationId')[0]!;
  const attachments = (r: AllureResult) => (r.steps ?? []).flatMap((s) => s.attachments ?? []);
  const attachment = (r: AllureResult, prefix: string) => {
    const a = attachments(r).find((x) => x.name.startsWith(prefix));
    expect(a, `${operationOf(r)}: attachment ${prefix}`).toBeDefined();
    return allFiles[a!.source]!;
  };

  it('writes one result per operation, labelled with provider, resource, operation and checks', () => {
    expect(report.summary.operations).toBe(10);
    expect(results).toHaveLength(report.summary.operations);
    expect(new Set(results.map(operationOf))).toEqual(new Set(report.coverage.operationList.map((o) => o.operationId)));
    for (const r of results) {
      expect(label(r, 'parentSuite'), r.name).toEqual(['ionos-inmemorydb']);
      expect(label(r, 'feature')).toEqual(['ionos-inmemorydb']);
      expect(label(r, 'suite')).toHaveLength(1);
      expect(label(r, 'story')).toEqual([operationOf(r)]);
      expect(r.name).toContain(`(${operationOf(r)})`);
      // The checks judged by the time the test ended (a later operation may still judge one, see below).
      const applied = report.results.filter((x) => x.operationId === operationOf(r) && x.outcome !== 'skipped').map((x) => x.check);
      const stepChecks = (r.steps ?? []).filter((s) => /^[a-z-]+: (passed|failed) \(/.test(s.name)).map((s) => s.name.split(':')[0]!);
      expect(label(r, 'tag')).toEqual(stepChecks);
      expect(label(r, 'check')).toEqual(stepChecks);
      expect(applied).toEqual(expect.arrayContaining(stepChecks));
      expect(stepChecks.length).toBeGreaterThanOrEqual(8);
      expect(label(r, 'failedCheck')).toEqual(report.results.filter((x) => x.operationId === operationOf(r) && x.outcome === 'failed').map((x) => x.check));
      expect(r.description).toContain('status codes seen:');
    }
    const byOp = new Map(results.map((r) => [operationOf(r), r]));
    expect(label(byOp.get('ReplicasetsPost')!, 'resource')).toEqual(['replicaset']);
    expect(label(byOp.get('ReplicasetsPut')!, 'suite')).toEqual(['replicaset']);
    expect(label(byOp.get('SnapshotsGet')!, 'resource')).toEqual(['snapshots']);
  });

  it('has one step per applicable check with its outcome, and a step per probe of the lifecycle checks', () => {
    // A check is judged in its operation's test, or (lifecycle checks of another operation, such as
    // list-omits-deleted of the list after a delete) in the test whose requests settle it, marked "judged here".
    const judged = new Map<string, string>();
    for (const r of results) {
      const own = report.results.filter((x) => x.operationId === operationOf(r) && x.outcome !== 'skipped');
      const ownSteps = (r.steps ?? []).filter((s) => /^[a-z-]+: (passed|failed) \(/.test(s.name));
      expect(ownSteps.map((s) => s.name.split(':')[0])).toEqual(own.map((x) => x.check).filter((c) => ownSteps.some((s) => s.name.startsWith(`${c}:`))));
      for (const s of ownSteps) {
        const [check, outcome] = s.name.split(/: | \(/);
        expect(s.status, s.name).toBe(outcome);
        expect(own.find((x) => x.check === check)!.outcome, `${operationOf(r)} ${check}`).toBe(outcome);
        judged.set(`${operationOf(r)} ${check}`, outcome!);
      }
      for (const s of r.steps ?? []) {
        const late = /^([a-z-]+) of (\S+): (passed|failed) \(judged here\)$/.exec(s.name);
        if (late) {
          expect(s.status).toBe(late[3]);
          expect(s.steps!.length, s.name).toBeGreaterThan(0);
          if (!judged.has(`${late[2]} ${late[1]}`)) judged.set(`${late[2]} ${late[1]}`, late[3]!);
        }
      }
      expect(r.status).toBe(own.some((x) => x.outcome === 'failed') ? 'failed' : 'passed');
    }
    const applied = report.results.filter((x) => x.outcome !== 'skipped').map((x) => `${x.operationId} ${x.check}`);
    expect([...judged.keys()].sort()).toEqual([...new Set(applied)].sort());
    const post = results.find((r) => operationOf(r) === 'ReplicasetsPost')!;
    const availability = post.steps!.find((s) => s.name.startsWith('resource-availability:'))!;
    expect(availability.steps!.length).toBeGreaterThan(0);
    expect(availability.steps![0]!.name).toMatch(/^GET \/replicasets\/[0-9a-f-]+ → 200, ready after \d+ ms$/);
    const remove = results.find((r) => operationOf(r) === 'ReplicasetsDelete')!;
    expect(remove.steps!.map((s) => s.name)).toContain('list-omits-deleted of ReplicasetsGet: passed (judged here)');
  });

  it('attaches the first failing exchange of a failing test, and a sample exchange of a passing one', () => {
    const failing = results.filter((r) => r.status === 'failed');
    const passing = results.filter((r) => r.status === 'passed');
    expect(failing.length).toBeGreaterThan(0);
    expect(passing.length).toBeGreaterThan(0);
    for (const r of failing) {
      const first = report.results.filter((x) => x.operationId === operationOf(r) && x.outcome === 'failed')[0]!.failures[0]!;
      const request = JSON.parse(attachment(r, 'request (first failing exchange)'));
      expect(request).toMatchObject({ method: first.request.method, url: first.request.url });
      expect(JSON.parse(attachment(r, 'response (first failing exchange)')).status).toBe(first.response!.status);
      expect(attachment(r, 'curl (first failing exchange)')).toBe(first.curl);
    }
    for (const r of passing) {
      expect(JSON.parse(attachment(r, 'request (sample exchange)')).url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\//);
      expect(JSON.parse(attachment(r, 'response (sample exchange)')).status).toBeLessThan(300);
      expect(attachment(r, 'curl (sample exchange)')).toMatch(/^curl /);
    }
  });

  it('shows the first failure itself as a failing test\'s error, and fills the Environment panel', () => {
    const failing = results.filter((r) => r.status === 'failed');
    expect(failing.length).toBeGreaterThan(0);
    for (const r of failing) {
      const message = (r as { statusDetails?: { message?: string } }).statusDetails?.message ?? '';
      expect(message).toMatch(/^[a-z-]+: /);
      expect(message).not.toMatch(/expected \[/);
    }
    const environment = allFiles['environment.properties']!.split('\n');
    expect(environment).toContain('seed=1');
    expect(environment.some((l) => l.startsWith('target=http://127.0.0.1:'))).toBe(true);
    expect(environment.some((l) => /^dbaas-conformance=\d/.test(l))).toBe(true);
  });

  it('holds no credential and no password anywhere', () => {
    const text = Object.values(allFiles).join('\n');
    for (const secret of SECRETS) expect(text).not.toContain(secret);
    // Passwords the run generated and sent, echoed back by the faulty server, are redacted wherever they sit.
    const passwords = [...text.matchAll(/"password"\s*:\s*("(?:[^"\\]|\\.)*")/g)].map(([, value]) => JSON.parse(value!));
    expect(passwords.length).toBeGreaterThan(0);
    for (const value of passwords) expect(value).toBe('[REDACTED]');
    expect(text).toContain('"authorization": "[REDACTED]"');
    expect(text).toMatch(/write-only-not-returned: failed/);
  });
});

describe('allure helpers', () => {
  it('names the resource of an operation from the profile, then from its path', () => {
    const ops = [
      { id: 'ReplicasetsPost', path: '/replicasets' },
      { id: 'ReplicasetsGet', path: '/replicasets' },
      { id: 'SnapshotsGet', path: '/snapshots' },
      { id: 'ReplicasetLogs', path: '/v1/replicasets/{replicasetId}/logs' },
      { id: 'Root', path: '/' },
    ];
    const resources = ionosInMemoryDb.resources;
    expect(resourceOf(ops[0]!, resources, ops)).toBe('replicaset');
    expect(resourceOf(ops[2]!, resources, ops)).toBe('snapshots');
    expect(resourceOf(ops[3]!, resources, ops)).toBe('replicaset');
    expect(resourceOf(ops[4]!, resources, ops)).toBe('api');
  });

  it('keeps the suite labels a test set over those derived from describe()', () => {
    const result = { labels: [{ name: 'parentSuite', value: 'IONOS In-Memory DB' }, { name: 'tag', value: 'a' }, { name: 'parentSuite', value: 'ionos-inmemorydb' }, { name: 'suite', value: 'replicaset' }, { name: 'tag', value: 'b' }] };
    keepLastSuiteLabels(result);
    expect(result.labels).toEqual([{ name: 'tag', value: 'a' }, { name: 'parentSuite', value: 'ionos-inmemorydb' }, { name: 'suite', value: 'replicaset' }, { name: 'tag', value: 'b' }]);
  });
});
