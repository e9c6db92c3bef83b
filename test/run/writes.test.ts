import { describe, expect, it } from 'vitest';
import { echoMismatches, noEchoPointers } from '../../src/checks/lifecycle.ts';
import { CreateOutcomes } from '../../src/run/create-outcomes.ts';
import { WriteTracker } from '../../src/run/writes.ts';

const T = 'http://127.0.0.1:9/api';
const req = (method: string, path: string) => ({ method, url: `${T}${path}?dry_run=false`, headers: {} });

describe('last-write tracking (read-after-write compares the run\'s own last write)', () => {
  it('counts writes to the resource, below it (actions) and deletes above it; not reads, refusals or siblings', () => {
    const w = new WriteTracker(T);
    const c = w.created('bdb', '/v1/bdbs/3', { uid: '3' }, { name: 'a' });
    expect(w.writesSince('/v1/bdbs/3', c.seq)).toBe(0);
    w.sent(req('GET', '/v1/bdbs/3'), 200);
    w.sent(req('PUT', '/v1/bdbs/3'), 400);
    w.sent(req('POST', '/v1/bdbs'), 200);
    w.sent(req('PUT', '/v1/bdbs/31'), 200);
    expect(w.writesSince('/v1/bdbs/3', c.seq)).toBe(0);
    w.sent(req('PUT', '/v1/bdbs/3/reset_admin_pass'), 200);
    expect(w.writesSince('/v1/bdbs/3', c.seq)).toBe(1);
    const d = w.created('user', '/clusters/c1/users/u%201', { clusterId: 'c1', username: 'u 1' }, {});
    w.sent(req('DELETE', '/clusters/c1'), 202);
    expect(w.writesSince('/clusters/c1/users/u 1', d.seq)).toBe(1);
    // A write whose answer never came may have taken effect.
    const e = w.created('user', '/clusters/c2/users/v', {}, {});
    w.sent(req('PATCH', '/clusters/c2/users/v'), undefined);
    expect(w.writesSince('/clusters/c2/users/v', e.seq)).toBe(1);
  });

  it('follows the first create nothing changed since: a reused id replaces the earlier create', () => {
    const w = new WriteTracker(T);
    w.created('bdb', '/v1/bdbs/1', { uid: '1' }, { name: 'first' });
    w.created('bdb', '/v1/bdbs/2', { uid: '2' }, { name: 'second' });
    // The database 1 went away and its uid came back for another create.
    w.sent(req('DELETE', '/v1/bdbs/1'), 200);
    w.created('bdb', '/v1/bdbs/1', { uid: '1' }, { name: 'fifth' });
    expect(w.intactCreate('bdb', () => true)?.body).toEqual({ name: 'second' });
    // Among those still held only.
    expect(w.intactCreate('bdb', (c) => c.params.uid === '1')?.body).toEqual({ name: 'fifth' });
    expect(w.intactCreate('other', () => true)).toBeUndefined();
  });

  it('a create answered with an id the run already holds (an earlier create taken as a dry run) is a write there', () => {
    const w = new WriteTracker(T);
    const first = w.created('bdb', '/v1/bdbs/2', { uid: '2' }, { name: 'first' });
    expect(w.intactCreate('bdb', () => true)?.body).toEqual({ name: 'first' });
    w.replaced('/v1/bdbs/2');
    expect(w.writesSince('/v1/bdbs/2', first.seq)).toBe(1);
    expect(w.intactCreate('bdb', () => true)).toBeUndefined();
  });
});

describe('x-conformance-echo: false', () => {
  const schema = {
    type: 'object',
    properties: {
      name: { type: 'string' },
      authentication_admin_pass: { type: 'string', 'x-conformance-echo': false },
      nested: { allOf: [{ type: 'object', properties: { tde: { type: 'boolean', 'x-conformance-echo': false } } }] },
      list: { type: 'array', items: { type: 'object', properties: { secret: { type: 'string', 'x-conformance-echo': false } } } },
    },
  };

  it('names the sent values a read need not echo', () => {
    const body = { name: 'x', authentication_admin_pass: 'p', nested: { tde: true }, list: [{ secret: 'a' }, { secret: 'b' }] };
    expect(noEchoPointers(schema, body).sort()).toEqual(['/authentication_admin_pass', '/list/0/secret', '/list/1/secret', '/nested/tde']);
  });

  it('still fails a field that is not marked, and passes the marked ones', () => {
    const sent = { name: 'x', authentication_admin_pass: 'p', nested: { tde: true } };
    const read = { name: 'y', authentication_admin_pass: 'generated', nested: { tde: false } };
    expect(echoMismatches(sent, read, '', noEchoPointers(schema, sent))).toEqual(['/name: sent "x", read "y"']);
    expect(echoMismatches({ ...sent, name: 'y' }, read, '', noEchoPointers(schema, sent))).toEqual([]);
  });
});

describe('creates that keep failing', () => {
  it('warn with the count and the answers when none succeeded, and not otherwise', () => {
    const o = new CreateOutcomes();
    for (let i = 0; i < 24; i++) o.note('cluster', 422, false);
    o.note('cluster', undefined, false);
    expect(o.warning('cluster', 'clustersPost', ['resource-availability', 'create-echo'])).toBe(
      '0 of 25 cluster creates succeeded (clustersPost answered 422 ×24, no answer ×1): lifecycle checks did not run for cluster (resource-availability, create-echo)',
    );
    o.note('user', 422, false);
    o.note('user', 201, true);
    expect(o.warning('user', 'usersPost', [])).toBeUndefined();
    expect(o.warning('database', 'databasesPost', [])).toBeUndefined();
  });
});
