import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.ts';
import { Ledger, type LedgerEntry } from '../../src/run/ledger.ts';

const entry: LedgerEntry = { runId: 'r1', provider: 'ionos-postgresql', target: 'http://127.0.0.1:1', resource: 'cluster', path: '/clusters/c1', params: { clusterId: 'c1' }, createdAt: '2026-01-01T00:00:00Z' };

describe('Ledger', () => {
  const dir = () => mkdtempSync(join(tmpdir(), 'conformance-ledger-'));

  it('reads what it wrote, and older ledgers without the kind marker', () => {
    const file = join(dir(), 'ledger.json');
    new Ledger(file, [entry]);
    expect(Ledger.read(file)).toEqual([entry]);
    writeFileSync(file, JSON.stringify({ entries: [entry] }));
    expect(Ledger.read(file)).toEqual([entry]);
  });

  it.each([
    ['a report', { schemaVersion: '1.1', run: {}, results: [] }],
    ['entries that are not ledger entries', { entries: [{ id: 1 }] }],
    ['another kind', { kind: 'something else', entries: [] }],
    ['an array', [entry]],
  ])('refuses %s', (_what, content) => {
    const file = join(dir(), 'x.json');
    writeFileSync(file, JSON.stringify(content));
    expect(() => Ledger.read(file)).toThrow(UsageError);
    expect(() => Ledger.read(file)).toThrow(/is not a conformance ledger/);
  });

  it('a new run never overwrites a ledger with live entries, nor a file that is not a ledger', () => {
    const live = join(dir(), 'ledger.json');
    new Ledger(live, [entry]);
    const before = readFileSync(live, 'utf8');
    expect(() => Ledger.forRun(live)).toThrow(/still lists 1 resource of an earlier run.*/);
    expect(readFileSync(live, 'utf8')).toBe(before);
    const report = join(dir(), 'ledger.json');
    writeFileSync(report, '{"results":[]}');
    expect(() => Ledger.forRun(report)).toThrow(/is not a conformance ledger/);
    expect(readFileSync(report, 'utf8')).toBe('{"results":[]}');
    // An empty ledger is reused.
    const empty = join(dir(), 'ledger.json');
    new Ledger(empty, []);
    expect(Ledger.forRun(empty).list()).toEqual([]);
  });

  it('a ledger without a file writes nothing', () => {
    const ledger = new Ledger(undefined);
    ledger.add(entry);
    expect(ledger.list()).toEqual([entry]);
  });
});
