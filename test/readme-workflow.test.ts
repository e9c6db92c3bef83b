import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

type Step = { run?: string; uses?: string; with?: Record<string, unknown> };
type Workflow = { on: Record<string, unknown>; jobs: Record<string, { needs?: string; strategy?: { matrix: { shard: number[] } }; steps: Step[] }> };

describe('the GitHub Actions workflow in the README', () => {
  const block = /```yaml\n([\s\S]*?)```/.exec(readme)?.[1];
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
});
