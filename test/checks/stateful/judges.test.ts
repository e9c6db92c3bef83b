import { describe, expect, it } from 'vitest';
import { negativeDataChange } from '../../../src/checks/stateful/negative-data-change.ts';
import { statefulChecksOf, type ProbeCheck } from '../../../src/checks/stateful/registry.ts';
import { PROVIDERS } from '../../../src/providers/registry.ts';

/**
 * Every stateful check, judged purely: a crafted observation that fails it (with the message it must give) and one
 * that passes. The table must cover every id any provider's run can report.
 */
const STATES = { ready: ['AVAILABLE'], transitional: ['BUSY'], failed: ['FAILED'], deleting: ['DESTROYING'] };

interface Case {
  failing: unknown;
  message: RegExp;
  passing: unknown;
  /** Further failing observations with their messages (each way the check fails). */
  more?: [unknown, RegExp][];
}

const CASES: Record<string, Case> = {
  'resource-availability': {
    failing: { resource: 'cluster', read: 'GET /clusters/{clusterId}', readable: false, lastAnswer: 404, seen: [], readyTimeoutMs: 100, interrupted: false },
    message: /^the created cluster cannot be read: GET \/clusters\/\{clusterId\} answered 404$/,
    passing: { resource: 'cluster', read: 'GET /c', readable: true, states: { ready: ['AVAILABLE'], failed: ['FAILED'] }, reached: 'AVAILABLE', seen: ['BUSY', 'AVAILABLE'], readyTimeoutMs: 100, interrupted: false },
    more: [
      [{ resource: 'cluster', read: 'GET /c', readable: true, states: { ready: ['AVAILABLE'], failed: ['FAILED'] }, seen: ['BUSY'], readyTimeoutMs: 100, interrupted: false }, /^the created cluster did not become AVAILABLE within 100 ms \(states seen: BUSY\)$/],
      [{ resource: 'cluster', read: 'GET /c', readable: true, states: { ready: ['AVAILABLE'], failed: ['FAILED'] }, reached: 'FAILED', seen: ['FAILED'], readyTimeoutMs: 100, interrupted: false }, /^the created cluster ended in FAILED$/],
    ],
  },
  'create-echo': {
    failing: { sent: { name: 'a', cores: 2 }, read: { name: 'a', cores: 4 }, ignore: [] },
    message: /^what was created differs from what is read back: \/cores: sent 2, read 4$/,
    passing: { sent: { name: 'a', cores: 2 }, read: { name: 'a', cores: 2, id: 'x' }, ignore: [] },
  },
  'list-contains-created': {
    failing: { resource: 'cluster', id: 'c1', listed: false },
    message: /^the created cluster c1 is missing from the list$/,
    passing: { resource: 'cluster', id: 'c1', listed: true },
  },
  'list-omits-deleted': {
    failing: { resource: 'cluster', id: 'c1', listed: true },
    message: /^the deleted cluster c1 is still listed$/,
    passing: { resource: 'cluster', id: 'c1', listed: false },
  },
  'update-applied': {
    failing: { sent: { name: 'new' }, read: { name: 'old' }, ignore: [] },
    message: /^the update is not visible on the next read: \/name: sent "new", read "old"$/,
    passing: { sent: { name: 'new' }, read: { name: 'old' }, ignore: ['/name'] },
  },
  'use-after-delete': {
    failing: { resource: 'cluster', gone: false, readyTimeoutMs: 100, readMethod: 'GET', lastStatus: 200, seen: ['DESTROYING'], changes: [] },
    message: /^the deleted cluster is still readable after 100 ms \(GET answered 200; states: DESTROYING\)$/,
    passing: { resource: 'cluster', gone: true, readyTimeoutMs: 100, readMethod: 'GET', lastStatus: 404, seen: [], changes: [{ operationId: 'clustersPatch', status: 404 }, { operationId: 'clustersPut' }] },
    more: [[{ resource: 'cluster', gone: true, readyTimeoutMs: 100, readMethod: 'GET', lastStatus: 404, seen: [], changes: [{ operationId: 'clustersPatch', status: 200 }] }, /^clustersPatch on the deleted cluster was answered 200$/]],
  },
  'state-transitions': {
    failing: { seen: ['BUSY', 'WEIRD', 'AVAILABLE'], states: STATES, changed: false },
    message: /^undocumented state 'WEIRD' \(documented: AVAILABLE, BUSY, FAILED, DESTROYING\)$/,
    passing: { seen: ['AVAILABLE', 'BUSY', 'AVAILABLE'], states: STATES, changed: true },
    more: [
      [{ seen: ['AVAILABLE', 'BUSY'], states: STATES, changed: false }, /^state went from AVAILABLE back to BUSY although nothing was changed$/],
      [{ seen: ['DESTROYING', 'AVAILABLE'], states: STATES, changed: true }, /^state went from DESTROYING to AVAILABLE during a delete$/],
    ],
  },
  'busy-conflict': {
    failing: { resource: 'database', expected: 409, status: 200 },
    message: /^a change sent while the database was busy with another was answered 200, expected 409$/,
    passing: { resource: 'database', expected: 409, status: 409 },
  },
  'delete-precondition': {
    failing: { step: 'instanceStateUpdate', until: ['stopped'], status: 204 },
    message: /^a delete sent before instanceStateUpdate \(stopped\) was answered 204, expected a refusal$/,
    passing: { step: 'instanceStateUpdate', until: ['stopped'], status: 409 },
  },
  'pagination-bounds': {
    failing: { answers: [{ what: 'limit=1 (the minimum)', ok: true, status: 200 }, { what: 'limit=-1', ok: false, status: 200 }] },
    message: /^limit=-1 was answered 200, expected a 4xx error$/,
    passing: { answers: [{ what: 'limit=1 (the minimum)', ok: true, status: 200 }, { what: 'limit=-1', ok: false, status: 400 }], beyondEndItems: 0 },
    more: [
      [{ answers: [{ what: 'limit=1 (the minimum)', ok: true, status: 400 }] }, /^limit=1 \(the minimum\) was answered 400, expected 200$/],
      [{ answers: [{ what: 'limit=-1', ok: false, status: 500 }] }, /^limit=-1 was answered 500, expected a 4xx error$/],
      [{ answers: [], beyondEndItems: 3 }, /^offset beyond the end returned 3 items, expected none$/],
    ],
  },
  'pagination-walk': {
    failing: { pages: [['a', 'b'], ['b', 'c']], all: ['a', 'b', 'c', 'd'] },
    message: /^items seen twice while walking pages: b$/,
    passing: { pages: [['a', 'b'], ['c', 'd'], []], all: ['a', 'b', 'c', 'd'] },
    more: [[{ pages: [['b', 'a'], ['c', 'd']], all: ['a', 'b', 'c', 'd'] }, /^pages walked in order do not give the order of one large page$/]],
  },
  'pagination-links': {
    failing: { names: { limit: 'limit', offset: 'offset' }, pages: [{ links: { self: '/x?offset=0&limit=2' }, offset: 0, limit: 2, total: 4 }], followed: { steps: 0, ended: true } },
    message: /^the page at offset 0 \(limit 2, 4 items\) has no next link although more items follow$/,
    passing: { names: { limit: 'limit', offset: 'offset' }, pages: [{ links: { self: '/x?offset=0&limit=2', next: '/x?offset=2&limit=2' }, offset: 0, limit: 2, total: 4 }, { links: { self: '/x?offset=2&limit=2', prev: '/x?offset=0&limit=2' }, offset: 2, limit: 2, total: 4 }], followed: { steps: 1, ended: true } },
    more: [[{ names: { limit: 'limit', offset: 'offset' }, pages: [], followed: { steps: 6, ended: false } }, /^following next from the first page did not end after 6 pages$/]],
  },
  'filter-semantics': {
    failing: { param: 'filter.name', value: 'abc', caseInsensitive: true, answer: 200, got: [{ id: '1', field: 'xyz' }], all: [{ id: '1', field: 'xyz' }, { id: '2', field: 'ABCd' }] },
    message: /^filter\.name=abc returned 1 items that do not contain it, e\.g\. 'xyz'$/,
    passing: { param: 'filter.name', value: 'abc', caseInsensitive: true, answer: 200, got: [{ id: '2', field: 'ABCd' }], all: [{ id: '1', field: 'xyz' }, { id: '2', field: 'ABCd' }] },
    more: [
      [{ param: 'filter.name', value: 'abc', caseInsensitive: true, answer: 200, got: [], all: [{ id: '2', field: 'ABCd' }] }, /^filter\.name=abc left out 1 matching items \(the match must ignore case\)$/],
      [{ param: 'filter.name', value: 'abc', caseInsensitive: false, answer: 400, got: [], all: [] }, /^filter\.name=abc was answered 400$/],
    ],
  },
  'dry-run-no-side-effect': {
    failing: { kind: 'create', added: ['7'] },
    message: /^a dry_run create created database 7$/,
    passing: { kind: 'update', changed: [] },
    more: [[{ kind: 'update', changed: ['memory_size'] }, /^a dry_run update changed memory_size$/]],
  },
  'uid-conflict': {
    failing: { existing: '3', status: 200 },
    message: /^a create with the existing uid 3 was answered 200, expected 409 uid_exists$/,
    passing: { existing: '3', status: 409, errorCode: 'uid_exists' },
    more: [[{ existing: '3', status: 409, errorCode: 'busy' }, /^a create with the existing uid 3 was answered 409 busy, expected 409 uid_exists$/]],
  },
  'action-completes': {
    failing: { actionUid: 'a1', status: 'active', httpStatus: 200, readyTimeoutMs: 100 },
    message: /^action a1 did not reach a terminal status within 100 ms \(last: active\)$/,
    passing: { actionUid: 'a1', status: 'completed', httpStatus: 200, readyTimeoutMs: 100 },
    more: [[{ actionUid: 'a1', status: 'failed', httpStatus: 200, readyTimeoutMs: 100 }, /^action a1 ended failed$/]],
  },
  'role-enforcement': {
    failing: { method: 'delete', status: 204, added: [], removed: '3' },
    message: /^a DELETE by the read-only account was answered 204, expected 403$/,
    passing: { method: 'delete', status: 403, added: [] },
    more: [[{ method: 'post', status: 403, added: ['9'] }, /^a write by the read-only account changed the databases \(uid 9 appeared\)$/]],
  },
};

const everyCheck = new Map<string, ProbeCheck>(PROVIDERS.flatMap((p) => statefulChecksOf(p)).map((c) => [c.id, c]));

describe('stateful check judges', () => {
  it('the table covers every stateful check of every provider', () => {
    expect(Object.keys(CASES).sort()).toEqual([...everyCheck.keys()].sort());
  });

  it.each([...everyCheck.values()].map((c) => [c.id, c] as const))('%s fails a crafted violating observation and passes a conforming one', (id, check) => {
    const { failing, message, passing, more = [] } = CASES[id]!;
    expect(check.judge(failing).failures[0]).toMatch(message);
    expect(check.judge(passing)).toEqual({ failures: [] });
    for (const [observation, expected] of more) expect(check.judge(observation).failures).toContainEqual(expect.stringMatching(expected));
  });

  it('the changed-the-resource half of negative-data-rejection fails where the docs are explicit and warns where they are silent', () => {
    const observation = { resource: 'cluster', description: 'body/cores below its minimum', before: { cores: 2, state: 'AVAILABLE' }, after: { cores: 0, state: 'BUSY' }, volatile: ['/state'] };
    expect(negativeDataChange.judge({ ...observation, strict: true })).toEqual({ failures: ['body/cores below its minimum changed the cluster: /cores: sent 2, read 0'] });
    expect(negativeDataChange.judge({ ...observation, strict: false })).toEqual({ failures: [], warnings: ['body/cores below its minimum changed the cluster: /cores: sent 2, read 0'] });
    expect(negativeDataChange.judge({ ...observation, after: { cores: 2, state: 'BUSY' }, strict: true })).toEqual({ failures: [] });
  });
});
