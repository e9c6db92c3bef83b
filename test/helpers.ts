import type { CheckContext, Exchange, Intent } from '../src/checks/types.ts';
import { ValidatorCache } from '../src/checks/validators.ts';
import type { HttpResponse } from '../src/http/types.ts';
import type { ProviderProfile } from '../src/providers/types.ts';
import type { Operation, ResponseSpec } from '../src/spec/types.ts';

/** A small operation for check tests. */
export function operation(responses: ResponseSpec[], overrides: Partial<Operation> = {}): Operation {
  return { id: 'getThing', method: 'get', path: '/things/{id}', tags: [], summary: '', deprecated: false, parameters: [], body: undefined, responses, security: [], ...overrides };
}

export function response(status: number, body?: unknown, contentType = 'application/json', extraHeaders: Record<string, string> = {}): HttpResponse {
  const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  let json: unknown;
  let jsonError: string | undefined;
  if (contentType.includes('json') && text) {
    try {
      json = JSON.parse(text);
    } catch (error) {
      jsonError = (error as Error).message;
    }
  }
  return { status, headers: { ...(contentType ? { 'content-type': contentType } : {}), ...extraHeaders }, contentType, text, json, jsonError, durationMs: 1 };
}

export function exchange(op: Operation, res: HttpResponse | undefined, intent: Intent = 'valid'): Exchange {
  return { operation: op, intent, request: { method: op.method.toUpperCase(), url: `http://127.0.0.1${op.path}`, headers: {} }, input: {}, response: res };
}

export function context(profile: Partial<ProviderProfile> = {}, openapi: '3.0' | '3.1' = '3.0'): CheckContext {
  return { validators: new ValidatorCache(openapi), profile: { name: 'test', title: 'Test', spec: '', resources: [], ...profile }, writeOnlyValues: new Set() };
}
