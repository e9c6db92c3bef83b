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
      failures.push(`undocumented status ${status} (documented: ${documented})`);
    }
    if (exchange.intent === 'unknown-id' && status >= 200 && status < 300) {
      failures.push(`a request for an unknown id was answered ${status}, expected a 4xx such as 404`);
    }
    return failures;
  },
};
