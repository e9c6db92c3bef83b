import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';

describe('a run whose creates all fail says so loudly', () => {
  it('names it in the console, conformance.json, summary.md and report.html', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'conformance-create-refused-'));
    const out: string[] = [];
    const code = await main(['run', '--provider', 'ionos-postgresql', '--seed', '3', '--examples', '5', '--include', 'clusters*', '--report-dir', dir, '--fault', 'create-refused'], { out: (s) => out.push(s), err: (s) => out.push(s) });
    expect(code).toBe(1);
    const warning = /0 of 5 cluster creates succeeded \(clustersPost answered 422 ×5\): lifecycle checks did not run for cluster/;
    expect(out.join('\n')).toMatch(new RegExp(`WARNING: .*${warning.source}`));
    const report = JSON.parse(readFileSync(join(dir, 'conformance.json'), 'utf8')) as { alerts?: string[]; warnings: string[] };
    expect(report.alerts).toEqual([expect.stringMatching(warning)]);
    expect(report.warnings).toContainEqual(expect.stringMatching(warning));
    const summary = readFileSync(join(dir, 'summary.md'), 'utf8');
    // Prominent: right below the verdict, before the facts and the matrix.
    expect(summary.indexOf('> **Warning**: 0 of 5 cluster creates succeeded')).toBeGreaterThan(0);
    expect(summary.indexOf('> **Warning**')).toBeLessThan(summary.indexOf('|'));
    const html = readFileSync(join(dir, 'report.html'), 'utf8');
    expect(html).toMatch(/<div class="banner" role="alert"><strong>Warning<\/strong>: 0 of 5 cluster creates succeeded/);
  });

  it('says nothing of the kind when creates succeed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'conformance-create-ok-'));
    const out: string[] = [];
    const code = await main(['run', '--provider', 'ionos-postgresql', '--seed', '3', '--examples', '5', '--include', 'clusters*', '--report-dir', dir], { out: (s) => out.push(s), err: (s) => out.push(s) });
    expect(code).toBe(0);
    expect(out.join('\n')).not.toMatch(/creates succeeded/);
    const report = JSON.parse(readFileSync(join(dir, 'conformance.json'), 'utf8')) as { alerts?: string[]; lifecycle: { resource: string; readyMs?: number; deletedMs?: number }[] };
    expect(report.alerts).toBeUndefined();
    expect(report.lifecycle).toContainEqual(expect.objectContaining({ resource: 'cluster', readyMs: expect.any(Number) }));
    expect(report.lifecycle).toContainEqual(expect.objectContaining({ resource: 'cluster', deletedMs: expect.any(Number) }));
  });
});
