import { describe, expect, it } from 'vitest';
import type { Exchange } from '../../src/checks/types.ts';
import { AccessGuard } from '../../src/run/access-guard.ts';
import { operation, response } from '../helpers.ts';

const AUTH = 'Basic cnVuOnB3';
const list = operation([], { id: 'list', method: 'get', path: '/v1/organizations/{organizationId}/services' });

function answered(status: number, over: { authorization?: string; org?: string; method?: string } = {}): { type: 'exchange'; exchange: Exchange; outcomes: [] } {
  const exchange: Exchange = {
    operation: list,
    intent: 'valid',
    request: { method: over.method ?? 'GET', url: 'http://127.0.0.1/x', headers: { authorization: over.authorization ?? AUTH } },
    input: { path: { organizationId: over.org ?? 'org-1' }, query: {}, headers: {} },
    response: response(status, {}),
  };
  return { type: 'exchange', exchange, outcomes: [] };
}

describe('AccessGuard', () => {
  it('every request with the run credentials refused: credentials refused, and the run is stopped once', () => {
    let stops = 0;
    const guard = new AccessGuard({}, AUTH, () => stops++);
    for (let i = 0; i < 30; i++) guard.observe(answered(i % 2 ? 401 : 403));
    expect(guard.verdict()?.oneLine()).toMatch(/^error: credentials refused: every request with the run's credentials was answered 401\/403 \(30 requests\)/);
    expect(stops).toBe(1);
  });

  it('one success, or refusals of another account, are no verdict', () => {
    const guard = new AccessGuard({}, AUTH);
    for (let i = 0; i < 30; i++) guard.observe(answered(401, { authorization: 'Basic dmlld2VyOnB3' }));
    expect(guard.verdict()).toBeUndefined();
    guard.observe(answered(200));
    for (let i = 0; i < 30; i++) guard.observe(answered(401));
    expect(guard.verdict()).toBeUndefined();
  });

  it('every request under a path variable refused or not found (reads among them): the variable is named', () => {
    const guard = new AccessGuard({ organizationId: 'org-1' }, AUTH);
    for (let i = 0; i < 20; i++) guard.observe(answered(i % 2 ? 404 : 400));
    expect(guard.verdict()?.message).toMatch(/^path parameter organizationId='org-1' is unknown or not yours/);
  });

  it('creates refused with 400 are data problems, not a wrong variable', () => {
    const guard = new AccessGuard({ organizationId: 'org-1' }, AUTH);
    for (let i = 0; i < 20; i++) guard.observe(answered(400, { method: 'POST' }));
    expect(guard.verdict()).toBeUndefined();
  });
});
