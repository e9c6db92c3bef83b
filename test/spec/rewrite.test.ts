import fc from 'fast-check';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValidatorCache } from '../../src/checks/validators.ts';
import { schemaArbitrary } from '../../src/generate/schema-arbitrary.ts';
import { loadSpec } from '../../src/spec/load.ts';
import { applyDiscriminators, rewriteRefSiblings } from '../../src/spec/rewrite.ts';
import type { ApiSpec, JsonSchema } from '../../src/spec/types.ts';

const dir = mkdtempSync(join(tmpdir(), 'conformance-rewrite-'));
let counter = 0;

/** Writes a document with one POST /things whose body is `body`, and loads it. */
async function loadWith(openapi: '3.0.3' | '3.1.0', body: JsonSchema, schemas: Record<string, JsonSchema>, extra: Record<string, unknown> = {}): Promise<ApiSpec> {
  const file = join(dir, `doc-${++counter}.json`);
  const doc = {
    openapi,
    info: { title: 'rewrite test', version: '1' },
    paths: { '/things': { post: { operationId: 'createThing', requestBody: { required: true, content: { 'application/json': { schema: body } } }, responses: { 204: { description: 'ok' } } } } },
    components: { schemas },
    ...extra,
  };
  writeFileSync(file, JSON.stringify(doc));
  return loadSpec(file);
}

const bodyOf = (spec: ApiSpec) => spec.operations[0]!.body!.schema!;
const wire = <T>(v: T): T => JSON.parse(JSON.stringify(v));
const sample = (schema: JsonSchema, seed = 5, numRuns = 100) => fc.sample(schemaArbitrary(schema, { direction: 'request' }), { seed, numRuns }).map(wire) as Record<string, unknown>[];

const Base = { type: 'object', required: ['a'], properties: { a: { type: 'integer', minimum: 0, maximum: 9 }, b: { type: 'string', maxLength: 4 } } };

describe('$ref with sibling keywords', () => {
  it('3.1: a sibling `required` adds to the target\'s own instead of replacing it', async () => {
    const spec = await loadWith('3.1.0', { $ref: '#/components/schemas/Base', required: ['b'] }, { Base });
    const values = sample(bodyOf(spec));
    for (const v of values) {
      expect(v).toHaveProperty('a');
      expect(v).toHaveProperty('b');
    }
    const validators = new ValidatorCache('3.1');
    expect(validators.validate(bodyOf(spec), { b: 'x' }, 'request').map((i) => i.message)).toEqual(["must have required property 'a'"]);
  });

  it('3.1: a looser sibling bound does not loosen the target (both apply)', async () => {
    const Name = { type: 'string', minLength: 1, maxLength: 5 };
    const spec = await loadWith('3.1.0', { type: 'object', required: ['name'], properties: { name: { $ref: '#/components/schemas/Name', maxLength: 50, description: 'd' } } }, { Name });
    const name = (bodyOf(spec).properties as Record<string, JsonSchema>).name!;
    expect(name.allOf).toEqual([Name]);
    for (const v of sample(bodyOf(spec))) expect(String(v.name).length).toBeLessThanOrEqual(5);
  });

  it('3.1: a sibling `properties` keeps the target\'s properties', async () => {
    const spec = await loadWith('3.1.0', { $ref: '#/components/schemas/Base', properties: { c: { type: 'boolean' } }, required: ['c'] }, { Base });
    for (const v of sample(bodyOf(spec))) {
      expect(typeof v.a).toBe('number');
      expect(typeof v.c).toBe('boolean');
    }
  });

  it('3.1: description and summary siblings are left to the merge (no allOf wrapper)', async () => {
    const spec = await loadWith('3.1.0', { type: 'object', properties: { base: { $ref: '#/components/schemas/Base', description: 'the base' } } }, { Base });
    const base = (bodyOf(spec).properties as Record<string, JsonSchema>).base!;
    expect(base.allOf).toBeUndefined();
    expect(base).toMatchObject({ description: 'the base', required: ['a'] });
  });

  it('3.0: siblings keep swagger-parser\'s shallow merge (the sibling wins)', async () => {
    const spec = await loadWith('3.0.3', { $ref: '#/components/schemas/Base', required: ['b'] }, { Base });
    expect(bodyOf(spec).required).toEqual(['b']);
    expect(bodyOf(spec).allOf).toBeUndefined();
  });

  it('leaves path item $refs, data and extensions alone, and walks maps whose keys look like data keywords', () => {
    const doc = {
      openapi: '3.1.0',
      paths: { '/a': { $ref: '#/components/pathItems/A', summary: 's', description: 'd' } },
      webhooks: { hook: { $ref: '#/components/pathItems/A', summary: 's' } },
      components: {
        schemas: {
          S: {
            type: 'object',
            properties: { example: { $ref: '#/components/schemas/T', maxLength: 3 }, 'x-id': { $ref: '#/components/schemas/T', minLength: 1 } },
            example: { $ref: 'not-a-ref-but-data', note: 'x' },
            'x-vendor': { $ref: '#/components/schemas/T', readOnly: true },
          },
        },
        responses: { default: { description: 'x', content: { 'application/json': { schema: { $ref: '#/components/schemas/T', readOnly: true } } } } },
      },
    };
    rewriteRefSiblings(doc);
    expect(doc.paths['/a']).toEqual({ $ref: '#/components/pathItems/A', summary: 's', description: 'd' });
    expect(doc.webhooks.hook).toEqual({ $ref: '#/components/pathItems/A', summary: 's' });
    const s = doc.components.schemas.S as Record<string, any>;
    expect(s.properties.example).toEqual({ allOf: [{ $ref: '#/components/schemas/T' }], maxLength: 3 });
    expect(s.properties['x-id']).toEqual({ allOf: [{ $ref: '#/components/schemas/T' }], minLength: 1 });
    expect(s.example).toEqual({ $ref: 'not-a-ref-but-data', note: 'x' });
    expect(s['x-vendor']).toEqual({ $ref: '#/components/schemas/T', readOnly: true });
    expect((doc.components.responses.default.content['application/json'].schema as Record<string, unknown>).allOf).toEqual([{ $ref: '#/components/schemas/T' }]);
  });
});

describe('discriminator', () => {
  const branch = (extra: Record<string, JsonSchema> = {}) => ({ type: 'object', required: ['kind'], properties: { kind: { type: 'string' }, size: { type: 'integer', minimum: 1, maximum: 3 }, ...extra } });

  it('with a mapping: each branch carries the value(s) that map to it, by reference or by name', async () => {
    const Shape = {
      oneOf: [{ $ref: '#/components/schemas/Circle' }, { $ref: '#/components/schemas/Square' }, { $ref: '#/components/schemas/Blob' }],
      discriminator: { propertyName: 'kind', mapping: { circle: '#/components/schemas/Circle', round: '#/components/schemas/Circle', square: 'Square' } },
    };
    const spec = await loadWith('3.0.3', { $ref: '#/components/schemas/Shape' }, { Shape, Circle: branch(), Square: branch(), Blob: branch() });
    const values = sample(bodyOf(spec), 9, 300);
    // Blob is not in the mapping: its implicit value is its schema name.
    expect(new Set(values.map((v) => v.kind))).toEqual(new Set(['circle', 'round', 'square', 'Blob']));
    const validators = new ValidatorCache('3.0');
    for (const v of values) expect(validators.validate(bodyOf(spec), v, 'request')).toEqual([]);
    // The branches overlap: only the discriminator tells them apart, and a value naming no branch is refused.
    expect(validators.validate(bodyOf(spec), { kind: 'triangle' }, 'request')).not.toEqual([]);
  });

  it('without a mapping: the schema names', async () => {
    const Pet = { anyOf: [{ $ref: '#/components/schemas/Cat' }, { $ref: '#/components/schemas/Dog' }], discriminator: { propertyName: 'kind' } };
    const spec = await loadWith('3.1.0', { $ref: '#/components/schemas/Pet' }, { Pet, Cat: branch(), Dog: branch({ barks: { type: 'boolean' } }) });
    expect(new Set(sample(bodyOf(spec), 3, 200).map((v) => v.kind))).toEqual(new Set(['Cat', 'Dog']));
  });

  it('inherited through allOf: the child carries its own value', async () => {
    const Pet = { type: 'object', required: ['petType'], properties: { petType: { type: 'string' }, name: { type: 'string' } }, discriminator: { propertyName: 'petType', mapping: { kitty: '#/components/schemas/Cat' } } };
    const Cat = { allOf: [{ $ref: '#/components/schemas/Pet' }, { type: 'object', properties: { lives: { type: 'integer', minimum: 1, maximum: 9 } } }] };
    const Dog = { allOf: [{ $ref: '#/components/schemas/Pet' }] };
    const spec = await loadWith('3.0.3', { type: 'object', required: ['cat', 'dog'], properties: { cat: { $ref: '#/components/schemas/Cat' }, dog: { $ref: '#/components/schemas/Dog' } } }, { Pet, Cat, Dog });
    for (const v of sample(bodyOf(spec))) {
      expect((v.cat as Record<string, unknown>).petType).toBe('kitty');
      expect((v.dog as Record<string, unknown>).petType).toBe('Dog');
    }
  });

  it('inline branches are left alone (their value cannot be known), and the generator says so', async () => {
    const doc = { components: { schemas: { U: { oneOf: [{ type: 'object', properties: { t: { type: 'string' } } }], discriminator: { propertyName: 't' } } } } };
    applyDiscriminators(doc);
    expect(doc.components.schemas.U.oneOf).toEqual([{ type: 'object', properties: { t: { type: 'string' } } }]);
    const warnings: string[] = [];
    fc.sample(schemaArbitrary(doc.components.schemas.U, { direction: 'request', onUnsupported: (w) => warnings.push(w) }), { numRuns: 3, seed: 1 });
    expect(new Set(warnings)).toEqual(new Set(['discriminator t on a branch that is no named schema']));
  });
});
