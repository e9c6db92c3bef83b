import { matchResponse } from '../spec/operations.ts';
import type { Check } from './types.ts';

/** The status code is one the operation documents; an unknown id is never answered with success. */
export const statusCodeConformance: Check = {
  id: 'status-code-conformance',
  description: 'The status code is documented for the operation, and unknown ids are not answered 2xx',
  applies: (exchange) => exchange.response !== undefined,
  run(exchange) {
    const { status } = exchange.response!;
    const failures: string[] = [];
    if (!matchResponse(exchange.operation.responses, status)) {
      const documented = exchange.operation.responses.map((r) => r.status.toLowerCase()).join(', ');
      failures.push(`undocumented status ${status} (documented: ${documented})${redirectNote(exchange)}`);
    }
    if (exchange.intent === 'unknown-id' && status >= 200 && status < 300) {
      failures.push(`a request for an unknown id was answered ${status}, expected a 4xx such as 404`);
    }
    return failures;
  },
};

/** For an undocumented 3xx with a Location: where it points (redirects are never followed, so a loop shows up here). */
function redirectNote(exchange: Parameters<Check['run']>[0]): string {
  const { status, headers } = exchange.response!;
  const location = headers.location;
  if (status < 300 || status >= 400 || !location) return '';
  let same = false;
  try {
    same = new URL(location, exchange.request.url).href === new URL(exchange.request.url).href;
  } catch {
    // An unparseable Location is shown as it came.
  }
  return same ? `; it redirects to itself (Location: ${location}), a redirect loop` : `; it redirects to ${location} (redirects are not followed)`;
}
