import { describe, expect, it } from 'vitest';
import { logsLimitAndDirection } from '../../src/providers/ionos-postgresql-checks.ts';
import { context, exchange, operation, response } from '../helpers.ts';

const op = operation([{ status: '200', content: { 'application/json': {} } }], { id: 'clusterLogsGet', path: '/clusters/{clusterId}/logs' });
const lines = (...times: string[]) => ({ instances: [{ name: 'pg-0', messages: times.map((time) => ({ time, message: 'x' })) }] });
const logs = (query: string, body: unknown) => {
  const ex = exchange(op, response(200, body));
  ex.request.url = `http://x/clusters/c/logs${query}`;
  return ex;
};

describe('logs-limit-direction', () => {
  it('passes lines within the limit in the asked order (BACKWARD by default)', () => {
    expect(logsLimitAndDirection.run(logs('?limit=2&direction=FORWARD', lines('2026-01-01T00:00:00Z', '2026-01-01T00:01:00Z')), context())).toEqual([]);
    expect(logsLimitAndDirection.run(logs('', lines('2026-01-01T00:01:00Z', '2026-01-01T00:00:00Z')), context())).toEqual([]);
  });
  it('fails too many lines', () => {
    expect(logsLimitAndDirection.run(logs('?limit=1', lines('2026-01-01T00:01:00Z', '2026-01-01T00:00:00Z')), context())).toEqual(['instance pg-0 returned 2 lines for limit=1']);
  });
  it('fails lines out of the asked order', () => {
    expect(logsLimitAndDirection.run(logs('?direction=BACKWARD', lines('2026-01-01T00:00:00Z', '2026-01-01T00:01:00Z')), context())).toEqual(['instance pg-0: line 1 is out of BACKWARD order']);
  });
});
