import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import type { ConformanceReport } from '../../src/report/model.ts';
import { loadSpec } from '../../src/spec/load.ts';
import { startSpecMock, type SpecMock } from './spec-mock.ts';

/**
 * What public documents do, run end to end in generic mode against a spec-driven mock (spec-mock.ts): recursive
 * schemas, patterns of the non-Unicode regex dialect and one that compiles nowhere, creates wrapped in an envelope,
 * a multipart-only upload, per-operation servers, a schema slow to satisfy, and quota headers that never refill.
 * Each run must end with exit 0 or 1 and every report written.
 */
const SPEC = join(import.meta.dirname, 'realworld-31.yaml');
const REPORTS = ['conformance.json', 'junit.xml', 'summary.md', 'report.html'];
const BIN = join(import.meta.dirname, '../../bin/conformance.js');

const schema = JSON.parse(readFileSync(join(import.meta.dirname, '../../schemas/conformance-report.schema.json'), 'utf8'));
const ajv = new Ajv2020({ strict: false, allErrors: true });
(addFormats as unknown as (a: Ajv2020) => void)(ajv);
const validateReport = ajv.compile(schema);

async function run(args: string[]): Promise<{ code: number; out: string; dir: string; report: ConformanceReport }> {
  const dir = mkdtempSync(join(tmpdir(), 'conformance-realworld-'));
  const lines: string[] = [];
  const code = await main(['run', ...args, '--report-dir', dir], { out: (s) => lines.push(s), err: (s) => lines.push(s) });
  const out = lines.join('\n');
  for (const file of REPORTS) expect(existsSync(join(dir, file)), `${file}\n${out}`).toBe(true);
  const report = JSON.parse(readFileSync(join(dir, 'conformance.json'), 'utf8')) as ConformanceReport;
  expect(validateReport(report), JSON.stringify(validateReport.errors?.slice(0, 3))).toBe(true);
  return { code, out, dir, report };
}

describe('real-world documents run to the end (generic mode, spec-driven mock)', () => {
  let mock: SpecMock;

  beforeAll(async () => {
    mock = await startSpecMock(await loadSpec(SPEC));
  });

  afterAll(async () => {
    await mock.close();
  });

  it('recursive schemas, non-Unicode patterns, wrapped creates, multipart and per-operation servers: complete reports that tell the truth', async () => {
    const { code, out, report } = await run(['--spec', SPEC, '--target', mock.url, '--seed', '11', '--examples', '6']);
    expect([0, 1], out).toContain(code);
    const reach = Object.fromEntries(report.coverage.operationList.map((c) => [c.operationId, c.reach]));
    // Recursive bodies generated and answered; the multipart upload reached below its relative server; the wrapped droplet read and deleted by its id.
    for (const id of ['postComment', 'createFolder', 'listComments', 'uploadFile', 'createDroplet', 'getDroplet', 'deleteDroplet', 'listTags']) expect(reach[id], id).toBe('answered-2xx');
    expect(mock.log.filter((l) => l.operationId === 'uploadFile' && l.status === 201).length).toBeGreaterThan(0);
    expect(report.summary).toMatchObject({ operations: 10, answered2xx: 10, onlyRefused: 0, notReached: 0 });
    expect(out).toContain('10/10 operations exercised (10 answered 2xx, 0 only refused, 0 not reached)');
    const outcome = (operationId: string, check: string) => report.results.find((r) => r.operationId === operationId && r.check === check)?.outcome;
    // The id came out of {"droplet": {...}}: the lifecycle checks ran instead of being not applicable.
    expect(outcome('createDroplet', 'resource-availability')).toBe('passed');
    expect(outcome('deleteDroplet', 'use-after-delete')).toBe('passed');
    expect(report.warnings.some((w) => /could not find/.test(w))).toBe(false);
    // Recursive response schemas were validated (the comment tree, nested error details).
    expect(outcome('listComments', 'response-schema-conformance')).toBe('passed');
    expect(outcome('createFolder', 'response-schema-conformance')).toBe('passed');
    expect(report.warnings).toContain('pattern ^[a-z compiles in no regex mode (Invalid regular expression: /^[a-z/u: Unterminated character class): it is not checked');
    expect(report.warnings.some((w) => w.startsWith('getStatus: declares its own server https://status.example.org, another host than --target'))).toBe(true);
  });

  it('a mock whose quota headers never refill does not stall the run', async () => {
    const limited = await startSpecMock(await loadSpec(SPEC), { rateLimitHeaders: true, resetSeconds: 1 });
    try {
      const started = Date.now();
      const { code, out, report } = await run(['--spec', SPEC, '--target', limited.url, '--seed', '3', '--examples', '4', '--include', 'listComments', '--include', 'getStatus']);
      expect([0, 1], out).toContain(code);
      expect(Date.now() - started).toBeLessThan(20_000);
      expect(report.warnings.filter((w) => w.startsWith('answers keep saying the rate-limit quota is spent'))).toHaveLength(1);
    } finally {
      await limited.close();
    }
  });
});

const SLOW_SPEC = `
openapi: 3.0.3
info: { title: slow to generate, version: '1' }
paths:
  /grids:
    post:
      operationId: postGrid
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: array
              minItems: 64
              items:
                type: array
                minItems: 64
                items:
                  oneOf:
                    - { type: string, pattern: '^[a-z]{8}$' }
                    - { type: string, pattern: '^[a-z]{8}$' }
      responses:
        '201': { description: Stored. }
  /health:
    get:
      operationId: health
      responses:
        '200': { description: Fine. }
`;

describe('generation is bounded in time', () => {
  let mock: SpecMock;
  let spec = '';

  beforeAll(async () => {
    spec = join(mkdtempSync(join(tmpdir(), 'conformance-slow-')), 'slow.yaml');
    writeFileSync(spec, SLOW_SPEC);
    mock = await startSpecMock(await loadSpec(spec));
  });

  afterAll(async () => {
    await mock.close();
  });

  it('an operation over its generation budget is reported as such and the run goes on', async () => {
    const { code, out, report } = await run(['--spec', spec, '--target', mock.url, '--seed', '1', '--examples', '25']);
    expect([0, 1], out).toContain(code);
    const grid = report.coverage.operationList.find((c) => c.operationId === 'postGrid')!;
    expect(grid.budgetExceeded).toMatch(/^postGrid: 1 example took \d+ ms to generate \(budget 2000 ms each\); the operation ran with the examples generated so far$/);
    expect(report.warnings).toContain(grid.budgetExceeded);
    expect(report.coverage.operationList.find((c) => c.operationId === 'health')!.reach).toBe('answered-2xx');
  });

  it('SIGTERM while an operation is generating ends the run within seconds, with the reports written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'conformance-slow-sigterm-'));
    const child = spawn(process.execPath, [BIN, 'run', '--spec', spec, '--target', mock.url, '--seed', '1', '--examples', '25', '--include', 'postGrid', '--report-dir', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    const exit = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const deadline = Date.now() + 60_000;
    while (!/plan for generic/.test(output) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 300));
    const signalled = Date.now();
    child.kill('SIGTERM');
    expect(await exit, output).toBe(143);
    expect(Date.now() - signalled).toBeLessThan(8_000);
    for (const file of REPORTS) expect(existsSync(join(dir, file)), file).toBe(true);
    const report = JSON.parse(readFileSync(join(dir, 'conformance.json'), 'utf8')) as ConformanceReport;
    expect(report.run).toMatchObject({ interrupted: true, stopReason: 'SIGTERM' });
  });
});
