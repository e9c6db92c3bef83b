import type { Check } from './types.ts';

/** Data generated within every documented constraint is not refused as invalid (400 or 422). */
export const positiveDataAcceptance: Check = {
  id: 'positive-data-acceptance',
  description: 'Valid data is not refused with 400 or 422',
  applies: (exchange, context) =>
    exchange.intent === 'valid' && exchange.response !== undefined && context.profile.knowsSemantics !== false && (exchange.operation.body !== undefined || exchange.operation.parameters.length > 0),
  relevantTo: (operation, profile) => profile.knowsSemantics !== false && (operation.body !== undefined || operation.parameters.length > 0),
  run(exchange) {
    const { status, json, text } = exchange.response!;
    if (status !== 400 && status !== 422) return [];
    const said = json !== undefined ? JSON.stringify(json) : text;
    return [`valid data was refused ${status}: ${said.slice(0, 200)}`];
  },
};
