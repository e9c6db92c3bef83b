import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.ts';
import { loadSpec } from '../../src/spec/load.ts';
import { buildOperations } from '../../src/spec/operations.ts';
import type { ApiSpec } from '../../src/spec/types.ts';

const SPEC = join(import.meta.dirname, '../../specs/ionos-postgresql.yaml');

const FIXTURES: Record<string, string> = {
  'not-yaml.yaml': 'openapi: 3.0.3\ninfo: [\n  : {{{\n',
  'binary.json': '\u0000\u0001\u0002binary',
  'plain.txt': 'just some text\nwith two lines\n',
  'invalid.yaml': ['openapi: 3.0.3', 'info:', "  version: '1'", 'paths:', '  /x:', '    get:', '      responses:', "        '200':", '          description: ok', ''].join('\n'),
  'dangling.yaml': [
    'openapi: 3.0.3',
    'info: { title: t, version: "1" }',
    'paths:',
    '  /x:',
    '    get:',
    '      responses:',
    "        '200':",
    '          description: ok',
    '          content:',
    '            application/json:',
    '              schema:',
    "                $ref: '#/components/schemas/Missing'",
    '',
  ].join('\n'),
  'swagger.json': JSON.stringify({ swagger: '2.0', info: { title: 't', version: '1' }, paths: { '/x': { get: { responses: { '200': { description: 'ok' } } } } } }),
  'minimal-31.yaml': ['openapi: 3.1.0', 'info: { title: Minimal, version: "2" }', 'servers:', '  - url: https://{region}.example.com/v1', '    variables:', '      region: { default: eu }', 'paths: {}', ''].join('\n'),
};

let dir = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'conformance-spec-'));
  for (const [name, content] of Object.entries(FIXTURES)) writeFileSync(join(dir, name), content);
});

/** The UsageError loadSpec throws, after checking that it is one and that it reads as one line. */
async function usageError(file: string): Promise<UsageError> {
  const error = await loadSpec(file).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UsageError);
  const usage = error as UsageError;
  expect(usage.message).not.toMatch(/\n/);
  expect(usage.oneLine()).not.toMatch(/\n/);
  expect(usage.oneLine()).toMatch(/^error: /);
  expect(usage.hint.length).toBeGreaterThan(0);
  return usage;
}

describe('loadSpec errors are one-line UsageErrors', () => {
  it('a missing file', async () => {
    const file = join(dir, 'does-not-exist.yaml');
    expect((await usageError(file)).message).toBe(`spec file not found: ${file}`);
  });

  it.each(['not-yaml.yaml', 'binary.json'])('a file that is not YAML or JSON: %s', async (name) => {
    const error = await usageError(join(dir, name));
    expect(error.message).toMatch(new RegExp(`^invalid OpenAPI document ${join(dir, name).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: Error parsing`));
  });

  it('a text file that parses but is no OpenAPI document', async () => {
    expect((await usageError(join(dir, 'plain.txt'))).message).toMatch(/^invalid OpenAPI document .*plain\.txt: /);
  });

  it('an invalid OpenAPI document (info without title)', async () => {
    expect((await usageError(join(dir, 'invalid.yaml'))).message).toMatch(/^invalid OpenAPI document .*invalid\.yaml: /);
  });

  it('a dangling $ref, named as such', async () => {
    const error = await usageError(join(dir, 'dangling.yaml'));
    expect(error.message).toMatch(/^invalid OpenAPI document .*dangling\.yaml: dangling \$ref: /);
    expect(error.message).toContain('#/components/schemas/Missing');
  });

  it('a Swagger 2.0 document', async () => {
    const error = await usageError(join(dir, 'swagger.json'));
    expect(error.message).toBe(`${join(dir, 'swagger.json')} is Swagger 2.0, not OpenAPI 3.x`);
    expect(error.hint).toMatch(/convert it to OpenAPI 3/);
  });
});

describe('loadSpec on a valid document', () => {
  it('reads version, info and servers with their variables expanded', async () => {
    const spec = await loadSpec(join(dir, 'minimal-31.yaml'));
    expect(spec).toMatchObject({ openapi: '3.1', title: 'Minimal', version: '2', servers: ['https://eu.example.com/v1'], operations: [] });
  });
});

describe('loadSpec on specs/ionos-postgresql.yaml', () => {
  let spec: ApiSpec;
  beforeAll(async () => {
    spec = await loadSpec(SPEC);
  });

  it('yields 25 operations with unique ids', () => {
    expect(spec.openapi).toBe('3.0');
    expect(spec.operations).toHaveLength(25);
    expect(new Set(spec.operations.map((o) => o.id)).size).toBe(25);
    expect(spec.servers).toEqual(['https://api.ionos.com/databases/postgresql']);
    expect(Object.keys(spec.securitySchemes).sort()).toEqual(['basicAuth', 'tokenAuth']);
  });

  it('merges path-level parameters into every operation of the path', () => {
    const op = (id: string) => spec.operations.find((o) => o.id === id)!;
    const params = (id: string) => op(id).parameters.map((p) => `${p.in}:${p.name}`).sort();
    for (const id of ['clustersFindById', 'clustersPatch', 'clustersDelete']) expect(params(id)).toEqual(['path:clusterId']);
    expect(params('clusterBackupsGet')).toEqual(['path:clusterId', 'query:limit', 'query:offset']);
    expect(params('usersGet')).toEqual(['path:clusterId', 'path:username']);
    expect(params('usersList')).toEqual(['path:clusterId', 'query:limit', 'query:offset', 'query:system']);
    expect(params('clustersGet')).toEqual(['query:filter.name', 'query:limit', 'query:offset']);
    const clusterId = op('usersGet').parameters.find((p) => p.name === 'clusterId')!;
    expect(clusterId).toMatchObject({ in: 'path', required: true, schema: { type: 'string', format: 'uuid' } });
  });

  it('dereferences schemas and applies global security', () => {
    const post = spec.operations.find((o) => o.id === 'clustersPost')!;
    expect(post.body).toMatchObject({ required: true, contentType: 'application/json' });
    expect((post.body!.schema!.properties as Record<string, unknown>).properties).toMatchObject({ type: 'object' });
    expect(post.security).toEqual([{ basicAuth: [] }, { tokenAuth: [] }]);
    expect(post.responses.map((r) => r.status)).toContain('200');
    const restore = spec.operations.find((o) => o.id === 'clusterRestorePost')!;
    expect(restore.responses.find((r) => r.status === '202')!.content).toEqual({});
  });
});

describe('buildOperations', () => {
  it('an operation parameter overrides the path-level one of the same name and location', () => {
    const [op] = buildOperations({
      paths: {
        '/items/{id}': {
          parameters: [
            { name: 'id', in: 'path', schema: { type: 'string' } },
            { name: 'limit', in: 'query', schema: { type: 'integer', maximum: 10 } },
            { name: 'limit', in: 'header', schema: { type: 'string' } },
          ],
          get: { operationId: 'getItem', parameters: [{ name: 'limit', in: 'query', required: true, schema: { type: 'integer', maximum: 20 } }], responses: {} },
        },
      },
    });
    expect(op!.parameters).toEqual([
      { name: 'id', in: 'path', required: true, schema: { type: 'string' }, style: undefined, explode: undefined },
      { name: 'limit', in: 'query', required: true, schema: { type: 'integer', maximum: 20 }, style: undefined, explode: undefined },
      { name: 'limit', in: 'header', required: false, schema: { type: 'string' }, style: undefined, explode: undefined },
    ]);
  });

  it('names operations without an operationId after method and path, and upper-cases response keys', () => {
    const [op] = buildOperations({ paths: { '/clusters/{clusterId}/users': { get: { responses: { '2xx': { description: 'ok' }, default: { description: 'x' } } } } } });
    expect(op!.id).toBe('getClustersClusterIdUsers');
    expect(op!.responses.map((r) => r.status)).toEqual(['2XX', 'DEFAULT']);
    expect(op!.security).toEqual([]);
  });
});
