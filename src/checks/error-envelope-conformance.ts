import type { Check } from './types.ts';
import { formatIssues } from './validators.ts';

/** Every 4xx and 5xx answer carries the provider's documented error envelope. */
export const errorEnvelopeConformance: Check = {
  id: 'error-envelope-conformance',
  description: "Error answers carry the provider's error envelope",
  applies: (exchange, context) => exchange.response !== undefined && exchange.response.status >= 400 && context.profile.errorEnvelope !== undefined,
  relevantTo: (_operation, profile) => profile.errorEnvelope !== undefined,
  run(exchange, context) {
    const response = exchange.response!;
    const envelope = context.profile.errorEnvelope!;
    if (response.json === undefined) {
      return [`error ${response.status} has no JSON body (Content-Type ${response.contentType || 'missing'}): ${response.text.slice(0, 80) || 'empty'}`];
    }
    const issues = context.validators.validate(envelope.schema, response.json, 'response');
    if (issues.length > 0) return [`error ${response.status} does not carry the error envelope: ${formatIssues(issues)}`];
    return envelope.rules?.(response.json, response.status) ?? [];
  },
};
