import { describe, expect, it } from 'vitest';
import { authInvalid } from '../../src/checks/auth-invalid.ts';
import { authRequired } from '../../src/checks/auth-required.ts';
import { context, exchange, operation, response } from '../helpers.ts';

const op = operation([{ status: '200', content: { 'application/json': {} } }, { status: '401', content: { 'application/json': {} } }]);
const withAuth = (res: ReturnType<typeof response>, intent: 'no-auth' | 'bad-auth', authorization?: string) => {
  const ex = exchange(op, res, intent);
  if (authorization) ex.request.headers.authorization = authorization;
  return ex;
};

describe('auth-required', () => {
  it('passes 401 for a request without credentials', () => {
    expect(authRequired.run(withAuth(response(401, {}), 'no-auth'), context())).toEqual([]);
  });
  it('fails a request without credentials that is served', () => {
    expect(authRequired.run(withAuth(response(200, {}), 'no-auth'), context())).toEqual(['a request without credentials was answered 200, expected 401']);
  });
  it('only judges requests sent without credentials', () => {
    expect(authRequired.applies(exchange(op, response(200, {})), context())).toBe(false);
  });
});

describe('auth-invalid', () => {
  it('passes 401 and 403 for wrong credentials', () => {
    expect(authInvalid.run(withAuth(response(401, {}), 'bad-auth', 'Basic d3Jvbmc6d3Jvbmc='), context())).toEqual([]);
    expect(authInvalid.run(withAuth(response(403, {}), 'bad-auth', 'Basic d3Jvbmc6d3Jvbmc='), context())).toEqual([]);
  });
  it('fails wrong credentials that are served, and says which kind', () => {
    expect(authInvalid.run(withAuth(response(200, {}), 'bad-auth', 'Basic d3Jvbmc6d3Jvbmc='), context())).toEqual(['wrong credentials answered 200, expected 401 or 403']);
    expect(authInvalid.run(withAuth(response(204), 'bad-auth', 'Basic !!'), context())).toEqual(['a malformed Authorization header answered 204, expected 401 or 403']);
  });
});
