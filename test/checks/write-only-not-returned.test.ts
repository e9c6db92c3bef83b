import { describe, expect, it } from 'vitest';
import { writeOnlyValues } from '../../src/checks/write-only.ts';
import { writeOnlyNotReturned } from '../../src/checks/write-only-not-returned.ts';
import { context, exchange, operation, response } from '../helpers.ts';

const op = operation([{ status: '200', content: { 'application/json': { type: 'object' } } }]);
const withSecret = () => ({ ...context(), writeOnlyValues: new Set(['s3cretPassw0rd']) });

describe('write-only-not-returned', () => {
  it('passes a response that does not contain the password', () => {
    const ex = exchange(op, response(200, { credentials: { username: 'admin' } }));
    expect(writeOnlyNotReturned.applies(ex, withSecret())).toBe(true);
    expect(writeOnlyNotReturned.run(ex, withSecret())).toEqual([]);
  });

  it('fails a response that echoes the password, anywhere in the body', () => {
    const ex = exchange(op, response(200, { properties: { credentials: { username: 'admin', password: 's3cretPassw0rd' } } }));
    expect(writeOnlyNotReturned.run(ex, withSecret())).toEqual([expect.stringContaining('writeOnly')]);
  });

  it('does not apply before any secret was sent', () => {
    expect(writeOnlyNotReturned.applies(exchange(op, response(200, { a: 1 })), context())).toBe(false);
  });
});

describe('writeOnlyValues', () => {
  const schema = {
    type: 'object',
    properties: {
      name: { type: 'string' },
      credentials: {
        type: 'object',
        properties: {
          username: { type: 'string' },
          password: { oneOf: [{ type: 'string' }, { type: 'object', properties: { algorithm: { type: 'string' }, hash: { type: 'string' } } }], writeOnly: true },
        },
      },
      token: { allOf: [{ type: 'string' }], writeOnly: true },
    },
  };

  it('collects plain and nested (hashed) writeOnly values, through allOf', () => {
    expect(writeOnlyValues(schema, { name: 'cluster-one', credentials: { username: 'administrator', password: 'plainPassword1' }, token: 'tok-123456789' }).sort())
      .toEqual(['plainPassword1', 'tok-123456789']);
    expect(writeOnlyValues(schema, { credentials: { password: { algorithm: 'SHA-256', hash: 'a'.repeat(64) } } })).toEqual(['a'.repeat(64)]);
  });

  it('inside a writeOnly object, collects secrets but not the username', () => {
    const creds = { type: 'object', properties: { credentials: { allOf: [{ type: 'object', properties: { username: { type: 'string' }, password: { type: 'string' } } }], writeOnly: true } } };
    expect(writeOnlyValues(creds, { credentials: { username: 'administrator', password: 'plainPassword1' } })).toEqual(['plainPassword1']);
  });

  it('leaves out short values, which would match by accident', () => {
    expect(writeOnlyValues(schema, { credentials: { password: 'short' } })).toEqual([]);
  });

  it('finds writeOnly fields in discriminated branches (allOf-wrapped, as loadSpec pins them) and in nested unions', () => {
    const card = { allOf: [{ type: 'object', properties: { method: { type: 'string' } } }, { properties: { cardToken: { type: 'string', writeOnly: true } } }] };
    const payment = {
      oneOf: [
        { allOf: [card, { properties: { method: { enum: ['card'] } }, required: ['method'] }] },
        { anyOf: [{ type: 'object', properties: { method: { enum: ['wallet'] }, walletKey: { allOf: [{ type: 'string' }], writeOnly: true } } }] },
      ],
    };
    expect(writeOnlyValues(payment, { method: 'card', cardToken: 'tok_1234567890' })).toEqual(['tok_1234567890']);
    expect(writeOnlyValues(payment, { method: 'wallet', walletKey: 'wk_1234567890' })).toEqual(['wk_1234567890']);
    expect(writeOnlyValues(payment, { method: 'card-with-long-name' })).toEqual([]);
  });
});
