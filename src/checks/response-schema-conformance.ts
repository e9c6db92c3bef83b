import { isJsonMediaType, matchResponse } from '../spec/operations.ts';
import { mediaTypeMatches } from './content-type-conformance.ts';
import type { Check } from './types.ts';
import { formatIssues } from './validators.ts';

/** A JSON body parses and validates against the schema documented for its status and media type. */
export const responseSchemaConformance: Check = {
  id: 'response-schema-conformance',
  description: 'JSON bodies parse and validate against the documented schema',
  applies(exchange) {
    const response = exchange.response;
    if (!response || !response.contentType || !isJsonMediaType(response.contentType) || response.text.length === 0) return false;
    return documentedSchema(exchange) !== undefined;
  },
  run(exchange, context) {
    const response = exchange.response!;
    if (response.jsonError !== undefined) return [`the body is not valid JSON: ${response.jsonError}`];
    const issues = context.validators.validate(documentedSchema(exchange)!, response.json, 'response');
    return issues.length > 0 ? [`the body does not match the schema for ${response.status}: ${formatIssues(issues)}`] : [];
  },
};

function documentedSchema(exchange: Parameters<Check['run']>[0]) {
  const spec = matchResponse(exchange.operation.responses, exchange.response!.status);
  if (!spec) return undefined;
  const mediaType = Object.keys(spec.content).find((m) => mediaTypeMatches(m, exchange.response!.contentType));
  return mediaType ? spec.content[mediaType] : undefined;
}
