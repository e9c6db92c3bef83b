import { describe, expect, it } from 'vitest';
import { ValidatorCache } from '../../src/checks/validators.ts';
import { isFlagged, toJsonSchema } from '../../src/spec/json-schema.ts';

describe('toJsonSchema: readOnly and writeOnly in both directions', () => {
  const user = {
    type: 'object',
    required: ['id', 'name', 'password'],
    properties: {
      id: { type: 'string', readOnly: true },
      name: { type: 'string' },
      password: { type: 'string', writeOnly: true },
    },
  };

  it('a request need not carry readOnly properties; a response need not carry writeOnly ones', () => {
    expect(toJsonSchema(user, 'request').required).toEqual(['name', 'password']);
    expect(toJsonSchema(user, 'response').required).toEqual(['id', 'name']);
    const validators = new ValidatorCache('3.0');
    expect(validators.validate(user, { name: 'n', password: 'p' }, 'request')).toEqual([]);
    expect(validators.validate(user, { id: 'i', name: 'n' }, 'response')).toEqual([]);
    // Still required where they belong.
    expect(validators.validate(user, { name: 'n' }, 'request').map((i) => i.message)).toEqual(["must have required property 'password'"]);
    expect(validators.validate(user, { name: 'n' }, 'response').map((i) => i.message)).toEqual(["must have required property 'id'"]);
  });

  it('the flag may sit in an allOf part of the property (`allOf: [{$ref}], readOnly: true` and the reverse)', () => {
    const schema = {
      type: 'object',
      required: ['id', 'secret', 'name'],
      properties: {
        id: { allOf: [{ type: 'string', readOnly: true }] },
        secret: { allOf: [{ type: 'string' }, { writeOnly: true }] },
        name: { allOf: [{ type: 'string' }] },
      },
    };
    expect(toJsonSchema(schema, 'request').required).toEqual(['secret', 'name']);
    expect(toJsonSchema(schema, 'response').required).toEqual(['id', 'name']);
    expect(isFlagged(schema.properties.id, 'readOnly')).toBe(true);
    expect(isFlagged(schema.properties.name, 'readOnly')).toBe(false);
  });

  it('`required` in one allOf part sees the properties that another part or the parent declares', () => {
    const schema = {
      properties: { createdAt: { type: 'string', readOnly: true } },
      allOf: [
        { type: 'object', properties: { id: { type: 'string', readOnly: true }, token: { type: 'string', writeOnly: true } } },
        { required: ['id', 'token', 'createdAt', 'name'] },
        // A 3.1 `$ref` with a sibling `required`, after the rewrite to allOf.
        { allOf: [{ required: ['id'] }] },
      ],
      required: ['id'],
    };
    const request = toJsonSchema(schema, 'request');
    expect(request.required).toEqual([]);
    expect((request.allOf as { required?: string[] }[])[1]!.required).toEqual(['token', 'name']);
    expect(((request.allOf as { allOf?: { required?: string[] }[] }[])[2]!.allOf![0]!).required).toEqual([]);
    expect((toJsonSchema(schema, 'response').allOf as { required?: string[] }[])[1]!.required).toEqual(['id', 'createdAt', 'name']);
  });

  it('a part shared by two parents is judged in each parent\'s context', () => {
    const part = { required: ['id'] };
    const withReadOnly = { allOf: [{ properties: { id: { type: 'string', readOnly: true } } }, part] };
    const plain = { allOf: [{ properties: { id: { type: 'string' } } }, part] };
    const both = toJsonSchema({ type: 'object', properties: { a: withReadOnly, b: plain } }, 'request');
    const props = both.properties as Record<string, { allOf: { required?: string[] }[] }>;
    expect(props.a!.allOf[1]!.required).toEqual([]);
    expect(props.b!.allOf[1]!.required).toEqual(['id']);
  });

  it('keeps cycles and leaves boolean schemas as they are', () => {
    const node: Record<string, unknown> = { type: 'object', properties: { next: {} as unknown, any: true, none: false }, required: ['next'] };
    (node.properties as Record<string, unknown>).next = node;
    const out = toJsonSchema(node, 'response');
    expect((out.properties as Record<string, unknown>).next).toBe(out);
    expect((out.properties as Record<string, unknown>).any).toBe(true);
    expect((out.properties as Record<string, unknown>).none).toBe(false);
  });
});
