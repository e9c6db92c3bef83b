import { describe, expect, it } from 'vitest';
import { ValidatorCache } from '../../src/checks/validators.ts';
import type { Exchange } from '../../src/checks/types.ts';
import { ResultCollector } from '../../src/report/model.ts';
import { Redactor } from '../../src/report/redact.ts';
import { buildOperations } from '../../src/spec/operations.ts';

const schema = { type: 'object', properties: { items: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' } } } } } };
const [op] = buildOperations({ paths: { '/things': { get: { operationId: 'listThings', responses: { '200': { description: 'ok', content: { 'application/json': { schema } } } } } } } });

function reportFor(bodies: unknown[]) {
  const collector = new ResultCollector(new Redactor());
  collector.sink({ type: 'run-start', provider: 'generic', target: 'http://127.0.0.1:1', seed: 1, operations: [op!], checks: ['response-schema-conformance'], startedAt: new Date(0).toISOString() });
  for (const [i, body] of bodies.entries()) {
    const text = JSON.stringify(body);
    const exchange: Exchange = { operation: op!, intent: 'valid', input: {}, request: { method: 'GET', url: 'http://127.0.0.1:1/things', headers: {} }, response: { status: 200, headers: {}, contentType: 'application/json', text, json: body, durationMs: 1 } };
    collector.sink({ type: 'exchange', exchange, outcomes: [{ check: 'response-schema-conformance', failures: [`failure ${'abcdefghij'[i]}: another cause`] }] });
  }
  return collector.report().results[0]!.failures;
}

describe('response bodies in the report', () => {
  it('the first failure keeps a body of 40 KB whole, so it validates again (and fails the same way) from the report', () => {
    const body = { items: [...Array.from({ length: 1500 }, (_, i) => ({ id: `item-${i}` })), { id: 7 }] };
    expect(JSON.stringify(body).length).toBeGreaterThan(20_000);
    const [first] = reportFor([body]);
    const again = new ValidatorCache('3.0').validate(schema, JSON.parse(first!.response!.body), 'response');
    expect(again.map((i) => i.path)).toEqual(['/items/1500/id']);
  });

  it('a body beyond 64 KB is cut and says so; later failures keep 4,000 characters', () => {
    const huge = { items: Array.from({ length: 10_000 }, (_, i) => ({ id: `item-${i}` })) };
    const length = JSON.stringify(huge).length;
    const [first, second] = reportFor([huge, huge]);
    expect(first!.response!.body).toHaveLength(65_536 + `... (cut at 65536 of ${length} characters)`.length);
    expect(first!.response!.body.endsWith(`... (cut at 65536 of ${length} characters)`)).toBe(true);
    expect(second!.response!.body.endsWith(`... (cut at 4000 of ${length} characters)`)).toBe(true);
  });
});
