import type { ErrorEnvelope, FilterProfile, LifecycleStates, PaginationProfile } from './types.ts';

/** The error envelope shared by IONOS APIs: `{httpStatus, messages: [{errorCode, message}]}`. */
export const IONOS_ERROR_ENVELOPE: ErrorEnvelope = {
  schema: {
    type: 'object',
    required: ['httpStatus', 'messages'],
    properties: {
      httpStatus: { type: 'integer' },
      messages: {
        type: 'array',
        items: { type: 'object', properties: { errorCode: { type: 'string' }, message: { type: 'string' } } },
      },
    },
  },
  rules(body, status) {
    const httpStatus = (body as { httpStatus?: unknown }).httpStatus;
    return httpStatus === status ? [] : [`httpStatus ${String(httpStatus)} in the body differs from the HTTP status ${status}`];
  },
};

/** IONOS `metadata.state` of a resource. */
export function ionosStates(overrides: Partial<LifecycleStates> = {}): LifecycleStates {
  return {
    read: (body) => (body as { metadata?: { state?: string } } | undefined)?.metadata?.state,
    ready: ['AVAILABLE'],
    transitional: ['BUSY'],
    failed: ['FAILED', 'DEGRADED', 'UNKNOWN'],
    deleting: ['DESTROYING'],
    ...overrides,
  };
}

export const idOf = (body: unknown): string | undefined => {
  const id = (body as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' ? id : undefined;
};

/** Ids of the items of an IONOS collection. */
export const itemIds = (body: unknown): string[] =>
  ((body as { items?: { id?: unknown }[] } | undefined)?.items ?? []).map((i) => i.id).filter((id): id is string => typeof id === 'string');

type Body = Record<string, any>;

/** IONOS collections: `items`, echoed `offset` and `limit`, and `links` (or `_links`) with prev/self/next. */
export const IONOS_PAGINATION: PaginationProfile = {
  limit: 'limit',
  offset: 'offset',
  items: (body) => ((body as Body | undefined)?.items ?? []) as unknown[],
  itemId: (item) => String((item as Body).id),
  echo: (body) => ({ offset: (body as Body).offset, limit: (body as Body).limit }),
  links: (body) => ((body as Body).links ?? (body as Body)._links ?? {}) as { self?: string; next?: string; prev?: string },
};

/** IONOS `filter.name`: a case-insensitive substring of `properties.displayName`. */
export const IONOS_NAME_FILTER: FilterProfile = {
  param: 'filter.name',
  field: (item) => (item as Body).properties?.displayName,
  caseInsensitive: true,
};

/** Puts the run marker in front of `properties.displayName`, where IONOS resources carry a free-text name. */
export function markDisplayName(body: Record<string, unknown>, marker: string): void {
  const props = (body.properties ??= {}) as Body;
  props.displayName = `${marker} ${String(props.displayName ?? '')}`.trim();
}
