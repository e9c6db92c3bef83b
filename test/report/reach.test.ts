import { describe, expect, it } from 'vitest';
import { assembleReport, emptyTransient, reachOf, reachText, type OperationCoverage } from '../../src/report/coverage.ts';

const op = (operationId: string, seen: Record<string, number>, requests = Object.values(seen).reduce((a, b) => a + b, 0)): OperationCoverage => ({
  provider: 'generic', operationId, method: 'GET', path: `/${operationId}`, requests, documented: ['200'], seen, neverSeen: [], undocumented: [],
});

describe('coverage tells what was tested', () => {
  it('an operation counts as answered only with a 2xx; answers without one are refusals; no answer is not reached', () => {
    expect(reachOf({ '200': 1, '400': 3 })).toBe('answered-2xx');
    expect(reachOf({ '415': 25 })).toBe('only-refused');
    expect(reachOf({ '404': 2, '500': 1 })).toBe('only-refused');
    expect(reachOf({})).toBe('not-reached');
  });

  it('the report counts each level, next to operations exercised (sent), and says so in one line', () => {
    const report = assembleReport({
      run: { provider: 'generic', target: 'http://127.0.0.1', seed: 1, startedAt: '', durationMs: 1, interrupted: false },
      warnings: [], lifecycle: [], results: [], timing: [], transient: emptyTransient(),
      // `upload` got 415 on every request; `lobby` was sent but never answered (transport errors).
      coverage: [op('list', { '200': 5 }), op('upload', { '415': 25 }), op('lobby', {}, 4), op('unsent', {}, 0)],
    });
    expect(report.summary).toMatchObject({ operations: 4, operationsExercised: 3, answered2xx: 1, onlyRefused: 1, notReached: 2 });
    expect(report.coverage.operationList.map((c) => c.reach)).toEqual(['answered-2xx', 'only-refused', 'not-reached', 'not-reached']);
    expect(reachText(report.summary)).toBe(' (1 answered 2xx, 1 only refused, 2 not reached)');
    expect(reachText({})).toBe('');
  });
});
