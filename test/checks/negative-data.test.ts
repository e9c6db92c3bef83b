import { describe, expect, it } from 'vitest';
import { negativeDataRejection } from '../../src/checks/negative-data-rejection.ts';
import { positiveDataAcceptance } from '../../src/checks/positive-data-acceptance.ts';
import { invalidCases } from '../../src/generate/invalid.ts';
import { ValidatorCache } from '../../src/checks/validators.ts';
import { context, exchange, operation, response } from '../helpers.ts';

const body = {
  type: 'object',
  required: ['name', 'size'],
  properties: {
    name: { type: 'string', maxLength: 8 },
    size: { type: 'integer', minimum: 1, maximum: 10 },
    tier: { type: 'string', enum: ['small', 'large'] },
    id: { type: 'string', format: 'uuid' },
    nested: { type: 'object', additionalProperties: false, properties: { on: { type: 'boolean' } } },
  },
};
const op = operation([{ status: '200', content: { 'application/json': {} } }, { status: '400', content: { 'application/json': {} } }], {
  method: 'post',
  body: { required: true, contentType: 'application/json', schema: body },
  parameters: [{ name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 100 } }],
});
const valid = { path: {}, query: { limit: 5 }, headers: {}, body: { name: 'abc', size: 3, tier: 'small', id: '3b7a4c2e-1f0d-4e8a-9c6b-5d2e1f0a9b8c', nested: { on: true } } };

describe('invalid case generation', () => {
  const cases = invalidCases(op, valid);
  const validators = new ValidatorCache('3.0');

  it('breaks one constraint per case, and every body case is invalid against the schema', () => {
    expect(cases.map((c) => c.description)).toEqual(expect.arrayContaining([
      'a malformed JSON body',
      'a body sent as text/plain',
      'body without the required field name',
      'body/size above its maximum',
      'body/tier outside its enum',
      'body/id not a uuid',
      'body/nested with an additional property where none is allowed',
      'query parameter limit above its maximum',
    ]));
    for (const c of cases.filter((x) => x.rawBody === undefined && x.description.startsWith('body'))) {
      expect(validators.validate(body, c.input.body, 'request'), c.description).not.toEqual([]);
    }
  });

  it('leaves the valid request it started from untouched', () => {
    expect(valid.body.size).toBe(3);
    expect(validators.validate(body, valid.body, 'request')).toEqual([]);
  });
});

describe('negative-data-rejection', () => {
  const invalid = (status: number) => ({ ...exchange(op, response(status, {}), 'invalid'), note: 'body/size above its maximum' });
  it('passes a 4xx refusal', () => {
    expect(negativeDataRejection.run(invalid(400), context())).toEqual([]);
    expect(negativeDataRejection.run(invalid(422), context())).toEqual([]);
  });
  it('fails an invalid request that is accepted or crashes the server', () => {
    expect(negativeDataRejection.run(invalid(200), context())).toEqual(['body/size above its maximum was answered 200, expected a 4xx refusal']);
    expect(negativeDataRejection.run(invalid(500), context())).toHaveLength(1);
  });
});

describe('positive-data-acceptance', () => {
  it('passes valid data that is accepted, or refused for another reason (404)', () => {
    expect(positiveDataAcceptance.run(exchange(op, response(200, {})), context())).toEqual([]);
    expect(positiveDataAcceptance.run(exchange(op, response(404, {})), context())).toEqual([]);
  });
  it('fails valid data refused with 400 or 422, quoting the refusal', () => {
    expect(positiveDataAcceptance.run(exchange(op, response(422, { message: 'size too big' })), context())).toEqual(['valid data was refused 422: {"message":"size too big"}']);
  });
});
