import { describe, expect, it } from 'vitest';
import { providerByName } from '../../src/providers/registry.ts';
import { deletionWaves } from '../../src/run/deletion-order.ts';
import type { LedgerEntry } from '../../src/run/ledger.ts';
import { addresses, createdIdentity, identityOf, judge, markerIn, OwnershipGuard } from '../../src/run/ownership.ts';
import { response } from '../helpers.ts';

const entry = (over: Partial<LedgerEntry> = {}): LedgerEntry => ({ runId: 'abc123', provider: 'p', target: 'http://127.0.0.1:1', resource: 'bdb', path: '/v1/bdbs/7', params: { uid: '7' }, createdAt: '2026-01-01T00:00:00Z', ...over });

describe('ownership of ledger resources', () => {
  it('finds the run marker a create body carries', () => {
    expect(markerIn({ name: 'cf-abc123-4-db', nested: { x: 1 } }, 'abc123')).toBe('cf-abc123-4');
    expect(markerIn({ name: 'cf-other1-4-db' }, 'abc123')).toBeUndefined();
  });

  it('a read that carries the marker is ours; another marker, or none, is not; 404 is gone', () => {
    const e = entry({ marker: 'cf-abc123-4' });
    expect(judge(e, response(200, { uid: 7, name: 'cf-abc123-4-db' }))).toBe('ours');
    expect(judge(e, response(200, { uid: 7, name: 'cf-zzz999-2-db' }))).toBe('not-ours');
    expect(judge(e, response(200, { uid: 7, name: 'renamed' }))).toBe('not-ours');
    expect(judge(e, response(404, { error_code: 'not_found' }))).toBe('gone');
    expect(judge(e, response(410))).toBe('gone');
  });

  it('without a marker, the creation time recorded from the create decides', () => {
    const identity = identityOf({ id: 'x', metadata: { createdDate: '2026-01-01T10:00:00Z', state: 'BUSY' } });
    expect(identity).toEqual({ 'metadata.createdDate': '2026-01-01T10:00:00Z' });
    const e = entry({ identity });
    expect(judge(e, response(200, { id: 'x', metadata: { createdDate: '2026-01-01T10:00:00Z', state: 'AVAILABLE' } }))).toBe('ours');
    expect(judge(e, response(200, { id: 'x', metadata: { createdDate: '2026-01-01T10:05:00Z' } }))).toBe('not-ours');
  });

  it('records the marker only where the profile marks names, and the pre-delete step', () => {
    const service = providerByName('clickhouse-cloud').resources.find((r) => r.name === 'service')!;
    const recorded = createdIdentity(service, { name: 'cf-abc123-1-svc' }, { result: { id: 's' } }, 'abc123');
    expect(recorded).toMatchObject({ marker: 'cf-abc123-1', beforeDelete: { operationId: 'instanceStateUpdate', until: ['stopped'] } });
  });

  it('a write at or below a ledger resource is allowed only once a read shows it is ours', async () => {
    const entries = [entry({ marker: 'cf-abc123-1' })];
    const warnings: string[] = [];
    let reads = 0;
    const make = (name: string) =>
      new OwnershipGuard({
        ledger: () => ({ list: () => entries, add: (e) => entries.push(e), remove: (path) => entries.splice(entries.findIndex((e) => e.path === path), 1), update: (path, change) => Object.assign(entries.find((e) => e.path === path)!, change), file: undefined }),
        resources: () => [{ name: 'bdb', create: 'c', read: 'r', delete: 'd', idParam: 'uid', idFrom: () => undefined }],
        read: async () => (reads++, response(200, { uid: 7, name })),
        ids: new Map([['uid', ['7']]]),
        warn: (m) => warnings.push(m),
      });
    expect(addresses(entries[0]!, '/v1/bdbs/7/actions/x')).toBe(true);
    expect(addresses(entries[0]!, '/v1/bdbs/70')).toBe(false);
    // Someone else's database under the same id: no write, dropped from the ledger, said once.
    expect(await make('cf-zzz999-1-db').mayWrite('PUT', '/v1/bdbs/7')).toBe(false);
    expect(entries).toEqual([]);
    expect(warnings).toEqual([expect.stringContaining('is not the one this run created')]);
    // Ours: allowed, read once, and remembered in the ledger for cleanup.
    entries.push(entry({ marker: 'cf-abc123-1' }));
    const guard = make('cf-abc123-1-db');
    reads = 0;
    expect(await guard.mayWrite('PUT', '/v1/bdbs/7')).toBe(true);
    expect(await guard.mayWrite('DELETE', '/v1/bdbs/7')).toBe(true);
    expect(reads).toBe(1);
    expect(entries[0]!.verified).toBe(true);
    expect(await guard.mayWrite('GET', '/v1/bdbs/8')).toBe(true);
  });

  it('deletes children first, and at one depth the type created later first (databases before the users that own them)', () => {
    const pg = providerByName('ionos-postgresql').resources;
    const e = (resource: string, path: string) => entry({ resource, path });
    const waves = deletionWaves([e('cluster', '/clusters/c1'), e('user', '/clusters/c1/users/u1'), e('database', '/clusters/c1/databases/d1'), e('user', '/clusters/c1/users/u2'), e('database', '/clusters/c1/databases/d2')], pg);
    expect(waves.map((w) => w.map((x) => x.path))).toEqual([['/clusters/c1/databases/d1', '/clusters/c1/databases/d2'], ['/clusters/c1/users/u1', '/clusters/c1/users/u2'], ['/clusters/c1']]);
  });
});
