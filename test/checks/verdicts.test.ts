import { describe, expect, it } from 'vitest';
import { negativeDataRejection } from '../../src/checks/negative-data-rejection.ts';
import { positiveDataAcceptance } from '../../src/checks/positive-data-acceptance.ts';
import { judge } from '../../src/checks/types.ts';
import { invalidCases } from '../../src/generate/invalid.ts';
import { bodyBreakIsStrict, queryBreakIsStrict } from '../../src/generate/strictness.ts';
import type { Parameter } from '../../src/spec/types.ts';
import { context, exchange, operation, response } from '../helpers.ts';

const refusals = [{ status: '200', content: { 'application/json': {} } }, { status: '400', content: { 'application/json': {} } }];

describe('negative-data-rejection: failure where the docs state the refusal, warning where they are silent', () => {
  const op = operation(refusals);
  const invalid = (status: number, strict: boolean | undefined) => ({ ...exchange(op, response(status, {}), 'invalid'), note: 'query parameter extended of the wrong type (a string for a boolean)', ...(strict === undefined ? {} : { strict }) });

  it('fails an accepted strict case, and passes its refusal', () => {
    expect(judge(negativeDataRejection, invalid(200, true), context())).toEqual({ failures: ['query parameter extended of the wrong type (a string for a boolean) was answered 200, expected a 4xx refusal'], warnings: [] });
    expect(judge(negativeDataRejection, invalid(422, true), context())).toEqual({ failures: [], warnings: [] });
  });

  it('only warns about an accepted lenient case, and says nothing about its refusal', () => {
    const verdict = judge(negativeDataRejection, invalid(200, false), context());
    expect(verdict.failures).toEqual([]);
    expect(verdict.warnings).toEqual([expect.stringMatching(/was answered 200, expected a 4xx refusal \(the docs do not state that it is refused\)$/)]);
    expect(judge(negativeDataRejection, invalid(400, false), context())).toEqual({ failures: [], warnings: [] });
  });

  it('treats a case without a verdict on strictness (a replay) as strict', () => {
    expect(judge(negativeDataRejection, invalid(200, undefined), context()).failures).toHaveLength(1);
  });
});

describe('positive-data-acceptance: a refusal that the docs tie to the tier or the state is a warning', () => {
  const body = { type: 'object', properties: { name: { type: 'string' }, minTotalMemoryGb: { type: 'integer', 'x-conformance-lenient': "available only for 'production' services" } } };
  const op = operation(refusals, { method: 'post', body: { required: true, contentType: 'application/json', schema: body } });
  const sent = (input: unknown, status: number) => ({ ...exchange(op, response(status, { error: 'no' })), input });

  it('fails a refusal of plain valid data, and passes its acceptance', () => {
    expect(judge(positiveDataAcceptance, sent({ body: { name: 'a' } }, 400), context()).failures).toEqual(['valid data was refused 400: {"error":"no"}']);
    expect(judge(positiveDataAcceptance, sent({ body: { name: 'a' } }, 200), context())).toEqual({ failures: [], warnings: [] });
  });

  it('warns, naming the reason, when a sent field depends on the tier', () => {
    const verdict = judge(positiveDataAcceptance, sent({ body: { name: 'a', minTotalMemoryGb: 48 } }, 400), context());
    expect(verdict).toEqual({ failures: [], warnings: [expect.stringContaining("minTotalMemoryGb: available only for 'production' services")] });
  });

  it('warns when the operation depends on the resource state', () => {
    const stateOp = operation(refusals, { method: 'patch', lenient: 'a state change may conflict with the current state' });
    expect(judge(positiveDataAcceptance, exchange(stateOp, response(400, {})), context({}, '3.0'))).toEqual({ failures: [], warnings: [expect.stringContaining('a state change may conflict')] });
  });
});

describe('strictness rules (src/generate/strictness.ts)', () => {
  const documented = operation(refusals, { method: 'post' });
  const silent = operation([{ status: '200', content: {} }], { method: 'post' });
  const param: Parameter = { name: 'extended', in: 'query', required: false, schema: { type: 'boolean' } };

  it('body breaks: the marker decides, else a documented refusal; malformed JSON always; unknown fields and text/plain only when stated', () => {
    expect(bodyBreakIsStrict(documented, 'maximum', undefined)).toBe(true);
    expect(bodyBreakIsStrict(silent, 'maximum', undefined)).toBe(false);
    expect(bodyBreakIsStrict(documented, 'pattern', false)).toBe(false);
    expect(bodyBreakIsStrict(silent, 'pattern', true)).toBe(true);
    expect(bodyBreakIsStrict(silent, 'malformed', undefined)).toBe(true);
    expect(bodyBreakIsStrict(documented, 'additional', undefined)).toBe(false);
    expect(bodyBreakIsStrict(documented, 'content-type', undefined)).toBe(false);
    expect(bodyBreakIsStrict(operation([...refusals, { status: '415', content: {} }]), 'content-type', undefined)).toBe(true);
    expect(bodyBreakIsStrict({ ...silent, strict: true }, 'additional', undefined)).toBe(true);
  });

  it('query breaks: a documented 400 is not enough, x-conformance-strict on the parameter or operation is', () => {
    expect(queryBreakIsStrict(documented, param)).toBe(false);
    expect(queryBreakIsStrict(documented, { ...param, strict: true })).toBe(true);
    expect(queryBreakIsStrict({ ...documented, strict: true }, param)).toBe(true);
  });
});

describe('negative query cases are invalid on the wire', () => {
  const longPattern = `^(?:${Array.from({ length: 300 }, (_, i) => `field${i}`).join('|')})$`;
  const parameters: Parameter[] = [
    { name: 'filter', in: 'query', required: false, schema: { type: 'array', items: { type: 'string' } } },
    { name: 'states', in: 'query', required: false, schema: { type: 'array', items: { type: 'string', enum: ['running', 'stopped'] } } },
    { name: 'extended', in: 'query', required: false, schema: { type: 'boolean' } },
    { name: 'name', in: 'query', required: false, schema: { type: 'string' } },
    { name: 'fields', in: 'query', required: false, schema: { type: 'string', pattern: longPattern } },
    { name: 'limit', in: 'query', required: false, schema: { type: 'integer', maximum: 100 }, strict: true },
  ];
  const op = operation(refusals, { parameters });
  const cases = invalidCases(op, { path: {}, query: {}, headers: {} });
  const byParam = (name: string) => cases.find((c) => name in c.input.query);

  it('sends no string for an array (form/explode reads it as a one-item array), but an item that breaks the items', () => {
    expect(byParam('filter')).toBeUndefined();
    expect(byParam('states')).toMatchObject({ description: 'query parameter states with an item outside its enum', input: { query: { states: ['conformance-not-in-enum'] } } });
  });

  it('sends no number for a plain string (text on the wire), but a non-boolean for a boolean', () => {
    expect(byParam('name')).toBeUndefined();
    expect(byParam('extended')).toMatchObject({ input: { query: { extended: 'not-a-boolean' } }, strict: false });
  });

  it('is strict only where the parameter is marked so', () => {
    expect(byParam('limit')).toMatchObject({ strict: true });
    expect(byParam('states')).toMatchObject({ strict: false });
  });

  it('names a long pattern with its length instead of printing it', () => {
    const fields = byParam('fields')!;
    expect(fields.description).toBe(`query parameter fields not matching the pattern of fields (${longPattern.length.toLocaleString('en-US')} chars)`);
    expect(fields.description.length).toBeLessThan(100);
  });
});

describe('validation messages name a long pattern instead of printing it', () => {
  it('keeps a short pattern, and names a long one with its length', async () => {
    const { ValidatorCache } = await import('../../src/checks/validators.ts');
    const validators = new ValidatorCache('3.0');
    const long = `^(?:${Array.from({ length: 300 }, (_, i) => `f${i}`).join('|')})$`;
    const schema = { type: 'object', properties: { short: { type: 'string', pattern: '^a+$' }, fields: { type: 'string', pattern: long } } };
    expect(validators.validate(schema, { short: 'b' }, 'response')).toEqual([{ path: '/short', message: 'must match pattern "^a+$"' }]);
    expect(validators.validate(schema, { fields: 'zzz' }, 'response')).toEqual([{ path: '/fields', message: `must match the pattern of fields (${long.length.toLocaleString('en-US')} chars)` }]);
  });
});

describe('body cases take the marker of the property, else of the nearest enclosing object', () => {
  const body = {
    type: 'object',
    'x-conformance-strict': false,
    required: ['name'],
    properties: {
      name: { type: 'string', maxLength: 8, 'x-conformance-strict': true },
      vendorOnly: { type: 'boolean' },
      nested: { type: 'object', properties: { level: { type: 'integer', maximum: 3 } } },
    },
  };
  const op = operation(refusals, { method: 'post', body: { required: true, contentType: 'application/json', schema: body } });
  const cases = invalidCases(op, { path: {}, query: {}, headers: {}, body: { name: 'a', vendorOnly: true, nested: { level: 1 } } });
  const strictOf = (description: string) => cases.find((c) => c.description === description)?.strict;

  it('a property marked strict is strict inside an object marked lenient; unmarked ones inherit, also nested', () => {
    expect(strictOf('body without the required field name')).toBe(true);
    expect(strictOf('body/name longer than 8')).toBe(true);
    expect(strictOf('body/vendorOnly of the wrong type (a string for a boolean)')).toBe(false);
    expect(strictOf('body/nested/level above its maximum')).toBe(false);
    expect(strictOf('a malformed JSON body')).toBe(true);
  });
});

describe('positive-data-acceptance finds the reason on a $ref with keywords next to it (an allOf part)', () => {
  it('warns for a sent property whose allOf part is lenient, and fails without the marker', () => {
    const tags = { type: 'object', 'x-conformance-lenient': 'a service holds at most 50 tags', properties: { add: { type: 'array' } } };
    const body = (prop: unknown) => ({ type: 'object', properties: { tags: prop } });
    const op = (prop: unknown) => operation(refusals, { method: 'patch', body: { required: true, contentType: 'application/json', schema: body(prop) } });
    const sent = (prop: unknown) => ({ ...exchange(op(prop), response(400, { error: 'too many tags' })), input: { body: { tags: { add: [] } } } });
    expect(judge(positiveDataAcceptance, sent({ allOf: [tags], 'x-conformance-strict': false }), context())).toEqual({ failures: [], warnings: [expect.stringContaining('tags: a service holds at most 50 tags')] });
    expect(judge(positiveDataAcceptance, sent({ allOf: [{ type: 'object' }] }), context()).failures).toHaveLength(1);
  });
});
