import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { schemaArbitrary } from '../../src/generate/schema-arbitrary.ts';
import { picked, valuesAt, valuesFromAnnotations } from '../../src/generate/values-from.ts';
import type { HttpResponse } from '../../src/http/types.ts';
import type { RunConfig } from '../../src/run/config.ts';
import { DiscoveredValues } from '../../src/run/values-discovery.ts';
import type { Operation } from '../../src/spec/types.ts';
import { operation, response } from '../helpers.ts';

const VERSIONS = [
  { operationId: 'clusterVersions', path: '/data/*/name' },
  { operationId: 'versions', path: '/data/*/name' },
];
const versionSchema = { type: 'string', pattern: '^[1-9][0-9]*$', 'x-conformance-values-from': VERSIONS };
const create = operation([], {
  id: 'createCluster',
  method: 'post',
  path: '/clusters',
  body: { required: true, contentType: 'application/json', schema: { type: 'object', required: ['version'], properties: { version: versionSchema } } },
});
const patch = operation([], {
  id: 'patchCluster',
  method: 'patch',
  path: '/clusters/{clusterId}',
  parameters: [{ name: 'clusterId', in: 'path', required: true, schema: { type: 'string' } }],
  body: { required: true, contentType: 'application/json', schema: { type: 'object', properties: { version: versionSchema } } },
});
const listOps: Record<string, Operation> = {
  versions: operation([], { id: 'versions', path: '/versions' }),
  clusterVersions: operation([], { id: 'clusterVersions', path: '/clusters/{clusterId}/versions', parameters: [{ name: 'clusterId', in: 'path', required: true, schema: { type: 'string' } }] }),
};

/** A host whose list operations answer from a table of paths; records what was asked and warned. */
function host(answers: Record<string, HttpResponse>, known: Record<string, string> = {}) {
  const asked: string[] = [];
  const warnings: string[] = [];
  const h = {
    config: { mode: 'full', profile: { name: 't', title: 't', spec: '', resources: [] } } as unknown as RunConfig,
    operation: (id: string) => listOps[id],
    read: async (op: Operation, pathParams: Record<string, unknown>) => {
      const path = op.path.replace(/\{(\w+)\}/g, (_m, n: string) => String(pathParams[n]));
      asked.push(path);
      return answers[path] ?? response(404, { error: 'no' });
    },
  };
  const ids = new Map(Object.entries(known).map(([k, v]) => [k, [v]]));
  return { h, ids, warn: (message: string) => warnings.push(message), asked, warnings };
}

describe('x-conformance-values-from', () => {
  it('reads values at a pointer with * for array items', () => {
    expect(valuesAt({ data: [{ name: '15' }, { name: '16' }, { name: '15' }, { other: 1 }] }, '/data/*/name')).toEqual(['15', '16']);
    expect(valuesAt({ items: [{ id: 'a' }] }, '/items/0/id')).toEqual(['a']);
    expect(valuesAt({ nothing: true }, '/data/*/name')).toEqual([]);
  });

  it('keeps only the greatest value with pick: max, numerically where values are numbers', () => {
    expect(picked(['9', '16', '12'], 'max')).toEqual(['16']);
    expect(picked(['a', 'c', 'b'], 'max')).toEqual(['c']);
    expect(picked(['9', '16'], undefined)).toEqual(['9', '16']);
    expect(picked([], 'max')).toEqual([]);
  });

  it('finds the annotations of an operation, nested or shared', () => {
    expect(valuesFromAnnotations(create)).toEqual([VERSIONS]);
    expect(valuesFromAnnotations(listOps.versions!)).toEqual([]);
  });

  it('generates only discovered values where the schema has an annotation, and the schema otherwise', () => {
    const schema = create.body!.schema!;
    const discovered = fc.sample(schemaArbitrary(schema, { direction: 'request', valuesFrom: () => ['14', '15'] }), { seed: 1, numRuns: 50 });
    expect(new Set(discovered.map((b) => (b as { version: string }).version))).toEqual(new Set(['14', '15']));
    const plain = fc.sample(schemaArbitrary(schema, { direction: 'request' }), { seed: 1, numRuns: 50 });
    expect(plain.some((b) => !['14', '15'].includes((b as { version: string }).version))).toBe(true);
  });

  it('asks the first source whose path parameters the operation shares, once', async () => {
    const { h, ids, warn, asked } = host({ '/versions': response(200, { data: [{ name: '15' }, { name: '16' }] }), '/clusters/c1/versions': response(200, { data: [{ name: '16' }] }) }, { clusterId: 'c1' });
    const values = new DiscoveredValues(h, ids, warn);
    expect(await values.discover(create)).toBe(true);
    // The create names no cluster: the cluster's own list is skipped even though a cluster id is known.
    expect(values.lookup(create, VERSIONS)).toEqual(['15', '16']);
    expect(await values.discover(patch)).toBe(true);
    expect(values.lookup(patch, VERSIONS)).toEqual(['16']);
    expect(asked).toEqual(['/versions', '/clusters/c1/versions']);
    expect(await values.discover(create)).toBe(false);
    expect(asked).toHaveLength(2);
  });

  it('falls back to the next source, and warns when none answers', async () => {
    const { h, ids, warn, warnings } = host({}, {});
    const values = new DiscoveredValues(h, ids, warn);
    expect(await values.discover(create)).toBe(false);
    expect(values.lookup(create, VERSIONS)).toEqual([]);
    expect(warnings).toEqual([expect.stringContaining('createCluster: no values found for x-conformance-values-from (versions answered 404)')]);
  });
});

describe('x-conformance-generate', () => {
  it('narrows generated values only', () => {
    const schema = { type: 'integer', minimum: 1, maximum: 1000, 'x-conformance-generate': { maximum: 10 } };
    const values = fc.sample(schemaArbitrary(schema, { direction: 'request' }), { seed: 3, numRuns: 100 }) as number[];
    expect(Math.max(...values)).toBeLessThanOrEqual(10);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(1);
  });

  it('applies inside allOf wrappers and to oneOf branches', () => {
    const wrapped = { allOf: [{ type: 'integer', minimum: 2048, maximum: 2097152 }], 'x-conformance-generate': { maximum: 20480 } };
    const values = fc.sample(schemaArbitrary(wrapped, { direction: 'request' }), { seed: 4, numRuns: 100 }) as number[];
    expect(values.every((v) => v >= 2048 && v <= 20480)).toBe(true);
    const password = { oneOf: [{ type: 'string', minLength: 1, 'x-conformance-generate': { pattern: '^[a-z]{16}$' } }, { type: 'object', required: ['hash'], properties: { hash: { type: 'string' } } }] };
    const strings = (fc.sample(schemaArbitrary(password, { direction: 'request' }), { seed: 5, numRuns: 100 }) as unknown[]).filter((v): v is string => typeof v === 'string');
    expect(strings.length).toBeGreaterThan(0);
    expect(strings.every((s) => /^[a-z]{16}$/.test(s))).toBe(true);
  });
});
