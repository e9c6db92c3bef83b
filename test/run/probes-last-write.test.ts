import { describe, expect, it } from 'vitest';
import type { RequestInput } from '../../src/generate/request.ts';
import type { HttpResponse, OutgoingRequest } from '../../src/http/types.ts';
import type { ResourceProfile } from '../../src/providers/types.ts';
import type { RunEvent } from '../../src/run/events.ts';
import { LifecycleProbes, type ProbeHost } from '../../src/run/probes.ts';
import type { RunConfig } from '../../src/run/config.ts';
import { WriteTracker } from '../../src/run/writes.ts';
import type { Operation } from '../../src/spec/types.ts';
import { operation, response } from '../helpers.ts';

const T = 'http://127.0.0.1:9';
const idParam = [{ name: 'id', in: 'path' as const, required: true, schema: { type: 'string' } }];
const bodySchema = { type: 'object', properties: { name: { type: 'string' }, pass: { type: 'string', 'x-conformance-echo': false } } };
const ops: Record<string, Operation> = {
  create: operation([], { id: 'create', method: 'post', path: '/things', body: { required: true, contentType: 'application/json', schema: bodySchema } }),
  read: operation([], { id: 'read', method: 'get', path: '/things/{id}', parameters: idParam }),
  update: operation([], { id: 'update', method: 'put', path: '/things/{id}', parameters: idParam, body: { required: true, contentType: 'application/json', schema: bodySchema } }),
  remove: operation([], { id: 'remove', method: 'delete', path: '/things/{id}', parameters: idParam }),
};
const thing: ResourceProfile = { name: 'thing', create: 'create', read: 'read', delete: 'remove', update: ['update'], idParam: 'id', idFrom: () => undefined };

/** A host over one stored thing: reads answer `stored`, updates apply `apply(body)`; every write is tracked as the session does. */
function host(stored: Record<string, unknown>, options: { apply?: (body: Record<string, unknown>) => void; onRead?: (writes: WriteTracker) => void; update?: Record<string, unknown> } = {}) {
  const events: RunEvent[] = [];
  const writes = new WriteTracker(T);
  const answer = async (request: OutgoingRequest): Promise<HttpResponse> => {
    if (request.method === 'GET') {
      options.onRead?.(writes);
      return response(200, stored);
    }
    if (request.method === 'PUT') options.apply?.(JSON.parse(request.body!));
    writes.sent(request, 200);
    return response(200, stored);
  };
  const h: ProbeHost = {
    config: { readyTimeoutMs: 500, pollIntervalMs: 1 } as RunConfig,
    emit: (e) => events.push(e),
    operation: (id) => ops[id],
    sendLifecycle: async (op, input) => {
      const request: OutgoingRequest = { method: op.method.toUpperCase(), url: `${T}${op.path.replace('{id}', String(input.path.id))}`, headers: {}, body: input.body === undefined ? undefined : JSON.stringify(input.body) };
      return { operation: op, intent: 'lifecycle', request, input, response: await answer(request) };
    },
    isNeverReady: () => false,
    readyAfter: () => undefined,
    validInput: (_op, path): RequestInput => ({ path, query: {}, headers: {}, body: structuredClone(options.update ?? { name: 'new', pass: 'p2' }) }),
    isInterrupted: false,
    writes,
  };
  const outcome = (check: string) => events.filter((e): e is Extract<RunEvent, { type: 'probe' }> => e.type === 'probe' && e.check === check).map((e) => e.failures);
  return { h, writes, outcome };
}

describe('create-echo compares the run\'s own last write', () => {
  it('fails a create whose read differs, while that create is the last write', async () => {
    const { h, writes, outcome } = host({ name: 'other', pass: 'generated' });
    const created = writes.created('thing', '/things/1', { id: '1' }, { name: 'mine', pass: 'p' });
    await new LifecycleProbes(h).created(thing, { id: '1' }, created.body, created.seq);
    expect(outcome('create-echo')).toEqual([[expect.stringContaining('/name: sent "mine", read "other"')]]);
  });

  it('passes a conforming read, with a field marked x-conformance-echo: false left out', async () => {
    const { h, writes, outcome } = host({ name: 'mine', pass: 'generated' });
    const created = writes.created('thing', '/things/1', { id: '1' }, { name: 'mine', pass: 'p' });
    await new LifecycleProbes(h).created(thing, { id: '1' }, created.body, created.seq);
    expect(outcome('create-echo')).toEqual([[]]);
  });

  it('compares nothing once another write changed the resource (or it was replaced under the same id)', async () => {
    const { h, writes, outcome } = host({ name: 'other' });
    const created = writes.created('thing', '/things/1', { id: '1' }, { name: 'mine' });
    writes.created('thing', '/things/1', { id: '1' }, { name: 'other' });
    await new LifecycleProbes(h).created(thing, { id: '1' }, created.body, created.seq);
    expect(outcome('create-echo')).toEqual([]);
    // Without a create of its own to compare with, the probe does not compare either.
    await new LifecycleProbes(h).created(thing, { id: '1' }, created.body, undefined);
    expect(outcome('create-echo')).toEqual([]);
    expect(outcome('resource-availability')).toEqual([[], []]);
  });
});

describe('update-applied compares the run\'s own last write', () => {
  it('fails an update that is not visible, and passes one that is', async () => {
    const stored: Record<string, unknown> = { name: 'old' };
    const ignored = host(stored);
    await new LifecycleProbes(ignored.h).updated(thing, ops.update!, { id: '1' });
    expect(ignored.outcome('update-applied')).toEqual([[expect.stringContaining('/name: sent "new", read "old"')]]);
    const applied = host(stored, { apply: (b) => Object.assign(stored, { name: b.name, pass: 'rotated' }) });
    await new LifecycleProbes(applied.h).updated(thing, ops.update!, { id: '1' });
    expect(applied.outcome('update-applied')).toEqual([[]]);
  });

  it('compares nothing when another write reached the resource between the update and the read', async () => {
    const { h, outcome } = host({ name: 'old' }, { onRead: (w) => w.sent({ method: 'POST', url: `${T}/things/1/reset`, headers: {} }, 200) });
    await new LifecycleProbes(h).updated(thing, ops.update!, { id: '1' });
    expect(outcome('update-applied')).toEqual([]);
  });
});
