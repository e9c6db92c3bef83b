import { describe, expect, it } from 'vitest';
import { ProgressBoard, fitStatus, terminalStatus } from '../../src/cli/progress.ts';
import type { RunEvent } from '../../src/run/events.ts';
import { exchange, operation, response } from '../helpers.ts';

const op = operation([{ status: '200', content: {} }], { id: 'clustersGet', method: 'get', path: '/clusters' });

function events(provider: string): RunEvent[] {
  const ex = exchange(op, response(200, {}));
  return [
    { type: 'run-start', provider, target: 'http://user:secret@127.0.0.1:1/api?token=x', seed: 3, operations: [op], checks: ['not-a-server-error'], startedAt: '2026-11-25T00:00:00Z' },
    { type: 'operation-start', operation: op },
    { type: 'exchange', exchange: ex, outcomes: [{ check: 'not-a-server-error', failures: [] }, { check: 'status-code-conformance', failures: ['undocumented status 418'] }] },
    { type: 'operation-end', operation: op, durationMs: 5 },
    { type: 'run-end', durationMs: 10, interrupted: false },
  ];
}

describe('progress', () => {
  it('prints plain lines, one per operation, without a status line when not on a terminal', () => {
    const lines: string[] = [];
    const board = new ProgressBoard((l) => lines.push(l));
    const sink = board.printer();
    for (const e of events('ionos-postgresql')) sink(e);
    board.end();
    expect(lines).toEqual([
      'ionos-postgresql: 1 operations against http://127.0.0.1:1/api (seed 3)',
      '  [1/1] GET    /clusters (clustersGet) 1 requests: FAIL status-code-conformance',
    ]);
    expect(lines.join('')).not.toMatch(/\r|\x1b/);
  });

  it('on a terminal, keeps a live line with each provider, the operation under way, checks judged and failures so far', () => {
    const statuses: (string | undefined)[] = [];
    const lines: string[] = [];
    const board = new ProgressBoard((l) => lines.push(l), (s) => statuses.push(s), true);
    const a = board.printer();
    const b = board.printer();
    const [startA, opStart] = events('ionos-postgresql');
    a(startA!);
    b(events('redis-enterprise')[0]!);
    a(opStart!);
    expect(statuses.filter(Boolean).at(-1)).toBe('ionos-postgresql 0/1 GET /clusters | redis-enterprise 0/1 | 0 checks judged, 0 failed, 0 requests');
    a(events('ionos-postgresql')[2]!);
    a(events('ionos-postgresql')[3]!);
    expect(statuses.filter(Boolean).at(-1)).toBe('ionos-postgresql 1/1 | redis-enterprise 0/1 | 2 checks judged, 1 failed, 1 requests');
    expect(lines.at(-1)).toBe('  ionos-postgresql [1/1] GET    /clusters (clustersGet) 1 requests: FAIL status-code-conformance');
    board.end();
    expect(statuses.at(-1)).toBeUndefined();
  });

  it('rewrites the terminal line in place and cuts it to the width', () => {
    let written = '';
    const stream = { columns: 30, write: (s: string) => (written += s) } as unknown as NodeJS.WriteStream;
    const status = terminalStatus(stream);
    status('x'.repeat(100));
    expect(written).toBe(`\r\x1b[K${'x'.repeat(28)}…`);
    status(undefined);
    expect(written.endsWith('\r\x1b[K')).toBe(true);
  });
});

describe('the status line on a narrow terminal', () => {
  const four = 'ionos-postgresql 12/25 PATCH /clusters/{clusterId} | ionos-inmemorydb 3/17 GET /replicasets | redis-enterprise 20/31 POST /v1/bdbs/{uid}/actions/backup | clickhouse-cloud 5/22 GET /v1/organizations/{organizationId}/services | 1234 checks judged, 17 failed, 5678 requests';

  it.each([200, 120, 80, 60, 40, 20])('fits %i columns and always shows the failure count', (width) => {
    const fitted = fitStatus(four, width);
    expect(fitted.length).toBeLessThanOrEqual(width);
    expect(fitted).toContain('17 failed');
  });

  it('drops the operations under way before anything else, and leaves a line that fits alone', () => {
    expect(fitStatus('a 1/2 GET /x | 3 checks judged, 0 failed, 4 requests', 80)).toBe('a 1/2 GET /x | 3 checks judged, 0 failed, 4 requests');
    expect(fitStatus(four, 150)).toBe('ionos-postgresql 12/25 | ionos-inmemorydb 3/17 | redis-enterprise 20/31 | clickhouse-cloud 5/22 | 1234 checks judged, 17 failed, 5678 requests');
  });
});
