import type { PaginationProfile } from '../core/profile.ts';
import type { Operation } from '../spec/types.ts';
import type { Check, Exchange } from './types.ts';

/** The limit and offset a list request asked for, or the documented defaults. */
export function requestedPage(exchange: Exchange, pagination: PaginationProfile): { limit?: number; offset?: number } {
  // Several checks ask for every exchange: the URL is parsed once.
  const cached = pages.get(exchange.request);
  if (cached && cached.pagination === pagination) return cached.page;
  const page = readPage(exchange, pagination);
  pages.set(exchange.request, { pagination, page });
  return page;
}

const pages = new WeakMap<object, { pagination: PaginationProfile; page: { limit?: number; offset?: number } }>();

function readPage(exchange: Exchange, pagination: PaginationProfile): { limit?: number; offset?: number } {
  // Only the query is needed: parsing it alone is several times cheaper than a whole URL.
  const href = exchange.request.url;
  const q = href.indexOf('?');
  const url = { searchParams: new URLSearchParams(q < 0 ? '' : href.slice(q + 1).split('#')[0]) };
  const param = (name: string) => exchange.operation.parameters.find((p) => p.in === 'query' && p.name === name);
  const read = (name: string) => {
    const raw = url.searchParams.get(name);
    if (raw !== null) return Number(raw);
    const fallback = param(name)?.schema.default;
    return typeof fallback === 'number' ? fallback : undefined;
  };
  return { limit: read(pagination.limit), offset: read(pagination.offset) };
}

function pagedOperation(operation: Operation, pagination: PaginationProfile | undefined): boolean {
  const names = operation.parameters.filter((p) => p.in === 'query').map((p) => p.name);
  return pagination !== undefined && names.includes(pagination.limit) && names.includes(pagination.offset);
}

function paginated(exchange: Exchange, pagination: PaginationProfile | undefined): pagination is PaginationProfile {
  if (!pagination || exchange.response?.status !== 200 || exchange.response.json === undefined) return false;
  return pagedOperation(exchange.operation, pagination);
}

/** No page holds more items than the limit asked for (or the documented default). */
export const paginationLimitRespected: Check = {
  id: 'pagination-limit-respected',
  description: 'A page never holds more items than its limit',
  relevantTo: (operation, profile) => pagedOperation(operation, profile.pagination),
  applies: (exchange, context) => paginated(exchange, context.profile.pagination) && requestedPage(exchange, context.profile.pagination!).limit !== undefined,
  run(exchange, context) {
    const pagination = context.profile.pagination!;
    const { limit } = requestedPage(exchange, pagination);
    const count = pagination.items(exchange.response!.json).length;
    return count > limit! ? [`the page holds ${count} items but the limit was ${limit}`] : [];
  },
};

/** The offset and limit in the body are the ones the request asked for. */
export const paginationEcho: Check = {
  id: 'pagination-echo',
  description: 'The offset and limit in the body match the request',
  relevantTo: (operation, profile) => pagedOperation(operation, profile.pagination) && profile.pagination!.echo !== undefined,
  applies: (exchange, context) => paginated(exchange, context.profile.pagination) && context.profile.pagination!.echo !== undefined,
  run(exchange, context) {
    const pagination = context.profile.pagination!;
    const asked = requestedPage(exchange, pagination);
    const echoed = pagination.echo!(exchange.response!.json);
    const failures: string[] = [];
    if (echoed.offset !== undefined && asked.offset !== undefined && echoed.offset !== asked.offset) failures.push(`offset ${echoed.offset} in the body, ${asked.offset} asked`);
    if (echoed.limit !== undefined && asked.limit !== undefined && echoed.limit !== asked.limit) failures.push(`limit ${echoed.limit} in the body, ${asked.limit} asked`);
    return failures;
  },
};

/** The documented bounds of limit and offset, for the bounds probe. */
export function limitBounds(operation: Operation, pagination: PaginationProfile): { min: number; max?: number; offsetMin: number; offsetMax?: number } {
  const schema = (name: string) => operation.parameters.find((p) => p.in === 'query' && p.name === name)?.schema ?? {};
  const limit = schema(pagination.limit);
  const offset = schema(pagination.offset);
  return {
    min: typeof limit.minimum === 'number' ? limit.minimum : 1,
    max: typeof limit.maximum === 'number' ? limit.maximum : undefined,
    offsetMin: typeof offset.minimum === 'number' ? offset.minimum : 0,
    ...(typeof offset.maximum === 'number' ? { offsetMax: offset.maximum } : {}),
  };
}

/** Walking pages must see every item of one large page exactly once, in the same order. */
export function walkFailures(pages: string[][], all: string[]): string[] {
  const walked = pages.flat();
  const failures: string[] = [];
  const seen = new Set<string>();
  const duplicates = walked.filter((id) => (seen.has(id) ? true : (seen.add(id), false)));
  if (duplicates.length > 0) failures.push(`items seen twice while walking pages: ${[...new Set(duplicates)].slice(0, 3).join(', ')}`);
  const missing = all.filter((id) => !seen.has(id));
  if (missing.length > 0) failures.push(`${missing.length} items of the collection were never seen while walking pages (gaps), e.g. ${missing.slice(0, 3).join(', ')}`);
  const extra = [...seen].filter((id) => !all.includes(id));
  if (extra.length > 0) failures.push(`pages held items that one large page does not: ${extra.slice(0, 3).join(', ')}`);
  if (failures.length === 0 && walked.join('\n') !== all.join('\n')) failures.push('pages walked in order do not give the order of one large page');
  return failures;
}

/** self, next and prev point at the right pages: next only when more items follow, prev only after the first page. */
export function linkFailures(links: { self?: string; next?: string; prev?: string }, page: { offset: number; limit: number; total: number }, pagination: Pick<PaginationProfile, 'limit' | 'offset'>): string[] {
  const failures: string[] = [];
  const at = (link: string) => {
    const url = new URL(link, 'http://relative.invalid');
    return { offset: Number(url.searchParams.get(pagination.offset) ?? 0), limit: Number(url.searchParams.get(pagination.limit) ?? page.limit) };
  };
  const where = `the page at offset ${page.offset} (limit ${page.limit}, ${page.total} items)`;
  if (links.self !== undefined && at(links.self).offset !== page.offset) failures.push(`self of ${where} points at offset ${at(links.self).offset}`);
  const more = page.offset + page.limit < page.total;
  if (more && links.next === undefined) failures.push(`${where} has no next link although more items follow`);
  if (!more && links.next !== undefined) failures.push(`${where} is the last page but has a next link`);
  if (more && links.next !== undefined && at(links.next).offset !== page.offset + page.limit) failures.push(`next of ${where} points at offset ${at(links.next).offset}, expected ${page.offset + page.limit}`);
  if (page.offset > 0 && links.prev === undefined) failures.push(`${where} has no prev link`);
  if (page.offset === 0 && links.prev !== undefined) failures.push(`the first page has a prev link`);
  return failures;
}
