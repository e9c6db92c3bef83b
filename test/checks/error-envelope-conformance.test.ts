import { describe, expect, it } from 'vitest';
import { errorEnvelopeConformance } from '../../src/checks/error-envelope-conformance.ts';
import { IONOS_ERROR_ENVELOPE } from '../../src/providers/ionos.ts';
import { context, exchange, operation, response } from '../helpers.ts';

const op = operation([
  { status: '200', content: { 'application/json': { type: 'object' } } },
  { status: '404', content: { 'application/json': { type: 'object' } } },
]);
const ctx = context({ errorEnvelope: IONOS_ERROR_ENVELOPE });
const run = (res: ReturnType<typeof response>) => errorEnvelopeConformance.run(exchange(op, res), ctx);
const envelope = (status: number) => ({ httpStatus: status, messages: [{ errorCode: 'paas-not-found', message: 'cluster not found' }] });

describe('error-envelope-conformance', () => {
  it('passes an error that carries the envelope with its own status', () => {
    expect(run(response(404, envelope(404)))).toEqual([]);
    expect(run(response(500, envelope(500), 'application/problem+json'))).toEqual([]);
  });

  it('fails an envelope whose httpStatus differs from the HTTP status (IONOS rule)', () => {
    expect(run(response(404, envelope(400)))).toEqual(['httpStatus 400 in the body differs from the HTTP status 404']);
  });

  it('fails a JSON body that is not the envelope', () => {
    expect(run(response(404, { error: 'not found' }))).toEqual([
      "error 404 does not carry the error envelope: (root) must have required property 'httpStatus'; (root) must have required property 'messages'",
    ]);
    expect(run(response(400, { httpStatus: '400', messages: 'bad' }))).toEqual(['error 400 does not carry the error envelope: /httpStatus must be integer; /messages must be array']);
  });

  it('fails an error without a JSON body, saying what came instead', () => {
    expect(run(response(502, '<html><body>Bad Gateway</body></html>', 'text/html'))).toEqual(['error 502 has no JSON body (Content-Type text/html): <html><body>Bad Gateway</body></html>']);
    expect(run(response(503, 'down', ''))).toEqual(['error 503 has no JSON body (Content-Type missing): down']);
    expect(run(response(401, undefined))).toEqual(['error 401 has no JSON body (Content-Type application/json): empty']);
    expect(run(response(400, '{"httpStatus": 4', 'application/json'))).toEqual(['error 400 has no JSON body (Content-Type application/json): {"httpStatus": 4']);
  });

  it('cuts long non-JSON bodies to 80 characters', () => {
    const [failure] = run(response(500, 'x'.repeat(500), 'text/plain'));
    expect(failure).toBe(`error 500 has no JSON body (Content-Type text/plain): ${'x'.repeat(80)}`);
  });

  it('applies only to 4xx and 5xx answers of a provider with an envelope', () => {
    expect(errorEnvelopeConformance.applies(exchange(op, response(404, {})), ctx)).toBe(true);
    expect(errorEnvelopeConformance.applies(exchange(op, response(200, {})), ctx)).toBe(false);
    expect(errorEnvelopeConformance.applies(exchange(op, response(399, {})), ctx)).toBe(false);
    expect(errorEnvelopeConformance.applies(exchange(op, undefined), ctx)).toBe(false);
    expect(errorEnvelopeConformance.applies(exchange(op, response(404, {})), context())).toBe(false);
  });

  it('uses the profile envelope, rules optional', () => {
    const plain = context({ errorEnvelope: { schema: { type: 'object', required: ['code'], properties: { code: { type: 'string' } } } } });
    expect(errorEnvelopeConformance.run(exchange(op, response(409, { code: 'conflict' })), plain)).toEqual([]);
    expect(errorEnvelopeConformance.run(exchange(op, response(409, { code: 1 })), plain)).toEqual(['error 409 does not carry the error envelope: /code must be string']);
  });
});
