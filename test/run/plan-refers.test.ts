import { describe, expect, it } from 'vitest';
import type { ProviderProfile, ResourceProfile } from '../../src/providers/types.ts';
import { heldWithin } from '../../src/run/held-ids.ts';
import type { LedgerEntry } from '../../src/run/ledger.ts';
import { planOperations } from '../../src/run/plan.ts';
import { operation } from '../helpers.ts';

const op = (id: string, method: 'post' | 'delete', path: string) => operation([], { id, method, path });
const resource = (name: string, extra: Partial<ResourceProfile> = {}): ResourceProfile => ({ name, create: `${name}Post`, read: `${name}Get`, delete: `${name}Delete`, idParam: `${name}Id`, idFrom: () => undefined, ...extra });

describe('refersTo: a resource is deleted before the ones it refers to', () => {
  const ops = [op('userPost', 'post', '/c/{c}/users'), op('userDelete', 'delete', '/c/{c}/users/{u}'), op('databasePost', 'post', '/c/{c}/databases'), op('databaseDelete', 'delete', '/c/{c}/databases/{d}')];
  const profile = (refers: boolean): ProviderProfile => ({ name: 'p', title: 'p', spec: '', resources: [resource('user'), resource('database', refers ? { refersTo: ['user'] } : {})] });

  it('orders the database delete first when databases refer to users, and keeps spec order otherwise', () => {
    const deletes = (p: ProviderProfile) => planOperations(ops, p).filter((x) => x.phase === 'delete').map((x) => x.operation.id);
    expect(deletes(profile(true))).toEqual(['databaseDelete', 'userDelete']);
    expect(deletes(profile(false))).toEqual(['userDelete', 'databaseDelete']);
  });
});

describe('idsWithin: ids held under the same parent', () => {
  it('keeps the users of the same cluster only', () => {
    const entry = (params: Record<string, string>): LedgerEntry => ({ runId: 'r', provider: 'p', target: 't', resource: 'user', path: '/x', params, createdAt: '' });
    const held = [entry({ clusterId: 'a', username: 'u1' }), entry({ clusterId: 'b', username: 'u2' }), entry({ clusterId: 'a', username: 'u3' }), entry({ clusterId: 'a' })];
    expect(heldWithin(held, 'username', { clusterId: 'a' })).toEqual(['u1', 'u3']);
    expect(heldWithin(held, 'username', { clusterId: 'c' })).toEqual([]);
  });
});
