import { describe, expect, it } from 'vitest';
import { causeOf, compareReports, failureId } from '../../src/report/baseline.ts';
import { ResultCollector, type ConformanceReport } from '../../src/report/model.ts';
import { Redactor } from '../../src/report/redact.ts';
import { exchange, operation, response } from '../helpers.ts';

const op = operation([{ status: '200', content: {} }, { status: '422', content: {} }], { id: 'clustersPost', method: 'post', path: '/clusters' });

/** A run in which every request of the operation is refused with the given error bodies. */
function runWith(bodies: string[]): ConformanceReport {
  const collector = new ResultCollector(new Redactor());
  collector.sink({ type: 'run-start', provider: 'p', target: 'http://127.0.0.1:1', seed: 1, operations: [op], checks: ['positive-data-acceptance'], startedAt: new Date(0).toISOString() });
  for (const body of bodies) {
    collector.sink({ type: 'exchange', exchange: exchange(op, response(422, body)), outcomes: [{ check: 'positive-data-acceptance', failures: [`valid data was refused 422: ${body.slice(0, 200)}`] }] });
  }
  collector.sink({ type: 'run-end', durationMs: 1, interrupted: false });
  return collector.report();
}

const body = (version: string, keysFirst: boolean) =>
  keysFirst
    ? `{"httpStatus":422,"messages":[{"errorCode":"dbaas-err-validation-422","message":"postgresVersion '${version}' is not supported (12, 13, 14, 15, 16)"}]}`
    : `{ "messages": [ { "message": "postgresVersion '${version}' is not supported (12, 13, 14, 15, 16)", "errorCode": "dbaas-err-validation-422" } ], "httpStatus": 422 }`;

describe('failure ids do not depend on the answer quoted in the message', () => {
  it('key order, whitespace, generated values and where a long body is cut give the same id', () => {
    const a = `valid data was refused 422: ${body('46011481884', true)}`;
    const b = `valid data was refused 422: ${body('x'.repeat(150), false).slice(0, 200)}`;
    expect(causeOf(a)).toBe('valid data was refused N: JSON');
    expect(failureId('p', 'op', 'c', a)).toBe(failureId('p', 'op', 'c', b));
    expect(failureId('p', 'op', 'c', 'sent  1,\n read 2')).toBe(failureId('p', 'op', 'c', 'sent 30, read 4'));
  });

  it('a different fault still gets a different id', () => {
    expect(failureId('p', 'op', 'c', 'valid data was refused 422: {"a":1}')).not.toBe(failureId('p', 'op', 'c', 'valid data was refused 400: {"a":1}'.replace('refused', 'rejected')));
    expect(failureId('p', 'op', 'c', 'x was answered 200')).not.toBe(failureId('p', 'op2', 'c', 'x was answered 200'));
  });

  it('the same fault with keys reordered and values changed is one record, "still failing", never new and fixed', () => {
    const before = runWith(['1', '22', '333'].map((v) => body(v, true)));
    const after = runWith(['4444', '5', '66', '7', '88', '9', '10', '11', '12', '13', '14'].map((v, i) => body(v, i % 2 === 0)));
    expect(after.results[0]!.failures).toHaveLength(1);
    expect(after.results[0]!.failures[0]!.count).toBe(11);
    const c = compareReports(before, after);
    expect(c.new).toEqual([]);
    expect(c.fixed).toEqual([]);
    expect(c.stillFailing).toHaveLength(1);
    expect(c.stillFailing[0]!.id).toBe(after.results[0]!.failures[0]!.id);
  });

  it('a baseline written with ids derived otherwise compares by cause, each id once', () => {
    const before = runWith([body('1', true)]);
    before.results[0]!.failures[0]!.id = '000000000000';
    const after = runWith([body('2', false)]);
    after.results[0]!.failures.push({ ...after.results[0]!.failures[0]!, message: `valid data was refused 422: ${body('3', true)}` });
    const c = compareReports(before, after);
    expect(c).toMatchObject({ new: [], fixed: [] });
    expect(c.stillFailing).toHaveLength(1);
  });
});
