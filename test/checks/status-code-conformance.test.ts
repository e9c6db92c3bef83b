import { describe, expect, it } from 'vitest';
import { statusCodeConformance } from '../../src/checks/status-code-conformance.ts';
import { TransportError } from '../../src/http/types.ts';
import { buildOperations } from '../../src/spec/operations.ts';
import { context, exchange, operation, response } from '../helpers.ts';

const json = { 'application/json': { type: 'object' } };
const run = (ex: ReturnType<typeof exchange>) => statusCodeConformance.run(ex, context());

describe('status-code-conformance', () => {
  const op = operation([
    { status: '200', content: json },
    { status: '404', content: json },
  ]);

  it('passes a documented status', () => {
    expect(run(exchange(op, response(200, {})))).toEqual([]);
    expect(run(exchange(op, response(404, {})))).toEqual([]);
  });

  it('fails an undocumented status and lists the documented ones', () => {
    expect(run(exchange(op, response(418, {})))).toEqual(['undocumented status 418 (documented: 200, 404)']);
    expect(run(exchange(op, response(201, {})))).toEqual(['undocumented status 201 (documented: 200, 404)']);
  });

  it('a range such as 4XX covers every status of its class, and only those', () => {
    const ranged = operation([
      { status: '200', content: json },
      { status: '4XX', content: json },
    ]);
    expect(run(exchange(ranged, response(400, {})))).toEqual([]);
    expect(run(exchange(ranged, response(429, {})))).toEqual([]);
    expect(run(exchange(ranged, response(500, {})))).toEqual(['undocumented status 500 (documented: 200, 4xx)']);
    expect(run(exchange(ranged, response(302)))).toEqual(['undocumented status 302 (documented: 200, 4xx)']);
  });

  it('default covers every status', () => {
    const withDefault = operation([
      { status: '200', content: json },
      { status: 'DEFAULT', content: json },
    ]);
    expect(run(exchange(withDefault, response(503, {})))).toEqual([]);
    expect(run(exchange(withDefault, response(201, {})))).toEqual([]);
  });

  it('works on operations as the loader builds them (lower-case 4xx and default in the document)', () => {
    const [loaded] = buildOperations({
      paths: { '/things': { get: { operationId: 'listThings', responses: { '200': { description: 'ok' }, '4xx': { description: 'client error' } } } } },
    });
    expect(run(exchange(loaded!, response(404, {})))).toEqual([]);
    expect(run(exchange(loaded!, response(500, {})))).toEqual(['undocumented status 500 (documented: 200, 4xx)']);
    const [withDefault] = buildOperations({ paths: { '/things': { get: { responses: { default: { description: 'any' } } } } } });
    expect(run(exchange(withDefault!, response(418, {})))).toEqual([]);
  });

  it('an unknown id answered with a documented 2xx still fails', () => {
    expect(run(exchange(op, response(200, {}), 'unknown-id'))).toEqual(['a request for an unknown id was answered 200, expected a 4xx such as 404']);
  });

  it('an unknown id answered with an undocumented 2xx fails both ways', () => {
    expect(run(exchange(op, response(204), 'unknown-id'))).toEqual([
      'undocumented status 204 (documented: 200, 404)',
      'a request for an unknown id was answered 204, expected a 4xx such as 404',
    ]);
  });

  it('an unknown id answered 404 passes; a 2xx for a valid request is not judged as unknown-id', () => {
    expect(run(exchange(op, response(404, {}), 'unknown-id'))).toEqual([]);
    expect(run(exchange(op, response(200, {}), 'valid'))).toEqual([]);
  });

  it('does not apply to a request without an answer', () => {
    const ex = { ...exchange(op, undefined), error: new TransportError('timeout', '') };
    expect(statusCodeConformance.applies(ex, context())).toBe(false);
    expect(statusCodeConformance.applies(exchange(op, response(200, {})), context())).toBe(true);
  });
});
