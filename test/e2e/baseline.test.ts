import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import { causeOf, failureId } from '../../src/report/baseline.ts';

const quiet = { out: () => {}, err: () => {} };

async function run(dir: string, seed: string, ...extra: string[]): Promise<number> {
  return main(['run', '--provider', 'ionos-postgresql', '--seed', seed, '--examples', '4', '--report-dir', dir, ...extra], quiet);
}

describe('nightly regression against a baseline', () => {
  it('gives a failure the same id whatever the seed: numbers, ids and values are not part of the cause', () => {
    expect(causeOf("the page holds 25 items but the limit was 6 at http://x/y?limit=6, id 3b7a4c2e-1f0d-4e8a-9c6b-5d2e1f0a9b8c 'abc'"))
      .toBe('the page holds N items but the limit was N at URL id ID VALUE');
    expect(failureId('p', 'op', 'check', 'sent 1, read 2')).toBe(failureId('p', 'op', 'check', 'sent 30, read 4'));
    expect(failureId('p', 'op', 'check', 'a')).not.toBe(failureId('p', 'op2', 'check', 'a'));
  });

  it('marks failures new or still failing, lists the fixed ones, and --fail-on new fails only on new ones', async () => {
    const base = mkdtempSync(join(tmpdir(), 'conformance-base-'));
    expect(await run(join(base, 'a'), '3', '--fault', 'versions-500')).toBe(1);
    const previous = join(base, 'a', 'conformance.json');

    // Same fault, another seed: nothing new, so --fail-on new passes.
    expect(await run(join(base, 'b'), '8', '--fault', 'versions-500', '--baseline', previous, '--fail-on', 'new')).toBe(0);
    const b = JSON.parse(readFileSync(join(base, 'b', 'conformance.json'), 'utf8'));
    // The headline agrees with the exit code in every report.
    expect(readFileSync(join(base, 'b', 'summary.md'), 'utf8')).toContain('**PASS (1 known failure)**');
    expect(readFileSync(join(base, 'b', 'report.html'), 'utf8')).toContain('<title>Conformance: ionos-postgresql — PASS (1 known failure)</title>');
    expect(b.baseline).toMatchObject({ new: [], fixed: [] });
    expect(b.baseline.stillFailing).toHaveLength(1);

    // A new fault, the old one fixed.
    expect(await run(join(base, 'c'), '8', '--fault', 'wrong-content-type', '--baseline', previous, '--fail-on', 'new')).toBe(1);
    const c = JSON.parse(readFileSync(join(base, 'c', 'conformance.json'), 'utf8'));
    expect(c.baseline.new).toHaveLength(1);
    expect(c.baseline.fixed).toEqual(b.baseline.stillFailing);

    const out: string[] = [];
    expect(await main(['diff', previous, join(base, 'c', 'conformance.json')], { out: (s) => out.push(s), err: () => {} })).toBe(1);
    expect(out[0]).toBe('baseline: 1 new, 0 still failing, 1 fixed');
  });

  it('refuses a baseline that is not a report, and --fail-on new without a baseline', async () => {
    const err: string[] = [];
    const io = { out: () => {}, err: (s: string) => err.push(s) };
    expect(await main(['run', '--provider', 'ionos-postgresql', '--baseline', '/nonexistent/conformance.json'], io)).toBe(2);
    expect(await main(['run', '--provider', 'ionos-postgresql', '--fail-on', 'new'], io)).toBe(2);
    expect(err).toEqual([expect.stringMatching(/^error: cannot read report/), expect.stringMatching(/^error: --fail-on new needs --baseline/)]);
  });
});
