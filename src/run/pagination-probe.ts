import { limitBounds } from '../checks/pagination.ts';
import { filterSemantics, type FilteredItem } from '../checks/stateful/filter-semantics.ts';
import { paginationBounds, type BoundAnswer } from '../checks/stateful/pagination-bounds.ts';
import { paginationLinks, type LinksObservation } from '../checks/stateful/pagination-links.ts';
import { paginationWalk } from '../checks/stateful/pagination-walk.ts';
import type { ProbeCheck } from '../checks/stateful/types.ts';
import type { Exchange, Intent } from '../checks/types.ts';
import type { RequestInput } from '../generate/request.ts';
import type { PaginationProfile } from '../providers/types.ts';
import type { Operation } from '../spec/types.ts';
import type { ProbeHost } from './probes.ts';

export interface PagingHost extends ProbeHost {
  /** Sends a request through the response checks (and reports it) like any generated one. */
  exchange(operation: Operation, intent: Intent, input: RequestInput): Promise<Exchange>;
  /** Known ids for path parameters. */
  pathFor(operation: Operation): Record<string, string>;
}

/**
 * Pagination and filter semantics of one list operation: documented bounds, walking pages against one
 * large page, links, and documented filters.
 */
export async function probeListOperation(host: PagingHost, operation: Operation, pagination: PaginationProfile): Promise<void> {
  const path = host.pathFor(operation);
  if (!addressable(operation, path)) return;
  const page = (query: Record<string, unknown>, intent: Intent = 'valid') => host.exchange(operation, intent, { path, query, headers: {} });
  const items = (ex: Exchange) => (ex.response?.status === 200 ? pagination.items(ex.response.json) : undefined);
  const report = <O>(check: ProbeCheck<O>, observation: O, exchange?: Exchange) => host.emit({ type: 'probe', operation, check: check.id, ...check.judge(observation), exchange });

  // Bounds.
  const { min, max, offsetMin, offsetMax } = limitBounds(operation, pagination);
  const answers: { answer: BoundAnswer; exchange: Exchange }[] = [];
  const expect = async (query: Record<string, unknown>, ok: boolean, what: string) => {
    const ex = await page(query, ok ? 'valid' : 'invalid');
    const status = ex.response?.status;
    if (status === undefined) return;
    answers.push({ answer: { what, ok, status }, exchange: ex });
    return ex;
  };
  await expect({ [pagination.limit]: min }, true, `limit=${min} (the minimum)`);
  if (max !== undefined) await expect({ [pagination.limit]: max }, true, `limit=${max} (the maximum)`);
  if (max !== undefined) await expect({ [pagination.limit]: max + 1 }, false, `limit=${max + 1} (above the maximum)`);
  if (min > 0) await expect({ [pagination.limit]: 0 }, min <= 0, 'limit=0');
  await expect({ [pagination.limit]: -1 }, false, 'limit=-1');
  await expect({ [pagination.offset]: offsetMin }, true, `offset=${offsetMin}`);
  if (offsetMin >= 0) await expect({ [pagination.offset]: -1 }, false, 'offset=-1');
  // Past the end: far out, but never past a documented maximum (which is a bound to refuse, not the end of the data).
  if (offsetMax !== undefined) await expect({ [pagination.offset]: offsetMax + 1 }, false, `offset=${offsetMax + 1} (above the maximum)`);
  const far = offsetMax === undefined ? 1_000_000 : Math.min(1_000_000, offsetMax);
  const beyond = await expect({ [pagination.offset]: far }, true, offsetMax === undefined ? 'offset beyond the end' : `offset=${far} (the maximum)`);
  const beyondItems = beyond && items(beyond);
  // Only an offset past every item the collection can hold shows that the end is empty; at a documented maximum the data may go on.
  const beyondEndItems = offsetMax === undefined && beyondItems ? beyondItems.length : undefined;
  // The report shows the first request that failed (else the first one).
  const shown = answers.find((a) => paginationBounds.judge({ answers: [a.answer] }).failures.length > 0)?.exchange ?? (beyondEndItems ? beyond : answers[0]?.exchange);
  report(paginationBounds, { answers: answers.map((a) => a.answer), ...(beyondEndItems !== undefined ? { beyondEndItems } : {}) }, shown);

  // One large page, then walks of small pages over the same collection.
  const bigLimit = max ?? 1000;
  const big = await page({ [pagination.limit]: bigLimit, [pagination.offset]: 0 });
  const all = items(big)?.map(pagination.itemId);
  if (!all || all.length < 4 || all.length >= bigLimit) return; // Needs more than three pages, all within one large page.
  const size = Math.max(min, Math.floor(all.length / 4));
  const pages: string[][] = [];
  const linked: LinksObservation['pages'] = [];
  let first: Exchange | undefined;
  for (let offset = 0; offset <= all.length; offset += size) {
    const ex = await page({ [pagination.limit]: size, [pagination.offset]: offset });
    first ??= ex;
    const got = items(ex);
    if (!got) break;
    pages.push(got.map(pagination.itemId));
    if (pagination.links) linked.push({ links: pagination.links(ex.response!.json), offset, limit: size, total: all.length });
    if (got.length === 0) break;
  }
  report(paginationWalk, { pages, all }, first);
  if (pagination.links && first?.response) {
    // Following next from the first page ends, and sees the whole collection.
    let next = pagination.links(first.response.json).next;
    let steps = 0;
    while (next && steps <= pages.length + 2) {
      const url = new URL(next, host.config.target);
      const query = Object.fromEntries(url.searchParams.entries());
      const ex = await page(query);
      next = ex.response?.status === 200 ? pagination.links(ex.response.json).next : undefined;
      steps++;
    }
    report(paginationLinks, { names: pagination, pages: linked, followed: { steps, ended: !next } }, first);
  }
}

/** A documented substring filter returns exactly the items whose field contains the value. */
export async function probeFilters(host: PagingHost, operation: Operation, pagination: PaginationProfile, filters: NonNullable<import('../providers/types.ts').ProviderProfile['filters']>): Promise<void> {
  const path = host.pathFor(operation);
  if (!addressable(operation, path)) return;
  const max = limitBounds(operation, pagination).max ?? 1000;
  const big = await host.exchange(operation, 'valid', { path, query: { [pagination.limit]: max }, headers: {} });
  if (big.response?.status !== 200) return;
  const all = pagination.items(big.response.json);
  for (const filter of filters.filter((f) => operation.parameters.some((p) => p.in === 'query' && p.name === f.param))) {
    const fragment = distinctiveFragment(all.map((item) => filter.field(item)).filter((v): v is string => typeof v === 'string'));
    if (!fragment) continue;
    const value = filter.caseInsensitive ? swapCase(fragment) : fragment;
    const ex = await host.exchange(operation, 'valid', { path, query: { [filter.param]: value, [pagination.limit]: max }, headers: {} });
    const item = (it: unknown): FilteredItem => ({ id: pagination.itemId(it), field: filter.field(it) });
    const got = ex.response?.status === 200 ? pagination.items(ex.response.json).map(item) : [];
    const observation = { param: filter.param, value, caseInsensitive: filter.caseInsensitive, answer: ex.response?.status ?? ex.error?.message, got, all: all.map(item) };
    host.emit({ type: 'probe', operation, check: filterSemantics.id, ...filterSemantics.judge(observation), exchange: ex });
  }
}

/** Whether every path parameter has a known value: a probe on a made-up parent id would only measure 404s. */
function addressable(operation: Operation, path: Record<string, string>): boolean {
  return operation.parameters.every((p) => p.in !== 'path' || path[p.name] !== undefined);
}

/** A substring of some value that not every value contains, so that a filter that is ignored shows. */
function distinctiveFragment(values: string[]): string | undefined {
  for (const value of values) {
    for (let size = 4; size <= Math.min(8, value.length); size++) {
      for (let start = value.length - size; start >= 0; start--) {
        const fragment = value.slice(start, start + size);
        if (!/[a-z]/i.test(fragment)) continue;
        const count = values.filter((v) => v.toLowerCase().includes(fragment.toLowerCase())).length;
        if (count < values.length) return fragment;
      }
    }
  }
  return undefined;
}

function swapCase(s: string): string {
  return [...s].map((c) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase())).join('');
}
