import { describe, expect, it } from 'vitest';
import { responseSchemaConformance } from '../../src/checks/response-schema-conformance.ts';
import { context, exchange, operation, response } from '../helpers.ts';

const thing = {
  type: 'object',
  required: ['id', 'name', 'secret'],
  properties: {
    id: { type: 'string', format: 'uuid' },
    name: { type: 'string', minLength: 1 },
    state: { type: 'string', enum: ['AVAILABLE', 'BUSY'] },
    note: { type: 'string', nullable: true },
    secret: { type: 'string', writeOnly: true },
  },
};
const error = { type: 'object', required: ['code'], properties: { code: { type: 'string' } } };
const op = operation([
  { status: '200', content: { 'application/json': thing } },
  { status: '204', content: {} },
  { status: '4XX', content: { 'application/problem+json': error } },
  { status: 'DEFAULT', content: { 'text/plain': undefined } },
]);
const ID = '3b7a4c2e-1f0d-4e8a-9c6b-5d2e1f0a9b8c';
const ctx = context();
const run = (ex: ReturnType<typeof exchange>) => responseSchemaConformance.run(ex, ctx);

describe('response-schema-conformance', () => {
  it('passes a body that matches (writeOnly required properties may be missing from responses, 3.0 nullable allows null)', () => {
    expect(run(exchange(op, response(200, { id: ID, name: 'a', state: 'BUSY', note: null })))).toEqual([]);
  });

  it('fails a body that does not match, naming where', () => {
    expect(run(exchange(op, response(200, { id: ID, name: 'a', state: 'RUNNING' })))).toEqual([
      'the body does not match the schema for 200: /state must be equal to one of the allowed values ["AVAILABLE","BUSY"]',
    ]);
    expect(run(exchange(op, response(200, { id: 'not-a-uuid' })))).toEqual([
      'the body does not match the schema for 200: (root) must have required property \'name\'; /id must match format "uuid"',
    ]);
  });

  it('shortens long issue lists', () => {
    const many = run(exchange(op, response(200, { id: 1, name: 2, state: 3, note: 4 })));
    expect(many).toHaveLength(1);
    expect(many[0]).toMatch(/; and \d+ more$/);
  });

  it('fails a body that claims JSON but does not parse', () => {
    const failures = run(exchange(op, response(200, '{"id": ', 'application/json')));
    expect(failures).toHaveLength(1);
    expect(failures[0]).toMatch(/^the body is not valid JSON: /);
  });

  it('validates +json media types against the range schema', () => {
    expect(run(exchange(op, response(422, { code: 'invalid' }, 'application/problem+json')))).toEqual([]);
    expect(run(exchange(op, response(422, { message: 'x' }, 'application/problem+json')))).toEqual([
      "the body does not match the schema for 422: (root) must have required property 'code'",
    ]);
  });

  it('validates 3.1 type arrays with the 2020-12 dialect', () => {
    const op31 = operation([{ status: '200', content: { 'application/json': { type: 'object', properties: { n: { type: ['integer', 'null'] } } } } }]);
    const ctx31 = context({}, '3.1');
    expect(responseSchemaConformance.run(exchange(op31, response(200, { n: null })), ctx31)).toEqual([]);
    expect(responseSchemaConformance.run(exchange(op31, response(200, { n: 'x' })), ctx31)).toEqual(['the body does not match the schema for 200: /n must be integer,null']);
  });

  it('applies only to JSON bodies with a documented schema', () => {
    const applies = (res: ReturnType<typeof response>) => responseSchemaConformance.applies(exchange(op, res), ctx);
    expect(applies(response(200, { id: ID }))).toBe(true);
    expect(applies(response(200, { id: ID }, 'application/json; charset=utf-8'))).toBe(true);
    // Not JSON, no Content-Type, no body, no documented schema for the media type or the status.
    expect(applies(response(200, 'plain', 'text/plain'))).toBe(false);
    expect(applies(response(200, '{"id":1}', ''))).toBe(false);
    expect(applies(response(204))).toBe(false);
    expect(applies(response(404, { code: 'x' }, 'application/json'))).toBe(false);
    expect(applies(response(500, 'boom', 'text/plain'))).toBe(false);
    // default documents text/plain only: a JSON answer there has no schema to judge.
    expect(applies(response(302, {}))).toBe(false);
    expect(applies(response(500, { code: 'x' }))).toBe(false);
    expect(responseSchemaConformance.applies(exchange(op, undefined), ctx)).toBe(false);
  });
});
