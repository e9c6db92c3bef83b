import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

type Step = { id?: string; name?: string; if?: string; run?: string; uses?: string; with?: Record<string, unknown> };
type Workflow = { on: Record<string, unknown>; permissions?: Record<string, string>; jobs: Record<string, { needs?: string; 'timeout-minutes'?: number; strategy?: { matrix: { shard: number[] } }; steps: Step[] }> };

describe('the GitHub Actions workflow in the README', () => {
  const block = /```yaml\n(name: [\s\S]*?)```/.exec(readme)?.[1];
  const workflow = parse(block ?? '') as Workflow;

  it('is valid YAML with shard, merge and nightly jobs', () => {
    expect(Object.keys(workflow.jobs)).toEqual(['shard', 'merge', 'nightly']);
    expect(workflow.on).toHaveProperty('schedule');
  });

  it('shards the suites with vitest --shard over its matrix and merges the shard reports', () => {
    const shard = workflow.jobs.shard!;
    expect(shard.strategy!.matrix.shard).toEqual([1, 2, 3]);
    expect(shard.steps.some((s) => s.run?.includes('vitest run --project conformance --shard ${{ matrix.shard }}/3'))).toBe(true);
    expect(workflow.jobs.merge!.needs).toBe('shard');
    expect(workflow.jobs.merge!.steps.some((s) => s.run?.startsWith('npx conformance merge --report-dir reports shards/*/conformance.json'))).toBe(true);
  });

  it('runs nightly against a baseline, failing only on new failures', () => {
    const run = workflow.jobs.nightly!.steps.map((s) => s.run ?? '').join('\n');
    expect(run).toContain('--baseline previous/conformance.json --fail-on new');
    expect(run).toContain('npx conformance run --provider ionos-postgresql');
  });

  it('declares its permissions, least privilege, and a timeout on every job', () => {
    expect(workflow.permissions).toEqual({ contents: 'read', checks: 'write', actions: 'write' });
    for (const [name, job] of Object.entries(workflow.jobs)) expect(job['timeout-minutes'], name).toBeGreaterThan(0);
  });

  it('publishes junit.xml as test results wherever reports are written', () => {
    for (const name of ['merge', 'nightly']) {
      const publish = workflow.jobs[name]!.steps.find((s) => s.uses?.startsWith('dorny/test-reporter@'));
      expect(publish, name).toMatchObject({ if: 'always()', with: { path: 'reports/junit.xml', reporter: 'java-junit' } });
    }
  });

  it('advances the nightly baseline only after a run without new failures (or when there is none yet)', () => {
    const steps = workflow.jobs.nightly!.steps;
    const run = steps.find((s) => s.run?.includes('npx conformance run'))!;
    const restore = steps.find((s) => s.uses?.startsWith('actions/cache/restore@'))!;
    const guard = `always() && (steps.${run.id}.outcome == 'success' || steps.${restore.id}.outputs.cache-matched-key == '')`;
    const copy = steps.find((s) => s.run?.includes('cp reports/conformance.json previous/'))!;
    const save = steps.find((s) => s.uses?.startsWith('actions/cache/save@'))!;
    expect(run.id).toBeTruthy();
    expect(restore.id).toBeTruthy();
    expect(copy.if).toBe(guard);
    expect(save.if).toBe(guard);
    // The save comes after the run it depends on.
    expect(steps.indexOf(save)).toBeGreaterThan(steps.indexOf(run));
  });
});
