import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { genericProfile } from '../../src/providers/generic.ts';
import { idPath, itemsPath } from '../../src/providers/schema-paths.ts';
import { loadSpec } from '../../src/spec/load.ts';

const droplet = { type: 'object', required: ['id', 'name'], properties: { id: { type: 'integer' }, name: { type: 'string' } } };

describe('ids and items found by the response schema', () => {
  it('an id inside an envelope, whatever else sits next to it', () => {
    const wrapped = { type: 'object', properties: { links: { type: 'object', properties: { id: { type: 'string' } } }, droplet } };
    // Named like the resource, the wrapper is looked into first, although `links` comes first and holds an `id` too.
    expect(idPath(wrapped, 'droplet_id', '/droplets')).toEqual(['droplet', 'id']);
    expect(idPath(droplet, 'droplet_id', '/droplets')).toEqual(['id']);
    expect(idPath({ type: 'object', properties: { user: { type: 'object', properties: { id: { type: 'string' }, username: { type: 'string' } } } } }, 'username')).toEqual(['user', 'username']);
    expect(idPath({ type: 'object', properties: { items: { type: 'array', items: droplet } } }, 'droplet_id')).toBeUndefined();
  });

  it('recursive schemas end', () => {
    const node: Record<string, any> = { type: 'object', properties: {} };
    node.properties.child = node;
    expect(idPath(node, 'node_id')).toBeUndefined();
    expect(itemsPath(node)).toBeUndefined();
  });

  it('items of a list: a bare array, or the array property named like the resource', () => {
    expect(itemsPath({ type: 'array', items: droplet })).toEqual([]);
    expect(itemsPath({ type: 'object', properties: { meta: { type: 'object', properties: { total: { type: 'integer' } } }, droplets: { type: 'array', items: droplet } } }, '/droplets')).toEqual(['droplets']);
  });

  it('the generic profile reads the new id, list ids and the echo root of an envelope-wrapping API', async () => {
    const spec = await loadSpec(join(import.meta.dirname, '../corpus/realworld-31.yaml'));
    const [resource] = genericProfile(spec, 'realworld-31.yaml').resources;
    expect(resource).toMatchObject({ name: 'droplets', create: 'createDroplet', idParam: 'droplet_id' });
    expect(resource!.idFrom({ links: { actions: [{ id: 9 }] }, droplet: { id: 42, name: 'a', region: 'nyc1' } })).toBe('42');
    // Not by position: a body without the documented envelope gives nothing from it (only the common shapes).
    expect(resource!.idFrom({ links: { actions: [{ id: 9 }] } })).toBeUndefined();
    expect(resource!.listIds!({ droplets: [{ id: 1 }, { id: 2 }] })).toEqual(['1', '2']);
    expect(resource!.echoRoot!({ droplet: { id: 1, name: 'a' } })).toEqual({ id: 1, name: 'a' });
  });
});

describe('ids in oneOf responses', () => {
  it('an id that every branch declares is found through the branches', () => {
    const source = { type: 'object', properties: { result: { oneOf: [{ type: 'object', properties: { id: { type: 'string' }, kind: { const: 'log' } } }, { type: 'object', properties: { id: { type: 'string' }, kind: { const: 'trace' } } }] } } };
    expect(idPath(source, 'sourceId', '/sources')).toEqual(['result', 'id']);
    expect(idPath({ type: 'object', properties: { result: { oneOf: [{ type: 'string' }, { type: 'integer' }] } } }, 'sourceId')).toBeUndefined();
  });
});
