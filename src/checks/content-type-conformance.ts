import { matchResponse } from '../spec/operations.ts';
import type { Check } from './types.ts';

/** The Content-Type is one the matching response documents, and a response documented without a body has none. */
export const contentTypeConformance: Check = {
  id: 'content-type-conformance',
  description: 'The Content-Type is documented for the status, and bodiless responses have no body',
  applies: (exchange) => exchange.response !== undefined && matchResponse(exchange.operation.responses, exchange.response.status) !== undefined,
  run(exchange) {
    const response = exchange.response!;
    const documented = Object.keys(matchResponse(exchange.operation.responses, response.status)!.content);
    if (documented.length === 0) {
      return response.text.length > 0 ? [`status ${response.status} is documented without a body, but ${response.text.length} bytes came back`] : [];
    }
    if (!response.contentType) {
      return response.text.length > 0 ? ['the response has a body but no Content-Type header'] : [];
    }
    if (!documented.some((mediaType) => mediaTypeMatches(mediaType, response.contentType))) {
      return [`Content-Type ${response.contentType} is not documented for status ${response.status} (documented: ${documented.join(', ')})`];
    }
    return [];
  },
};

/** 'application/json' matches itself; 'application/*' and '*\/*' match by wildcard; parameters are ignored. */
export function mediaTypeMatches(documented: string, actual: string): boolean {
  const [dType, dSub] = documented.split(';')[0]!.trim().toLowerCase().split('/');
  const [aType, aSub] = actual.split(';')[0]!.trim().toLowerCase().split('/');
  return (dType === '*' || dType === aType) && (dSub === '*' || dSub === aSub);
}
