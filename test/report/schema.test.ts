import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import { SCHEMA_VERSION, type ConformanceReport } from '../../src/report/model.ts';

const schema = JSON.parse(readFileSync(new URL('../../schemas/conformance-report.schema.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats.default(ajv);
const validate = ajv.compile(schema);

const quiet = { out: () => {}, err: () => {} };

function errors(report: unknown): string[] {
  validate(report);
  return (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

describe('conformance.json matches schemas/conformance-report.schema.json', () => {
  let failing: ConformanceReport;
  let passing: ConformanceReport;
  const dirs = { failing: mkdtempSync(join(tmpdir(), 'schema-a-')), passing: mkdtempSync(join(tmpdir(), 'schema-b-')), merged: mkdtempSync(join(tmpdir(), 'schema-m-')) };

  beforeAll(async () => {
    expect(await main(['run', '--provider', 'ionos-postgresql', '--fault', 'versions-500', '--fault', 'long-name-500', '--examples', '10', '--seed', '4', '--report-dir', dirs.failing], quiet)).toBe(1);
    expect(await main(['run', '--provider', 'redis-enterprise', '--examples', '3', '--seed', '5', '--report-dir', dirs.passing, '--baseline', join(dirs.failing, 'conformance.json')], quiet)).toBe(0);
    failing = JSON.parse(readFileSync(join(dirs.failing, 'conformance.json'), 'utf8'));
    passing = JSON.parse(readFileSync(join(dirs.passing, 'conformance.json'), 'utf8'));
  });

  it('a run with failures, shrunk reproductions, coverage and timing', () => {
    expect(failing.schemaVersion).toBe(SCHEMA_VERSION);
    expect(failing.results.some((r) => r.failures.some((f) => f.shrunk))).toBe(true);
    expect(failing.coverage.operationList).toHaveLength(failing.summary.operations);
    expect(failing.timing.operations).toHaveLength(failing.summary.operations);
    // 1.4: every failure says how to replay it; a per-request one also why its request was sent.
    const failures = failing.results.flatMap((r) => r.failures);
    expect(failures.filter((f) => f.replay !== 'request' && f.replay !== 'sequence')).toEqual([]);
    expect(failures.filter((f) => f.replay === 'request' && f.intent === undefined)).toEqual([]);
    expect(errors(failing)).toEqual([]);
  });

  it('a passing run compared with a baseline', () => {
    expect(passing.baseline?.fixed.length).toBeGreaterThan(0);
    expect(errors(passing)).toEqual([]);
  });

  it('a merged report', async () => {
    expect(await main(['merge', '--report-dir', dirs.merged, join(dirs.failing, 'conformance.json'), join(dirs.passing, 'conformance.json')], quiet)).toBe(1);
    const merged = JSON.parse(readFileSync(join(dirs.merged, 'conformance.json'), 'utf8')) as ConformanceReport;
    expect(merged.run.provider).toBe('ionos-postgresql,redis-enterprise');
    expect(merged.summary.operations).toBe(failing.summary.operations + passing.summary.operations);
    expect(errors(merged)).toEqual([]);
  });

  it('rejects a report that breaks it (the schema can fail)', () => {
    const broken = structuredClone(failing) as unknown as { results: { outcome: string }[]; coverage: { operationList: { seen: Record<string, number> }[] } };
    broken.results[0]!.outcome = 'maybe';
    broken.coverage.operationList[0]!.seen = { abc: 1 };
    const failure = (broken as unknown as ConformanceReport).results.find((r) => r.failures.length > 0)!.failures[0]! as unknown as Record<string, unknown>;
    failure.replay = 'message';
    failure.intent = 'guessed';
    expect(errors(broken).length).toBeGreaterThanOrEqual(4);
  });
});
