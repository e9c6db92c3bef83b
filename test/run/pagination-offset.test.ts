import { describe, expect, it } from 'vitest';
import type { Exchange } from '../../src/checks/types.ts';
import type { RunEvent } from '../../src/run/events.ts';
import { probeListOperation, type PagingHost } from '../../src/run/pagination-probe.ts';
import { buildOperations } from '../../src/spec/operations.ts';

/** A list of `total` items that refuses limits and offsets outside [1, maxLimit] and [0, maxOffset] when `strict`. */
function host(options: { total: number; maxOffset?: number; strict: boolean }) {
  const offsetSchema = { type: 'integer', minimum: 0, ...(options.maxOffset !== undefined ? { maximum: options.maxOffset } : {}) };
  const [operation] = buildOperations({ paths: { '/items': { get: { operationId: 'listItems', parameters: [{ name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100 } }, { name: 'offset', in: 'query', schema: offsetSchema }], responses: { '200': { description: 'ok' } } } } } });
  const events: RunEvent[] = [];
  const fake = {
    emit: (e: RunEvent) => events.push(e),
    pathFor: () => ({}),
    exchange: async (_op: unknown, intent: string, input: { query: Record<string, unknown> }): Promise<Exchange> => {
      const limit = Number(input.query.limit ?? 10);
      const offset = Number(input.query.offset ?? 0);
      const refused = limit < 1 || limit > 100 || offset < 0 || (options.strict && options.maxOffset !== undefined && offset > options.maxOffset);
      const items = Array.from({ length: Math.max(0, Math.min(limit, options.total - offset)) }, (_, i) => ({ id: String(offset + i) }));
      const response = refused ? { status: 400, headers: {}, contentType: 'application/json', text: '{}', json: {}, durationMs: 1 } : { status: 200, headers: {}, contentType: 'application/json', text: '', json: { items }, durationMs: 1 };
      return { operation: operation!, intent: intent as Exchange['intent'], input, request: { method: 'GET', url: '/items', headers: {} }, response };
    },
  } as unknown as PagingHost;
  const pagination = { limit: 'limit', offset: 'offset', items: (b: unknown) => (b as { items: unknown[] }).items, itemId: (i: unknown) => (i as { id: string }).id };
  return { run: () => probeListOperation(fake, operation!, pagination), bounds: () => events.flatMap((e) => (e.type === 'probe' && e.check === 'pagination-bounds' ? e.failures : [])) };
}

describe('pagination-bounds and a documented offset maximum', () => {
  it('a collection larger than the maximum offset: items at the maximum are no failure, and the bound is enforced', async () => {
    const h = host({ total: 5000, maxOffset: 1000, strict: true });
    await h.run();
    expect(h.bounds()).toEqual([]);
  });

  it('an API that takes offsets above its documented maximum fails', async () => {
    const h = host({ total: 5000, maxOffset: 1000, strict: false });
    await h.run();
    expect(h.bounds()).toEqual(['offset=1001 (above the maximum) was answered 200, expected a 4xx error']);
  });

  it('without a maximum, items far beyond the end still fail', async () => {
    const h = host({ total: 2_000_000, strict: true });
    await h.run();
    expect(h.bounds()).toEqual(['offset beyond the end returned 10 items, expected none']);
  });
});
