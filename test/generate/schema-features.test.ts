import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidatorCache } from '../../src/checks/validators.ts';
import { mergeSchemas, schemaArbitrary, withLengthBounds, type Direction } from '../../src/generate/schema-arbitrary.ts';
import type { JsonSchema } from '../../src/spec/types.ts';

const SEED = 424242;
const wire = <T>(value: T): T => (value === undefined ? value : JSON.parse(JSON.stringify(value)));

/** Samples a schema and asserts every value validates (2020-12 unless told); returns the values and the warnings given. */
function generate(schema: JsonSchema, options: { direction?: Direction; openapi?: '3.0' | '3.1'; numRuns?: number; valid?: boolean } = {}) {
  const direction = options.direction ?? 'request';
  const warnings: string[] = [];
  const arbitrary = schemaArbitrary(schema, { direction, onUnsupported: (w) => warnings.push(w) });
  const values = fc.sample(arbitrary, { seed: SEED, numRuns: options.numRuns ?? 200 }).map(wire);
  if (options.valid !== false) {
    const validators = new ValidatorCache(options.openapi ?? '3.1');
    for (const v of values) expect(validators.validate(schema, v, direction), JSON.stringify(v)).toEqual([]);
  }
  return { values: values as any[], warnings: [...new Set(warnings)] };
}

describe('schemaArbitrary: JSON Schema 2020-12 and OpenAPI 3.1 features', () => {
  it('boolean schemas: `true` takes anything, a `false` property is never generated', () => {
    const { values } = generate({ type: 'object', required: ['a'], properties: { a: true, never: false }, additionalProperties: false });
    for (const v of values) expect(v).not.toHaveProperty('never');
    expect(new Set(values.map((v) => typeof v.a)).size).toBeGreaterThan(1);
  });

  it('type arrays with several types: each of them occurs', () => {
    const { values } = generate({ type: ['integer', 'string', 'null'], minimum: 1, maximum: 5, pattern: '^[a-z]{3}$' });
    expect(values.some((v) => typeof v === 'number')).toBe(true);
    expect(values.some((v) => typeof v === 'string')).toBe(true);
    expect(values).toContain(null);
  });

  it('dependentRequired: a property is only there with its dependents; a required one brings them', () => {
    const { values } = generate({
      type: 'object',
      required: ['plan'],
      properties: { plan: { type: 'string', enum: ['a'] }, card: { type: 'string' }, cvc: { type: 'string', pattern: '^[0-9]{3}$' }, expiry: { type: 'string', format: 'date' }, billing: { type: 'string' } },
      dependentRequired: { card: ['cvc', 'expiry'], plan: ['billing'] },
    });
    for (const v of values) expect(v).toHaveProperty('billing');
    expect(values.some((v) => 'card' in v)).toBe(true);
  });

  it('maxProperties: optional properties are dropped until the object fits', () => {
    const properties = Object.fromEntries('abcdefgh'.split('').map((k) => [k, { type: 'integer', minimum: 0, maximum: 3 }]));
    const { values } = generate({ type: 'object', required: ['a'], properties, maxProperties: 3 });
    for (const v of values) expect(v).toHaveProperty('a');
    expect(values.some((v) => Object.keys(v).length === 3)).toBe(true);
  });

  it('minProperties above the required ones: different optional properties fill the gap', () => {
    const { values } = generate({ type: 'object', minProperties: 2, properties: { a: { type: 'boolean' }, b: { type: 'boolean' }, c: { type: 'boolean' } } });
    for (const v of values) expect(Object.keys(v).length).toBeGreaterThanOrEqual(2);
    for (const key of ['a', 'b', 'c']) expect(values.some((v) => key in v)).toBe(true);
  });

  it('propertyNames on a dictionary: every key matches', () => {
    const { values } = generate({ type: 'object', additionalProperties: { type: 'integer' }, propertyNames: { pattern: '^env_[A-Z]{2,4}$' }, minProperties: 1, maxProperties: 2 });
    for (const v of values) for (const key of Object.keys(v)) expect(key).toMatch(/^env_[A-Z]{2,4}$/);
  });

  it('contains: every array holds a matching item', () => {
    const { values } = generate({ type: 'array', items: { type: 'integer', minimum: 0, maximum: 100 }, contains: { type: 'integer', minimum: 90 }, maxItems: 4 });
    for (const v of values) expect(v.some((n: number) => n >= 90)).toBe(true);
  });

  it('prefixItems with minItems beyond the tuple: the rest follows `items`', () => {
    const { values } = generate({ type: 'array', prefixItems: [{ const: 'head' }], items: { type: 'boolean' }, minItems: 3 });
    for (const v of values) {
      expect(v[0]).toBe('head');
      expect(v.length).toBeGreaterThanOrEqual(3);
    }
  });

  it('a pattern ending in a repeat, with length bounds: fits by construction, quickly', () => {
    const started = performance.now();
    const { values, warnings } = generate({ type: 'string', minLength: 16, maxLength: 64, pattern: '^[A-Za-z0-9-]+$' }, { numRuns: 300 });
    expect(performance.now() - started).toBeLessThan(5000);
    expect(warnings).toEqual([]);
    expect(Math.min(...values.map((v) => v.length))).toBe(16);
    expect(withLengthBounds('^[a-z][a-z0-9-]*$', 1, 48)).toBe('^[a-z][a-z0-9-]{0,47}$');
    expect(withLengthBounds('^(a|b)+$', 1, 3)).toBe('^(a|b)+$');
  });

  it('other patterns with length bounds: the first fitting of several draws', () => {
    const { values, warnings } = generate({ type: 'string', pattern: '^(ab|c)+$', minLength: 3, maxLength: 6 });
    expect(warnings).toEqual([]);
    for (const v of values) expect(v.length >= 3 && v.length <= 6).toBe(true);
  });
});

describe('schemaArbitrary: oneOf matches exactly one branch', () => {
  it('overlapping branches: a typeless object schema next to null, a plain string next to a patterned one', () => {
    const { values, warnings } = generate({
      type: 'object',
      required: ['source', 'code'],
      properties: {
        source: { oneOf: [{ properties: { host: { type: 'string' } } }, { type: 'null' }] },
        code: { oneOf: [{ type: 'string', pattern: '^[0-9]{3}$' }, { type: 'string', maxLength: 2 }] },
      },
    });
    expect(warnings).toEqual([]);
    // null also matches the typeless branch: it can never be a valid oneOf value here.
    expect(values.some((v) => v.source === null)).toBe(false);
    expect(new Set(values.map((v) => (/^[0-9]{3}$/.test(v.code) ? 'pattern' : 'short')))).toEqual(new Set(['pattern', 'short']));
  });

  it('where branches do not overlap, a seed gives the same values as without the check', () => {
    const branches = [{ type: 'string', minLength: 8, maxLength: 20 }, { type: 'object', required: ['hash'], properties: { hash: { type: 'string' } } }];
    const sampleOf = (schema: JsonSchema) => fc.sample(schemaArbitrary(schema, { direction: 'request' }), { seed: 7, numRuns: 50 }).map(wire);
    expect(sampleOf({ oneOf: branches })).toEqual(sampleOf({ anyOf: branches }));
  });

  it('branches that cannot be told apart are reported', () => {
    const { warnings } = generate({ oneOf: [{ type: 'object', properties: { a: { type: 'string' } } }, { type: 'object', properties: { b: { type: 'string' } } }] }, { valid: false, numRuns: 20 });
    expect(warnings).toEqual(['oneOf whose branches overlap']);
  });

  it('a 3.1 type array with null whose enum or const leaves null out never yields null', () => {
    const { values } = generate({ type: 'object', required: ['a', 'b'], properties: { a: { type: ['string', 'null'], enum: ['x', 'y'] }, b: { type: ['string', 'null'], const: 'k' } } });
    for (const v of values) {
      expect(['x', 'y']).toContain(v.a);
      expect(v.b).toBe('k');
    }
    expect(generate({ type: ['string', 'null'], enum: ['x', null] }).values).toContain(null);
  });

  it('an enum whose values are not of its declared type is reported', () => {
    const { values, warnings } = generate({ type: 'number', enum: ['0.5', '0.9'] }, { valid: false, numRuns: 20 });
    expect(new Set(values)).toEqual(new Set(['0.5', '0.9']));
    expect(warnings).toEqual(['enum whose values are not of its type']);
    expect(generate({ type: 'integer', enum: [1, 'two', 3] }).values.every((v) => v === 1 || v === 3)).toBe(true);
  });
});

describe('schemaArbitrary: what it cannot honour is reported, never a crash or a hang', () => {
  it.each([
    ['not', { type: 'integer', minimum: 0, maximum: 9, not: { const: 3 } }, 'not'],
    ['if/then/else', { type: 'object', properties: { a: { type: 'boolean' } }, if: { required: ['a'] }, then: { required: ['b'] } }, 'if'],
    ['dependentSchemas', { type: 'object', properties: { a: { type: 'boolean' } }, dependentSchemas: { a: { required: ['b'] } } }, 'dependentSchemas'],
    ['$dynamicRef', { type: 'object', properties: { child: { $dynamicRef: '#node' } } }, '$dynamicRef'],
    ['minContains', { type: 'array', items: { type: 'integer' }, contains: { const: 1 }, minContains: 2 }, 'minContains'],
  ])('%s', (_name, schema, warning) => {
    const { values, warnings } = generate(schema, { valid: false, numRuns: 20 });
    expect(values).toHaveLength(20);
    expect(warnings).toContain(warning);
  });

  it('a pattern that is no valid regex', () => {
    const { values, warnings } = generate({ type: 'string', pattern: '([a-z' }, { valid: false, numRuns: 20 });
    expect(values.every((v) => typeof v === 'string')).toBe(true);
    expect(warnings).toEqual(['pattern ([a-z']);
  });

  it('a pattern that needs the non-unicode flag still generates matching values', () => {
    const { values, warnings } = generate({ type: 'string', pattern: '^[a-z\\_]{2,5}$' }, { valid: false, numRuns: 50 });
    expect(warnings).toEqual([]);
    for (const v of values) expect(v).toMatch(/^[a-z_]{2,5}$/);
  });

  it('length bounds a pattern or format cannot meet', () => {
    expect(generate({ type: 'string', pattern: '^[a-z]{2}$', minLength: 5 }, { valid: false, numRuns: 10 }).warnings).toEqual(['pattern ^[a-z]{2}$ with lengths 5..']);
    expect(generate({ type: 'string', format: 'uuid', maxLength: 10 }, { valid: false, numRuns: 10 }).warnings).toEqual(['format uuid with lengths 0..10']);
  });

  it('an allOf whose parts contradict each other', () => {
    const schema = { allOf: [{ type: 'object', properties: { a: { type: 'string' } }, required: ['a'] }, { type: 'object', properties: { a: { type: 'integer' } } }] };
    const warnings: string[] = [];
    expect(() => mergeSchemas(schema, (w) => warnings.push(w))).not.toThrow();
    const { values } = generate(schema, { valid: false, numRuns: 10 });
    expect(values.every((v) => v && typeof v === 'object' && 'a' in v)).toBe(true);
    expect(warnings[0]).toMatch(/^allOf that cannot be merged/);
  });
});

describe('schemaArbitrary: readOnly and writeOnly at every depth', () => {
  const item = { type: 'object', required: ['id', 'value'], properties: { id: { type: 'string', readOnly: true }, value: { type: 'integer', minimum: 0, maximum: 5 }, pin: { type: 'string', pattern: '^[0-9]{4}$', writeOnly: true } } };
  const schema = {
    type: 'object',
    required: ['items', 'meta', 'choice'],
    properties: {
      items: { type: 'array', minItems: 1, maxItems: 3, items: item },
      meta: { allOf: [{ type: 'object', properties: { etag: { type: 'string' } } }], readOnly: true },
      choice: { oneOf: [{ allOf: [item, { properties: { kind: { const: 'a' } }, required: ['kind'] }] }, { type: 'object', required: ['kind'], properties: { kind: { const: 'b' }, createdAt: { type: 'string', format: 'date-time', readOnly: true } } }] },
    },
  };

  const keys = (value: unknown): string[] => (Array.isArray(value) ? value.flatMap(keys) : value && typeof value === 'object' ? Object.entries(value).flatMap(([k, v]) => [k, ...keys(v)]) : []);

  it('requests never carry readOnly properties, however deep', () => {
    const { values } = generate(schema, { direction: 'request', openapi: '3.0' });
    const seen = new Set(values.flatMap(keys));
    for (const hidden of ['id', 'meta', 'createdAt']) expect(seen).not.toContain(hidden);
    expect(seen).toContain('pin');
  });

  it('responses never carry writeOnly properties, and do carry readOnly ones', () => {
    const { values } = generate(schema, { direction: 'response', openapi: '3.0' });
    const seen = new Set(values.flatMap(keys));
    expect(seen).not.toContain('pin');
    for (const shown of ['id', 'meta', 'createdAt']) expect(seen).toContain(shown);
  });
});
