/** Requests as the engine builds them (src/run/exchanger.ts buildRequest), for autocannon and for seeding servers. */
import fc from 'fast-check';
import { fillPath, queryString, requestInputArbitrary, type RequestInput } from '../src/generate/request.ts';
import type { ProviderProfile } from '../src/providers/types.ts';
import { seedFor } from '../src/run/cases.ts';
import type { Operation } from '../src/spec/types.ts';
import { BASIC_AUTH } from './lib.ts';

export interface PlainRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string;
}

function acceptHeader(operation: Operation): string {
  const accept = new Set(operation.responses.flatMap((r) => Object.keys(r.content)));
  return accept.size > 0 ? [...accept].join(', ') : '*/*';
}

/**
 * The suite's own first `count` inputs for an operation: the same arbitrary and per-operation seed as the engine
 * (stream 0), with the profile's cross-field rules applied; creates get a marker name when `marker` is given.
 */
export function engineInputs(profile: ProviderProfile, operation: Operation, seed: number, count: number, marker?: string): RequestInput[] {
  const inputs = fc.sample(requestInputArbitrary(operation), { seed: seedFor(seed, operation.id, 0), numRuns: count });
  const resource = profile.resources.find((r) => r.create === operation.id);
  return inputs.map((input, i) => {
    const context = { operationId: operation.id, ids: new Map<string, string[]>(), pathParams: input.path as Record<string, string> };
    if (input.body !== undefined && profile.prepareBody) input.body = profile.prepareBody(input.body, context);
    if (profile.prepareQuery) input.query = profile.prepareQuery(input.query, context);
    if (marker && resource?.markName && input.body && typeof input.body === 'object') resource.markName(input.body as Record<string, unknown>, `${marker}-${i}`);
    return input;
  });
}

/** Method, path with query, headers (accept, basic auth, content type) and serialized body, as the engine sends them. */
export function plainRequests(operation: Operation, inputs: RequestInput[]): PlainRequest[] {
  const accept = acceptHeader(operation);
  return inputs.map((input) => {
    const headers: Record<string, string> = { accept, authorization: BASIC_AUTH };
    for (const [name, value] of Object.entries(input.headers)) if (value !== undefined) headers[name.toLowerCase()] = String(value);
    if (input.body !== undefined && operation.body) headers['content-type'] = operation.body.contentType;
    return {
      method: operation.method.toUpperCase(),
      path: fillPath(operation.path, input.path) + queryString(operation, input.query),
      headers,
      ...(input.body !== undefined ? { body: JSON.stringify(input.body) } : {}),
    };
  });
}

/** Creates `count` resources with generated bodies (so that list pages carry items for the checks to validate). */
export async function seedResources(url: string, profile: ProviderProfile, createOp: Operation, seed: number, count: number): Promise<void> {
  for (const request of plainRequests(createOp, engineInputs(profile, createOp, seed, count, 'bench-seed'))) {
    const response = await fetch(url + request.path, { method: request.method, headers: request.headers, body: request.body });
    if (response.status >= 300) throw new Error(`seeding with ${createOp.id} failed: ${response.status} ${await response.text()}`);
  }
}
