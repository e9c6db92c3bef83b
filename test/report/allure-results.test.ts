import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ConformanceReport } from '../../src/report/model.ts';
import { cli } from '../cli-helpers.ts';

type Result = { name: string; fullName: string; status: string; statusDetails: { message?: string; trace?: string }; steps: { name: string; status: string }[]; labels: { name: string; value: string }[]; attachments: { source: string }[] };

describe('conformance run --allure DIR', () => {
  it('writes Allure results directly: a test per operation, the first failure as its error, and the environment', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'conformance-allure-run-'));
    const allure = join(dir, 'allure-results');
    const { code } = await cli(['run', '--provider', 'ionos-postgresql', '--fault', 'versions-500', '--examples', '2', '--seed', '9', '--report-dir', dir, '--allure', allure]);
    expect(code).toBe(1);
    const report = JSON.parse(readFileSync(join(dir, 'conformance.json'), 'utf8')) as ConformanceReport;
    const files = readdirSync(allure);
    const results = files.filter((f) => f.endsWith('-result.json')).map((f) => JSON.parse(readFileSync(join(allure, f), 'utf8')) as Result);
    expect(results).toHaveLength(report.summary.operations);
    const failed = results.filter((r) => r.status === 'failed');
    expect(failed.map((r) => r.fullName)).toEqual(['ionos-postgresql.postgresVersionsGet']);
    const versions = failed[0]!;
    const first = report.results.find((r) => r.operationId === 'postgresVersionsGet' && r.outcome === 'failed')!;
    expect(versions.statusDetails.message).toMatch(new RegExp(`^${first.check}: ${first.failures[0]!.message.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    expect(versions.statusDetails.message).not.toMatch(/expected \[/);
    expect(versions.statusDetails.trace).toMatch(/^curl /);
    expect(versions.steps.find((s) => s.name === first.check)?.status).toBe('failed');
    expect(versions.labels).toEqual(expect.arrayContaining([{ name: 'suite', value: 'ionos-postgresql' }, { name: 'tag', value: first.check }]));
    expect(readFileSync(join(allure, versions.attachments[0]!.source), 'utf8')).toContain('HTTP 500');
    expect(results.filter((r) => r.status === 'passed').length).toBe(results.length - 1);
    const environment = readFileSync(join(allure, 'environment.properties'), 'utf8');
    const { version } = JSON.parse(readFileSync(join(import.meta.dirname, '../../package.json'), 'utf8')) as { version: string };
    for (const line of [`target=${report.run.target}`, 'provider=ionos-postgresql', 'seed=9', `dbaas-conformance=${version}`]) expect(environment.split('\n')).toContain(line);
  });
});
