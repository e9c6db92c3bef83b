import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import type { ConformanceReport } from '../../src/report/model.ts';

const exec = promisify(execFile);

/** Runs the conformance suites in a child vitest (optionally one shard) and returns the report it wrote. */
async function suites(dir: string, shard?: string): Promise<ConformanceReport> {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('VITEST') && k !== 'NODE_OPTIONS'));
  const args = ['vitest', 'run', '--project', 'conformance', ...(shard ? ['--shard', shard] : [])];
  await exec('npx', args, { env: { ...env, CONFORMANCE_EXAMPLES: '3', CONFORMANCE_SEED: '77', CONFORMANCE_REPORT_DIR: dir, CI: 'true' }, maxBuffer: 16 * 1024 * 1024 });
  return JSON.parse(readFileSync(join(dir, 'conformance.json'), 'utf8')) as ConformanceReport;
}

/** What must be equal between a sharded-and-merged run and a single run: every check's outcome and failure ids. */
function outcomes(report: ConformanceReport): string[] {
  return report.results.map((r) => `${r.provider} ${r.operationId} ${r.check} ${r.outcome} ${r.failures.map((f) => f.id).sort().join(',')}`).sort();
}

describe('vitest --shard i/3 and conformance merge', () => {
  it('three shards merged give the same results as one unsharded run', async () => {
    const root = mkdtempSync(join(tmpdir(), 'conformance-shard-'));
    const whole = await suites(join(root, 'whole'));
    const shards = await Promise.all(['1/3', '2/3', '3/3'].map((s, i) => suites(join(root, `shard-${i + 1}`), s)));
    // Every shard ran something, and no provider ran twice.
    const providers = shards.map((s) => s.run.provider.split(','));
    expect(providers.every((p) => p.length > 0)).toBe(true);
    expect(providers.flat().sort()).toEqual(whole.run.provider.split(',').sort());

    const out: string[] = [];
    const code = await main(['merge', '--report-dir', join(root, 'merged'), ...shards.map((_, i) => join(root, `shard-${i + 1}`, 'conformance.json'))], { out: (s) => out.push(s), err: (s) => out.push(s) });
    expect(code, out.join('\n')).toBe(0);
    const merged = JSON.parse(readFileSync(join(root, 'merged', 'conformance.json'), 'utf8')) as ConformanceReport;

    expect(outcomes(merged)).toEqual(outcomes(whole));
    const { requests: _a, ...mergedSummary } = merged.summary;
    const { requests: _b, ...wholeSummary } = whole.summary;
    expect(mergedSummary).toEqual(wholeSummary);
    expect(merged.coverage.operationList.map((c) => `${c.provider} ${c.operationId}`).sort()).toEqual(whole.coverage.operationList.map((c) => `${c.provider} ${c.operationId}`).sort());
    expect(merged.summary.operationsExercised).toBe(merged.summary.operations);
  }, 240_000);
});
