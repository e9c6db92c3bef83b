import fc from 'fast-check';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValidatorCache } from '../../src/checks/validators.ts';
import { requestInputArbitrary } from '../../src/generate/request.ts';
import { schemaArbitrary, type Direction } from '../../src/generate/schema-arbitrary.ts';
import { toJsonSchema } from '../../src/spec/json-schema.ts';
import { loadSpec } from '../../src/spec/load.ts';
import type { JsonSchema, Operation } from '../../src/spec/types.ts';

const SEED = 20240611;
const SPECS_DIR = join(import.meta.dirname, '../../specs');
const RESERVED_HEADERS = new Set(['accept', 'content-type', 'authorization']);

/** fast-check records have null prototypes, which ajv does not accept as objects: validate what goes on the wire. */
const wire = <T>(value: T): T => (value === undefined ? value : JSON.parse(JSON.stringify(value)));

const specFiles = readdirSync(SPECS_DIR).filter((f) => /\.(ya?ml|json)$/.test(f)).sort();
const specs = await Promise.all(specFiles.map(async (file) => ({ name: file.replace(/\.(ya?ml|json)$/, ''), spec: await loadSpec(join(SPECS_DIR, file)) })));
const cases = specs.flatMap(({ name, spec }) => spec.operations.map((operation) => ({ spec: name, operationId: operation.id, operation, openapi: spec.openapi })));

/** Every problem with one generated request: parameter or body values that do not validate, required ones that are missing. */
function requestProblems(operation: Operation, input: { path: Record<string, unknown>; query: Record<string, unknown>; headers: Record<string, unknown>; body?: unknown }, validators: ValidatorCache): string[] {
  const problems: string[] = [];
  const groups = { path: input.path, query: input.query, header: input.headers } as const;
  for (const param of operation.parameters) {
    if (param.in === 'cookie') continue;
    if (param.in === 'header' && RESERVED_HEADERS.has(param.name.toLowerCase())) continue;
    const group = groups[param.in];
    const present = Object.prototype.hasOwnProperty.call(group, param.name);
    if (!present) {
      if (param.required) problems.push(`required ${param.in} parameter ${param.name} is missing`);
      continue;
    }
    const value = wire(group[param.name]);
    for (const issue of validators.validate(param.schema, value, 'request')) {
      problems.push(`${param.in} parameter ${param.name}=${JSON.stringify(value)}: ${issue.path || '(root)'} ${issue.message}`);
    }
  }
  const known = new Set(operation.parameters.map((p) => `${p.in}:${p.name}`));
  for (const [location, group] of Object.entries(groups)) {
    for (const name of Object.keys(group)) if (!known.has(`${location}:${name}`)) problems.push(`undocumented ${location} parameter ${name}`);
  }
  if (operation.body) {
    if (input.body === undefined) {
      if (operation.body.required) problems.push('the required request body is missing');
    } else if (operation.body.schema) {
      const body = wire(input.body);
      for (const issue of validators.validate(operation.body.schema, body, 'request')) {
        problems.push(`body ${issue.path || '(root)'} ${issue.message} in ${JSON.stringify(body).slice(0, 400)}`);
      }
    }
  } else if (input.body !== undefined) problems.push('a body was generated for an operation without a request body');
  return problems;
}

describe('generated requests validate against the spec', () => {
  it('finds every bundled spec and its operations', () => {
    expect(specs.map((s) => s.name)).toEqual(expect.arrayContaining(['ionos-postgresql']));
    for (const { spec } of specs) expect(spec.operations.length).toBeGreaterThan(0);
  });

  describe.each(specs.map((s) => s.name))('%s', (specName) => {
    it.each(cases.filter((c) => c.spec === specName))('$operationId', ({ operation, openapi }) => {
      const validators = new ValidatorCache(openapi);
      fc.assert(
        fc.property(requestInputArbitrary(operation), (input) => {
          expect(requestProblems(operation, input, validators)).toEqual([]);
        }),
        { numRuns: 30, seed: SEED },
      );
    });
  });
});

/** Samples an arbitrary for a schema; values are taken through JSON like a request body. */
function sample(schema: JsonSchema, options: { direction?: Direction; numRuns?: number; seed?: number } = {}): unknown[] {
  return fc.sample(schemaArbitrary(schema, { direction: options.direction ?? 'request' }), { numRuns: options.numRuns ?? 200, seed: options.seed ?? SEED }).map(wire);
}

/** Asserts that every generated value validates (after the OpenAPI-to-JSON-Schema conversion) and returns a sample to inspect. */
function expectAllValid(schema: JsonSchema, options: { direction?: Direction; openapi?: '3.0' | '3.1'; numRuns?: number } = {}): unknown[] {
  const direction = options.direction ?? 'request';
  const validators = new ValidatorCache(options.openapi ?? '3.0');
  fc.assert(
    fc.property(schemaArbitrary(schema, { direction }), (value) => {
      const v = wire(value);
      expect(validators.validate(schema, v, direction), JSON.stringify(v)).toEqual([]);
    }),
    { numRuns: options.numRuns ?? 200, seed: SEED },
  );
  return sample(schema, { direction, numRuns: options.numRuns });
}

describe('schemaArbitrary', () => {
  it('enum: only the listed values, and every one of them', () => {
    const values = expectAllValid({ type: 'string', enum: ['HDD', 'SSD', 'SSD Premium'] });
    expect(new Set(values)).toEqual(new Set(['HDD', 'SSD', 'SSD Premium']));
  });

  it('x-extensible-enum: the listed values', () => {
    const values = expectAllValid({ type: 'string', 'x-extensible-enum': ['de/fra', 'de/txl'] });
    expect(new Set(values)).toEqual(new Set(['de/fra', 'de/txl']));
  });

  it('const: always the constant', () => {
    const values = expectAllValid({ const: 'cluster' }, { openapi: '3.1' });
    expect(new Set(values)).toEqual(new Set(['cluster']));
  });

  it('pattern: every value matches, and values vary', () => {
    const values = expectAllValid({ type: 'string', pattern: '^[a-z]{2}/[a-z]{3}$' });
    for (const v of values) expect(v).toMatch(/^[a-z]{2}\/[a-z]{3}$/);
    expect(new Set(values).size).toBeGreaterThan(10);
  });

  it('pattern with length bounds: both hold', () => {
    const values = expectAllValid({ type: 'string', pattern: '^[0-9]+$', minLength: 2, maxLength: 4 });
    for (const v of values) expect(String(v)).toMatch(/^[0-9]{2,4}$/);
  });

  it.each([
    ['uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/],
    ['date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/],
    ['email', /^[a-z][a-z0-9]*@example\.(com|org)$/],
    ['ipv4', /^(\d{1,3}\.){3}\d{1,3}$/],
    ['date', /^\d{4}-\d{2}-\d{2}$/],
    ['uri', /^https:\/\//],
  ])('format %s: every value is in the format', (format, shape) => {
    const values = expectAllValid({ type: 'string', format });
    for (const v of values) expect(v).toMatch(shape);
    expect(new Set(values).size).toBeGreaterThan(10);
  });

  it('format password with length bounds', () => {
    const values = expectAllValid({ type: 'string', format: 'password', minLength: 10, maxLength: 63, writeOnly: true });
    for (const v of values) expect(String(v).length).toBeGreaterThanOrEqual(10);
  });

  it('minLength and maxLength: lengths stay in bounds and reach both ends', () => {
    const values = expectAllValid({ type: 'string', minLength: 3, maxLength: 6 }, { numRuns: 300 }) as string[];
    const lengths = new Set(values.map((v) => v.length));
    for (const n of lengths) expect(n >= 3 && n <= 6).toBe(true);
    expect(lengths).toContain(3);
    expect(lengths).toContain(6);
  });

  it('maxLength 0: only the empty string', () => {
    expect(new Set(expectAllValid({ type: 'string', maxLength: 0 }))).toEqual(new Set(['']));
  });

  it('minimum and maximum: integers in range, both ends reached', () => {
    const values = expectAllValid({ type: 'integer', minimum: 1, maximum: 5 }) as number[];
    expect(new Set(values)).toEqual(new Set([1, 2, 3, 4, 5]));
  });

  it('minimum and maximum: numbers in range', () => {
    const values = expectAllValid({ type: 'number', minimum: -2.5, maximum: 2.5 }) as number[];
    for (const v of values) expect(v >= -2.5 && v <= 2.5).toBe(true);
    expect(values.some((v) => !Number.isInteger(v))).toBe(true);
  });

  it('3.0 boolean exclusiveMinimum/exclusiveMaximum on integers: the bounds are never generated', () => {
    const schema = { type: 'integer', minimum: 0, maximum: 4, exclusiveMinimum: true, exclusiveMaximum: true };
    expect(toJsonSchema(schema, 'request')).toEqual({ type: 'integer', exclusiveMinimum: 0, exclusiveMaximum: 4 });
    const values = expectAllValid(schema);
    expect(new Set(values)).toEqual(new Set([1, 2, 3]));
  });

  it('3.0 boolean exclusive bounds on numbers: strictly inside', () => {
    const schema = { type: 'number', minimum: 0, maximum: 1, exclusiveMinimum: true, exclusiveMaximum: true };
    const values = expectAllValid(schema) as number[];
    for (const v of values) expect(v > 0 && v < 1).toBe(true);
  });

  it('3.0 exclusiveMinimum false keeps the bound inclusive', () => {
    const schema = { type: 'integer', minimum: 0, maximum: 2, exclusiveMinimum: false };
    expect(toJsonSchema(schema, 'request')).toEqual({ type: 'integer', minimum: 0, maximum: 2 });
    expect(new Set(expectAllValid(schema))).toEqual(new Set([0, 1, 2]));
  });

  it('3.1 numeric exclusiveMinimum/exclusiveMaximum on integers', () => {
    const schema = { type: 'integer', exclusiveMinimum: 10, exclusiveMaximum: 14 };
    expect(toJsonSchema(schema, 'request')).toEqual(schema);
    expect(new Set(expectAllValid(schema, { openapi: '3.1' }))).toEqual(new Set([11, 12, 13]));
  });

  it('3.1 numeric exclusive bounds on numbers: strictly inside', () => {
    const values = expectAllValid({ type: 'number', exclusiveMinimum: -1, exclusiveMaximum: 1 }, { openapi: '3.1' }) as number[];
    for (const v of values) expect(v > -1 && v < 1).toBe(true);
  });

  it('3.1 exclusiveMinimum together with a larger minimum: both hold', () => {
    // In JSON Schema 2020-12 both keywords apply; the tighter one (minimum 10) decides.
    const values = expectAllValid({ type: 'integer', minimum: 10, exclusiveMinimum: 5, maximum: 12 }, { openapi: '3.1' });
    for (const v of values) expect(v as number).toBeGreaterThanOrEqual(10);
  });

  it('multipleOf on integers', () => {
    const values = expectAllValid({ type: 'integer', minimum: 2048, maximum: 16384, multipleOf: 1024 }) as number[];
    for (const v of values) expect(v % 1024).toBe(0);
    expect(new Set(values).size).toBeGreaterThan(5);
  });

  it('multipleOf 0.5 on numbers: halves occur, nothing finer', () => {
    const values = expectAllValid({ type: 'number', minimum: 0, maximum: 10, multipleOf: 0.5 }) as number[];
    for (const v of values) expect(Number.isInteger(v * 2)).toBe(true);
    expect(values.some((v) => !Number.isInteger(v))).toBe(true);
    expect(values.some((v) => Number.isInteger(v))).toBe(true);
  });

  it('multipleOf 0.1: no floating point residue', () => {
    const values = expectAllValid({ type: 'number', minimum: 0, maximum: 1, multipleOf: 0.1 }) as number[];
    for (const v of values) expect(String(v)).toMatch(/^\d(\.\d)?$/);
  });

  it('required properties are always there, optional ones sometimes', () => {
    const schema = { type: 'object', required: ['name'], properties: { name: { type: 'string', minLength: 1 }, note: { type: 'string' } } };
    const values = expectAllValid(schema) as Record<string, unknown>[];
    for (const v of values) expect(v).toHaveProperty('name');
    expect(values.some((v) => 'note' in v)).toBe(true);
    expect(values.some((v) => !('note' in v))).toBe(true);
  });

  it('3.0 nullable: null occurs, and so do values', () => {
    const values = expectAllValid({ type: 'string', nullable: true, minLength: 1 });
    expect(values).toContain(null);
    expect(values.some((v) => typeof v === 'string')).toBe(true);
  });

  it('3.0 nullable enum: null occurs besides the values', () => {
    const values = expectAllValid({ type: 'string', enum: ['a', 'b'], nullable: true });
    expect(new Set(values)).toEqual(new Set(['a', 'b', null]));
  });

  it('3.0 non-nullable: never null', () => {
    expect(expectAllValid({ type: 'string' })).not.toContain(null);
  });

  it('3.1 type arrays: null and the other type both occur', () => {
    const values = expectAllValid({ type: ['integer', 'null'], minimum: 0, maximum: 3 }, { openapi: '3.1' });
    expect(values).toContain(null);
    expect(values.some((v) => typeof v === 'number')).toBe(true);
  });

  it('readOnly properties are left out of requests, even when required', () => {
    const schema = {
      type: 'object',
      required: ['id', 'name'],
      properties: { id: { type: 'string', format: 'uuid', readOnly: true }, name: { type: 'string' }, state: { allOf: [{ type: 'string', enum: ['BUSY'] }], readOnly: true } },
    };
    const values = expectAllValid(schema, { direction: 'request' }) as Record<string, unknown>[];
    for (const v of values) {
      expect(v).not.toHaveProperty('id');
      expect(v).not.toHaveProperty('state');
      expect(v).toHaveProperty('name');
    }
  });

  it('readOnly properties are generated for responses, writeOnly ones are not', () => {
    const schema = { type: 'object', required: ['id'], properties: { id: { type: 'string', readOnly: true }, password: { type: 'string', writeOnly: true } } };
    const values = expectAllValid(schema, { direction: 'response' }) as Record<string, unknown>[];
    for (const v of values) {
      expect(v).toHaveProperty('id');
      expect(v).not.toHaveProperty('password');
    }
  });

  it('allOf: the merged schema holds (properties and constraints of every part)', () => {
    const schema = {
      allOf: [
        { type: 'object', required: ['a'], properties: { a: { type: 'integer', minimum: 0, maximum: 10 } } },
        { type: 'object', required: ['b'], properties: { b: { type: 'string', enum: ['x', 'y'] }, a: { maximum: 3 } } },
      ],
    };
    const values = expectAllValid(schema) as { a: number; b: string }[];
    for (const v of values) {
      expect(v.a).toBeLessThanOrEqual(3);
      expect(['x', 'y']).toContain(v.b);
    }
  });

  it('allOf around a $ref-like single schema keeps sibling keywords', () => {
    const values = expectAllValid({ allOf: [{ type: 'string', enum: ['AVAILABLE', 'BUSY'] }], readOnly: true }, { direction: 'response' });
    expect(new Set(values)).toEqual(new Set(['AVAILABLE', 'BUSY']));
  });

  it('oneOf: values of every branch, each matching exactly one', () => {
    const schema = {
      oneOf: [
        { type: 'object', required: ['kind', 'size'], properties: { kind: { type: 'string', enum: ['small'] }, size: { type: 'integer', minimum: 1, maximum: 3 } } },
        { type: 'object', required: ['kind', 'label'], properties: { kind: { type: 'string', enum: ['named'] }, label: { type: 'string', minLength: 1 } } },
      ],
    };
    const values = expectAllValid(schema) as { kind: string }[];
    expect(new Set(values.map((v) => v.kind))).toEqual(new Set(['small', 'named']));
  });

  it('oneOf with sibling keywords: the siblings apply to every branch', () => {
    const schema = { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' } }, oneOf: [{ required: ['a'], properties: { a: { type: 'boolean' } } }, { required: ['b'], properties: { b: { type: 'integer' } } }] };
    const values = expectAllValid(schema) as Record<string, unknown>[];
    for (const v of values) expect(v.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('anyOf: values of every branch', () => {
    const values = expectAllValid({ anyOf: [{ type: 'string', format: 'ipv4' }, { type: 'integer', minimum: 0, maximum: 9 }] });
    expect(values.some((v) => typeof v === 'string')).toBe(true);
    expect(values.some((v) => typeof v === 'number')).toBe(true);
  });

  it('arrays: minItems and maxItems hold and both ends occur', () => {
    const values = expectAllValid({ type: 'array', minItems: 1, maxItems: 4, items: { type: 'integer', minimum: 0, maximum: 100 } }, { numRuns: 300 }) as unknown[][];
    const lengths = new Set(values.map((v) => v.length));
    for (const n of lengths) expect(n >= 1 && n <= 4).toBe(true);
    expect(lengths).toContain(1);
    expect(lengths).toContain(4);
  });

  it('arrays: uniqueItems never repeats an item', () => {
    const values = expectAllValid({ type: 'array', minItems: 2, maxItems: 5, uniqueItems: true, items: { type: 'integer', minimum: 0, maximum: 5 } }) as number[][];
    for (const v of values) expect(new Set(v).size).toBe(v.length);
  });

  it('arrays: uniqueItems of objects', () => {
    const values = expectAllValid({ type: 'array', minItems: 2, maxItems: 3, uniqueItems: true, items: { type: 'object', required: ['k'], properties: { k: { type: 'string', enum: ['a', 'b', 'c'] } } } }) as { k: string }[][];
    for (const v of values) expect(new Set(v.map((o) => o.k)).size).toBe(v.length);
  });

  it('prefixItems: each position has its own schema (3.1)', () => {
    const schema = { type: 'array', prefixItems: [{ type: 'string', format: 'uuid' }, { type: 'integer', minimum: 1, maximum: 2 }, { type: 'boolean' }] };
    const values = expectAllValid(schema, { openapi: '3.1' }) as unknown[][];
    for (const v of values) {
      expect(typeof v[0]).toBe('string');
      expect([1, 2]).toContain(v[1]);
      expect(typeof v[2]).toBe('boolean');
    }
  });

  it('objects with only additionalProperties: a dictionary of valid values', () => {
    const values = expectAllValid({ type: 'object', additionalProperties: { type: 'integer', minimum: 0, maximum: 9 }, minProperties: 1 }) as Record<string, number>[];
    for (const v of values) expect(Object.keys(v).length).toBeGreaterThanOrEqual(1);
  });

  it('is reproducible for a seed', () => {
    const schema = { type: 'object', required: ['a'], properties: { a: { type: 'string', format: 'uuid' }, b: { type: 'integer' } } };
    expect(sample(schema, { seed: 7, numRuns: 20 })).toEqual(sample(schema, { seed: 7, numRuns: 20 }));
  });
});
