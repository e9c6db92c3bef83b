/** In-process measurements: request generation (fast-check) and response validation (ajv), as the engine does them. */
import fc from 'fast-check';
import { responseSchemaConformance } from '../src/checks/response-schema-conformance.ts';
import type { CheckContext, Exchange } from '../src/checks/types.ts';
import { ValidatorCache } from '../src/checks/validators.ts';
import { requestInputArbitrary, type RequestInput } from '../src/generate/request.ts';
import { schemaArbitrary } from '../src/generate/schema-arbitrary.ts';
import type { ProviderProfile } from '../src/providers/types.ts';
import { loadSpec } from '../src/spec/load.ts';
import type { ApiSpec, JsonSchema, Operation } from '../src/spec/types.ts';
import { round, throughput } from './lib.ts';

/** Size of a (dereferenced, possibly cyclic) schema: the number of objects and arrays in it, each cycle cut once. */
export function schemaSize(value: unknown, ancestors: unknown[] = []): number {
  if (!value || typeof value !== 'object') return 0;
  if (ancestors.includes(value)) return 1;
  ancestors.push(value);
  let n = 1;
  for (const child of Object.values(value)) n += schemaSize(child, ancestors);
  ancestors.pop();
  return n;
}

export interface GenerationResult {
  provider: string;
  operationId: string;
  schemaSize: number;
  payloadsPerSecond: number;
  /** Building the arbitrary from the schema, which the engine does on every generate call (ms). */
  arbitraryBuildMs: number;
  /** Of the first payloads, how many bodies validate against the request schema (ajv, as the checks use it). */
  validChecked: number;
  valid: number;
  meanBodyBytes: number;
}

/** Valid request payloads per second for the operation with the largest request body schema. */
export async function measureGeneration(profile: ProviderProfile, seed: number, minMs: number): Promise<GenerationResult> {
  const spec = await loadSpec(profile.spec);
  const [operation, size] = spec.operations
    .filter((o) => o.body?.schema)
    .map((o) => [o, schemaSize(o.body!.schema)] as const)
    .sort((a, b) => b[1] - a[1])[0]!;
  let t = performance.now();
  const arbitrary = requestInputArbitrary(operation);
  const arbitraryBuildMs = performance.now() - t;
  // The engine's way: fc.sample with a seed and numRuns (src/run/cases.ts generate).
  const batch = 200;
  let runSeed = seed;
  let last: RequestInput[] = [];
  fc.sample(arbitrary, { seed: runSeed, numRuns: batch }); // warm-up
  const rate = throughput(() => (last = fc.sample(arbitrary, { seed: ++runSeed, numRuns: batch })), minMs);
  t = performance.now();
  const sample = fc.sample(arbitrary, { seed, numRuns: 500 });
  const validators = new ValidatorCache(spec.openapi);
  const valid = sample.filter((input) => validators.validate(operation.body!.schema!, input.body, 'request').length === 0).length;
  const bytes = last.reduce((n, input) => n + JSON.stringify(input.body ?? null).length, 0) / last.length;
  return {
    provider: profile.name,
    operationId: operation.id,
    schemaSize: size,
    payloadsPerSecond: Math.round(rate.perSecond * batch),
    arbitraryBuildMs: round(arbitraryBuildMs, 2),
    validChecked: sample.length,
    valid,
    meanBodyBytes: Math.round(bytes),
  };
}

export interface ValidationResult {
  provider: string;
  operationId: string;
  status: string;
  itemSchemaSize: number;
  items: number;
  bodyBytes: number;
  /** Failures the check reported for the page (0: it validates, as generated data should). */
  failures: string[];
  /** responseSchemaConformance.run per second (ajv validation of the parsed body, as the engine calls it). */
  responsesPerSecond: number;
  /** JSON.parse of the body and then the check, per second: what the client and the check cost together. */
  parsedAndValidatedPerSecond: number;
  /** Items validated per second. */
  itemsPerSecond: number;
}

interface ListShape {
  operation: Operation;
  status: string;
  mediaType: string;
  schema: JsonSchema;
  /** Where the page's array is: [] for a top-level array, ['items'] for { items: [...] }. */
  at: string[];
  itemSchema: JsonSchema;
}

/** The list (array-bearing) 2xx JSON responses of a spec: a top-level array, or an array property of the envelope. */
function listShapes(spec: ApiSpec): ListShape[] {
  const shapes: ListShape[] = [];
  for (const operation of spec.operations.filter((o) => o.method === 'get')) {
    for (const response of operation.responses.filter((r) => r.status.startsWith('2'))) {
      for (const [mediaType, schema] of Object.entries(response.content)) {
        if (!schema) continue;
        if (schema.type === 'array' && schema.items) shapes.push({ operation, status: response.status, mediaType, schema, at: [], itemSchema: schema.items as JsonSchema });
        const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
        for (const [name, prop] of Object.entries(props)) {
          if (prop.type === 'array' && prop.items && (prop.items as JsonSchema).type === 'object') shapes.push({ operation, status: response.status, mediaType, schema, at: [name], itemSchema: prop.items as JsonSchema });
        }
      }
    }
  }
  return shapes;
}

/**
 * Responses validated per second for the provider's list response with the largest item schema, as a page of
 * `items` generated items, through response-schema-conformance (which calls src/checks/validators.ts).
 */
export async function measureValidation(profile: ProviderProfile, seed: number, items: number, minMs: number): Promise<ValidationResult | undefined> {
  const spec = await loadSpec(profile.spec);
  const shape = listShapes(spec)
    .map((s) => [s, schemaSize(s.itemSchema)] as const)
    .sort((a, b) => b[1] - a[1])[0];
  if (!shape) return undefined;
  const [list, itemSchemaSize] = shape;
  const generate = { direction: 'response' as const };
  const pageItems = fc.sample(schemaArbitrary(list.itemSchema, generate), { seed, numRuns: items });
  let body: unknown;
  if (list.at.length === 0) body = pageItems;
  else {
    const [envelope] = fc.sample(schemaArbitrary(list.schema, generate), { seed, numRuns: 1 }) as Record<string, unknown>[];
    body = { ...envelope, [list.at[0]!]: pageItems };
    // A page that claims to hold `items` items: limit and offset within their documented bounds.
    const page = body as Record<string, unknown>;
    if ('limit' in page) page.limit = items;
    if ('offset' in page) page.offset = 0;
  }
  const text = JSON.stringify(body);
  const exchange: Exchange = {
    operation: list.operation,
    intent: 'valid',
    request: { method: 'GET', url: `http://127.0.0.1${list.operation.path}`, headers: {} },
    input: { path: {}, query: {}, headers: {} },
    response: { status: Number(list.status.replace(/X/gi, '0')), headers: { 'content-type': list.mediaType }, contentType: list.mediaType, text, json: JSON.parse(text), durationMs: 0 },
  };
  const context: CheckContext = { validators: new ValidatorCache(spec.openapi), profile, writeOnlyValues: new Set() };
  if (!responseSchemaConformance.applies(exchange, context)) throw new Error(`response-schema-conformance does not apply to ${list.operation.id}`);
  const failures = responseSchemaConformance.run(exchange, context); // also compiles the validator
  const validated = throughput(() => responseSchemaConformance.run(exchange, context), minMs);
  const parsed = throughput(() => {
    exchange.response!.json = JSON.parse(text);
    responseSchemaConformance.run(exchange, context);
  }, minMs);
  return {
    provider: profile.name,
    operationId: list.operation.id,
    status: list.status,
    itemSchemaSize,
    items,
    bodyBytes: text.length,
    failures,
    responsesPerSecond: round(validated.perSecond),
    parsedAndValidatedPerSecond: round(parsed.perSecond),
    itemsPerSecond: Math.round(validated.perSecond * items),
  };
}
