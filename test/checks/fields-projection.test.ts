import { describe, expect, it } from 'vitest';
import { fieldsProjection } from '../../src/providers/redis-enterprise-checks.ts';
import { context, exchange, operation, response } from '../helpers.ts';

const op = operation([{ status: '200', content: { 'application/json': {} } }], { id: 'cluster_get_bdb', path: '/v1/bdbs/1' });
const asked = (fields: string, body: unknown, intent: 'valid' | 'invalid' = 'valid') => {
  const ex = exchange(op, response(200, body), intent);
  ex.request.url = `http://127.0.0.1/v1/bdbs/1?fields=${encodeURIComponent(fields)}`;
  return ex;
};

describe('fields-projection', () => {
  it('passes an answer with only the named fields', () => {
    expect(fieldsProjection.run(asked('uid,name', { uid: 1, name: 'a' }), context())).toEqual([]);
  });
  it('fails an answer with fields that were not asked for', () => {
    expect(fieldsProjection.run(asked('uid', { uid: 1, name: 'a' }), context())).toEqual(['fields=uid also returned name']);
  });
  it('does not judge a deliberately invalid fields value, which a server may ignore', () => {
    expect(fieldsProjection.applies(asked('\u0000 conformance !!', { uid: 1, name: 'a' }, 'invalid'), context())).toBe(false);
    expect(fieldsProjection.applies(asked('uid', { uid: 1 }), context())).toBe(true);
  });
});
