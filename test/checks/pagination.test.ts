import { describe, expect, it } from 'vitest';
import { linkFailures, paginationEcho, paginationLimitRespected, walkFailures } from '../../src/checks/pagination.ts';
import { IONOS_PAGINATION } from '../../src/providers/ionos.ts';
import { context, exchange, operation, response } from '../helpers.ts';

const list = operation([{ status: '200', content: { 'application/json': {} } }], {
  path: '/clusters',
  parameters: [
    { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 1000, default: 100 } },
    { name: 'offset', in: 'query', required: false, schema: { type: 'integer', minimum: 0, default: 0 } },
  ],
});
const page = (url: string, body: unknown) => {
  const ex = exchange(list, response(200, body));
  ex.request.url = url;
  return ex;
};
const ctx = context({ pagination: IONOS_PAGINATION });
const items = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `id-${i}` }));

describe('pagination-limit-respected', () => {
  it('passes a page within its limit, and the default limit when none is sent', () => {
    expect(paginationLimitRespected.run(page('http://x/clusters?limit=2', { items: items(2) }), ctx)).toEqual([]);
    expect(paginationLimitRespected.run(page('http://x/clusters', { items: items(100) }), ctx)).toEqual([]);
  });
  it('fails a page with more items than the limit', () => {
    expect(paginationLimitRespected.run(page('http://x/clusters?limit=2', { items: items(3) }), ctx)).toEqual(['the page holds 3 items but the limit was 2']);
  });
});

describe('pagination-echo', () => {
  it('passes matching offset and limit', () => {
    expect(paginationEcho.run(page('http://x/clusters?limit=5&offset=10', { items: [], offset: 10, limit: 5 }), ctx)).toEqual([]);
  });
  it('fails an offset or limit other than the one asked', () => {
    expect(paginationEcho.run(page('http://x/clusters?limit=5&offset=10', { items: [], offset: 0, limit: 5 }), ctx)).toEqual(['offset 0 in the body, 10 asked']);
  });
});

describe('pagination-walk', () => {
  const all = ['a', 'b', 'c', 'd', 'e'];
  it('passes pages that cover the collection exactly once, in order', () => {
    expect(walkFailures([['a', 'b'], ['c', 'd'], ['e'], []], all)).toEqual([]);
  });
  it('fails gaps, duplicates and another order', () => {
    expect(walkFailures([['a', 'b'], ['d', 'e'], []], all)).toEqual([expect.stringContaining('never seen')]);
    expect(walkFailures([['a', 'b'], ['b', 'c'], ['d', 'e'], []], all)).toEqual([expect.stringContaining('seen twice')]);
    expect(walkFailures([['b', 'a'], ['c', 'd'], ['e']], all)).toEqual(['pages walked in order do not give the order of one large page']);
  });
});

describe('pagination-links', () => {
  it('passes correct self, next and prev', () => {
    expect(linkFailures({ self: '/c?offset=2&limit=2', next: '/c?offset=4&limit=2', prev: '/c?offset=0&limit=2' }, { offset: 2, limit: 2, total: 5 }, IONOS_PAGINATION)).toEqual([]);
    expect(linkFailures({ self: '/c?offset=4&limit=2', prev: '/c?offset=2&limit=2' }, { offset: 4, limit: 2, total: 5 }, IONOS_PAGINATION)).toEqual([]);
  });
  it('fails a next link on the last page, a missing next, and a wrong next', () => {
    expect(linkFailures({ next: '/c?offset=6&limit=2', prev: '/c?offset=2' }, { offset: 4, limit: 2, total: 5 }, IONOS_PAGINATION)).toEqual([expect.stringContaining('last page but has a next link')]);
    expect(linkFailures({}, { offset: 0, limit: 2, total: 5 }, IONOS_PAGINATION)).toEqual([expect.stringContaining('no next link')]);
    expect(linkFailures({ next: '/c?offset=3&limit=2' }, { offset: 0, limit: 2, total: 5 }, IONOS_PAGINATION)).toEqual([expect.stringContaining('expected 2')]);
  });
});
