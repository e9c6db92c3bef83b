import { describe, expect, it } from 'vitest';
import { ResultCollector, type ConformanceReport } from '../../src/report/model.ts';
import { Redactor } from '../../src/report/redact.ts';
import type { RunEvent } from '../../src/run/events.ts';
import { exchange, operation, response } from '../helpers.ts';

const op = operation([{ status: '201', content: {} }, { status: '422', content: {} }], { id: 'clustersPost', method: 'post', path: '/clusters' });

function reportOf(events: RunEvent[], redactor = new Redactor()): ConformanceReport {
  const collector = new ResultCollector(redactor);
  collector.sink({ type: 'run-start', provider: 'p', target: 'http://127.0.0.1:1', seed: 1, operations: [op], checks: ['negative-data-rejection', 'status-code-conformance', 'auth-required', 'use-after-delete'], startedAt: new Date(0).toISOString() });
  for (const event of events) collector.sink(event);
  collector.sink({ type: 'run-end', durationMs: 1, interrupted: false });
  return collector.report();
}

const failuresOf = (report: ConformanceReport, check: string) => report.results.find((r) => r.check === check)!.failures;

describe('failures carry what replay needs as data (schema 1.4), taken from the event, never from the message', () => {
  it('a per-response failure records the exchange intent, its broken constraint and strictness, and replay "request"', () => {
    const invalid = { ...exchange(op, response(201, {}), 'invalid'), note: 'body/properties/instances above its maximum', strict: true };
    const report = reportOf([
      // The message deliberately says nothing of the intent or constraint: the data must come from the exchange.
      { type: 'exchange', exchange: invalid, outcomes: [{ check: 'negative-data-rejection', failures: ['worded any way at all'] }] },
      { type: 'exchange', exchange: exchange(op, response(201, {}), 'unknown-id'), outcomes: [{ check: 'status-code-conformance', failures: ['also worded freely'] }] },
      { type: 'exchange', exchange: exchange(op, response(201, {}), 'no-auth'), outcomes: [{ check: 'auth-required', failures: [], warnings: ['a warning'] }] },
    ]);
    expect(failuresOf(report, 'negative-data-rejection')[0]).toMatchObject({ intent: 'invalid', constraint: 'body/properties/instances above its maximum', strict: true, replay: 'request' });
    const unknown = failuresOf(report, 'status-code-conformance')[0]!;
    expect(unknown).toMatchObject({ intent: 'unknown-id', replay: 'request' });
    expect(unknown).not.toHaveProperty('constraint');
    expect(unknown).not.toHaveProperty('strict');
    expect(report.results.find((r) => r.check === 'auth-required')!.warnings![0]).toMatchObject({ intent: 'no-auth', replay: 'request' });
  });

  it('a stateful (probe) failure records replay "sequence", with the intent of the exchange that shows it when there is one', () => {
    const report = reportOf([
      { type: 'probe', operation: op, check: 'use-after-delete', failures: ['the deleted cluster is still readable'], exchange: exchange(op, response(200, {}), 'lifecycle') },
      { type: 'probe', operation: op, check: 'negative-data-rejection', failures: ['body/x changed the cluster'], exchange: { ...exchange(op, response(201, {}), 'invalid'), note: 'body/x', strict: true } },
      { type: 'probe', operation: op, check: 'status-code-conformance', failures: ['no exchange shows this'] },
    ]);
    expect(failuresOf(report, 'use-after-delete')[0]).toMatchObject({ intent: 'lifecycle', replay: 'sequence' });
    expect(failuresOf(report, 'negative-data-rejection')[0]).toMatchObject({ intent: 'invalid', constraint: 'body/x', replay: 'sequence' });
    const bare = failuresOf(report, 'status-code-conformance')[0]!;
    expect(bare.replay).toBe('sequence');
    expect(bare).not.toHaveProperty('intent');
  });

  it('the constraint is redacted like the message that quotes it', () => {
    const redactor = new Redactor();
    redactor.addSecret('s3cret-value-123');
    const invalid = { ...exchange(op, response(201, {}), 'invalid'), note: 'body/password s3cret-value-123 too short', strict: true };
    const report = reportOf([{ type: 'exchange', exchange: invalid, outcomes: [{ check: 'negative-data-rejection', failures: ['x'] }] }], redactor);
    expect(failuresOf(report, 'negative-data-rejection')[0]!.constraint).not.toContain('s3cret-value-123');
  });
});
