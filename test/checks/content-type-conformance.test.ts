import { describe, expect, it } from 'vitest';
import { contentTypeConformance, mediaTypeMatches } from '../../src/checks/content-type-conformance.ts';
import { context, exchange, operation, response } from '../helpers.ts';

const schema = { type: 'object' };
const run = (ex: ReturnType<typeof exchange>) => contentTypeConformance.run(ex, context());

describe('mediaTypeMatches', () => {
  it.each([
    ['application/json', 'application/json', true],
    ['application/json', 'APPLICATION/JSON', true],
    ['application/json; charset=utf-8', 'application/json', true],
    ['application/json', 'application/json; charset=utf-8', true],
    ['application/*', 'application/problem+json', true],
    ['*/*', 'text/html', true],
    ['text/*', 'application/json', false],
    ['application/json', 'application/problem+json', false],
    ['application/problem+json', 'application/json', false],
    ['application/json', 'text/html', false],
  ])('%s documented, %s received: %s', (documented, actual, expected) => {
    expect(mediaTypeMatches(documented, actual)).toBe(expected);
  });
});

describe('content-type-conformance', () => {
  const op = operation([
    { status: '200', content: { 'application/json': schema } },
    { status: '204', content: {} },
    { status: '4XX', content: { 'application/problem+json': schema } },
  ]);

  it('passes a documented Content-Type', () => {
    expect(run(exchange(op, response(200, { a: 1 })))).toEqual([]);
  });

  it('ignores media type parameters', () => {
    expect(run(exchange(op, response(200, { a: 1 }, 'application/json; charset=utf-8')))).toEqual([]);
  });

  it('fails an undocumented Content-Type and names the documented ones', () => {
    expect(run(exchange(op, response(200, '<html></html>', 'text/html')))).toEqual(['Content-Type text/html is not documented for status 200 (documented: application/json)']);
  });

  it('judges ranges by their own media types', () => {
    expect(run(exchange(op, response(404, { title: 'x' }, 'application/problem+json')))).toEqual([]);
    expect(run(exchange(op, response(404, { title: 'x' }, 'application/json')))).toEqual(['Content-Type application/json is not documented for status 404 (documented: application/problem+json)']);
  });

  it('accepts any subtype for a documented wildcard', () => {
    const wildcard = operation([{ status: '200', content: { 'application/*': schema } }]);
    expect(run(exchange(wildcard, response(200, { a: 1 }, 'application/vnd.api+json')))).toEqual([]);
    expect(run(exchange(wildcard, response(200, 'a', 'text/plain')))).toEqual(['Content-Type text/plain is not documented for status 200 (documented: application/*)']);
  });

  it('passes an empty bodiless response, and fails a bodiless response with a body', () => {
    expect(run(exchange(op, response(204, undefined, '')))).toEqual([]);
    expect(run(exchange(op, response(204, { ok: true })))).toEqual(['status 204 is documented without a body, but 11 bytes came back']);
  });

  it('fails a body without a Content-Type, but not an empty answer without one', () => {
    expect(run(exchange(op, response(200, '{"a":1}', '')))).toEqual(['the response has a body but no Content-Type header']);
    expect(run(exchange(op, response(200, undefined, '')))).toEqual([]);
  });

  it('does not apply to an undocumented status (status-code-conformance reports that)', () => {
    expect(contentTypeConformance.applies(exchange(op, response(500, 'boom', 'text/plain')), context())).toBe(false);
    expect(contentTypeConformance.applies(exchange(op, undefined), context())).toBe(false);
    expect(contentTypeConformance.applies(exchange(op, response(200, {})), context())).toBe(true);
  });

  it('uses the exact status before the range', () => {
    const exact = operation([
      { status: '404', content: { 'application/json': schema } },
      { status: '4XX', content: { 'application/problem+json': schema } },
    ]);
    expect(run(exchange(exact, response(404, {}, 'application/json')))).toEqual([]);
    expect(run(exchange(exact, response(409, {}, 'application/json')))).toEqual(['Content-Type application/json is not documented for status 409 (documented: application/problem+json)']);
  });
});
