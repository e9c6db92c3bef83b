import { describe, expect, it } from 'vitest';
import { notAServerError } from '../../src/checks/not-a-server-error.ts';
import { TransportError } from '../../src/http/types.ts';
import { context, exchange, operation, response } from '../helpers.ts';

const op = operation([{ status: '200', content: { 'application/json': { type: 'object' } } }]);

describe('not-a-server-error', () => {
  it('passes a 2xx and a 4xx answer', () => {
    expect(notAServerError.run(exchange(op, response(200, {})), context())).toEqual([]);
    expect(notAServerError.run(exchange(op, response(404, {})), context())).toEqual([]);
  });

  it('fails a 5xx answer', () => {
    expect(notAServerError.run(exchange(op, response(502, {})), context())).toEqual(['server error 502']);
  });

  it('fails a request that got no answer, naming the transport fault', () => {
    const ex = { ...exchange(op, undefined), error: new TransportError('connection reset', '') };
    expect(notAServerError.run(ex, context())).toEqual(['transport: connection reset']);
  });
});
