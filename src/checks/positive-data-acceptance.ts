import type { JsonSchema } from '../spec/types.ts';
import type { Check, Exchange } from './types.ts';

/** The refusal, when valid data was answered 400 or 422. */
function refusal(exchange: Exchange): string | undefined {
  const { status, json, text } = exchange.response!;
  if (status !== 400 && status !== 422) return undefined;
  const said = json !== undefined ? JSON.stringify(json) : text;
  return `valid data was refused ${status}: ${said.slice(0, 200)}`;
}

/**
 * Why the docs make acceptance of this request depend on something outside it (`x-conformance-lenient`
 * on the operation, or on a body property that was sent: a tier, the resource's state), or undefined.
 */
export function lenientReason(exchange: Exchange): string | undefined {
  const { operation, input } = exchange;
  if (operation.lenient) return operation.lenient;
  const body = (input as { body?: unknown } | undefined)?.body;
  return operation.body?.schema ? sentLenient(operation.body.schema, body, 0) : undefined;
}

function sentLenient(schema: JsonSchema, value: unknown, depth: number): string | undefined {
  if (!value || typeof value !== 'object' || Array.isArray(value) || depth > 2) return undefined;
  const parts = [schema, ...(Array.isArray(schema.allOf) ? (schema.allOf as JsonSchema[]) : [])];
  for (const part of parts) {
    for (const [name, prop] of Object.entries((part?.properties ?? {}) as Record<string, JsonSchema>)) {
      if (!(name in value) || !prop || typeof prop !== 'object') continue;
      const why = lenientOf(prop);
      if (why) return `${name}: ${why}`;
      const nested = sentLenient(prop, (value as Record<string, unknown>)[name], depth + 1);
      if (nested) return nested;
    }
  }
  return undefined;
}

/** The `x-conformance-lenient` reason of a schema, or of one of its allOf parts (a `$ref` with keywords next to it). */
function lenientOf(schema: JsonSchema, depth = 0): string | undefined {
  const why = schema['x-conformance-lenient'];
  if (typeof why === 'string') return why;
  if (!Array.isArray(schema.allOf) || depth > 3) return undefined;
  for (const part of schema.allOf as JsonSchema[]) {
    const found = part && typeof part === 'object' ? lenientOf(part, depth + 1) : undefined;
    if (found) return found;
  }
  return undefined;
}

/**
 * Data generated within every documented constraint is not refused as invalid (400 or 422). Where the docs
 * make acceptance depend on the account or the resource's state (x-conformance-lenient), a refusal is a warning.
 */
export const positiveDataAcceptance: Check = {
  id: 'positive-data-acceptance',
  description: 'Valid data is not refused with 400 or 422',
  applies: (exchange, context) =>
    exchange.intent === 'valid' && exchange.response !== undefined && context.profile.knowsSemantics !== false && (exchange.operation.body !== undefined || exchange.operation.parameters.length > 0),
  relevantTo: (operation, profile) => profile.knowsSemantics !== false && (operation.body !== undefined || operation.parameters.length > 0),
  run(exchange) {
    const refused = refusal(exchange);
    return refused && !lenientReason(exchange) ? [refused] : [];
  },
  warn(exchange) {
    const refused = refusal(exchange);
    const why = refused && lenientReason(exchange);
    return refused && why ? [`${refused} (acceptance depends on more than the request: ${why})`] : [];
  },
};
