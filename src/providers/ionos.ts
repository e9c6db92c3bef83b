import type { ErrorEnvelope, LifecycleStates } from './types.ts';

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
