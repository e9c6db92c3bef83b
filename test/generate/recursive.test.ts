import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ValidatorCache } from '../../src/checks/validators.ts';
import { matchesSchema } from '../../src/generate/schema-match.ts';
import { MAX_GENERATED_ITEMS, schemaArbitrary } from '../../src/generate/schema-arbitrary.ts';
import { acyclic, isCyclic } from '../../src/spec/acyclic.ts';
import { compilePattern } from '../../src/spec/regexp.ts';
import type { JsonSchema } from '../../src/spec/types.ts';

const wire = <T>(value: T): T => JSON.parse(JSON.stringify(value));

/** A dereferenced comment tree: the schema object is its own descendant, as swagger-parser leaves it. */
function commentTree(): JsonSchema {
  const comment: JsonSchema = { type: 'object', required: ['body'], properties: { body: { type: 'string', minLength: 1 } } };
  (comment.properties as Record<string, unknown>).replies = { type: 'array', items: comment };
  (comment.properties as Record<string, unknown>).parent = comment;
  return comment;
}

describe('recursive schemas', () => {
  it('acyclic turns cycles into $refs, so the result serializes, and leaves acyclic schemas alone', () => {
    const tree = commentTree();
    expect(isCyclic(tree)).toBe(true);
    const flat = acyclic(tree);
    expect(isCyclic(flat)).toBe(false);
    expect(() => JSON.stringify(flat)).not.toThrow();
    const plain = { type: 'object', properties: { a: { type: 'string' } } };
    expect(acyclic(plain)).toBe(plain);
  });

  for (const openapi of ['3.0', '3.1'] as const) {
    it(`validation of a recursive schema (${openapi}): a bad node at depth 3 fails, a good tree passes`, () => {
      const validators = new ValidatorCache(openapi);
      const good = { body: 'a', replies: [{ body: 'b', replies: [{ body: 'c', parent: { body: 'd' } }] }] };
      const bad = { body: 'a', replies: [{ body: 'b', replies: [{ body: '' }] }] };
      expect(validators.validate(commentTree(), good, 'response')).toEqual([]);
      expect(validators.validate(commentTree(), bad, 'response').map((i) => i.path)).toEqual(['/replies/0/replies/0/body']);
    });
  }

  it('the generator gives finite values that validate, with nesting, and matchesSchema reads the cycle', () => {
    const tree = commentTree();
    const values = fc.sample(schemaArbitrary(tree, { direction: 'request' }), { seed: 7, numRuns: 100 }).map(wire);
    const validators = new ValidatorCache('3.1');
    for (const v of values) expect(validators.validate(tree, v, 'request'), JSON.stringify(v)).toEqual([]);
    const depth = (v: any): number => 1 + Math.max(0, ...((v.replies ?? []) as unknown[]).map(depth), v.parent ? depth(v.parent) : 0);
    expect(Math.max(...values.map(depth))).toBeGreaterThan(1);
    expect(matchesSchema(tree, values[0], 'request')).toBe(true);
    expect(matchesSchema(tree, { replies: [] }, 'request')).toBe(false);
  });

  it('allOf over a recursive schema merges one level at a time: values validate, nothing is called contradictory', () => {
    const node: JsonSchema = { type: 'object', required: ['name'], properties: { name: { type: 'string' } } };
    const props = node.properties as Record<string, unknown>;
    props.children = { type: 'array', items: node };
    props.meta = { allOf: [node, { properties: { extra: { type: 'integer' } } }] };
    const top = { allOf: [node, { type: 'object', required: ['root'], properties: { root: { type: 'boolean' } } }] };
    const warnings: string[] = [];
    const started = performance.now();
    const values = fc.sample(schemaArbitrary(top, { direction: 'request', onUnsupported: (w) => warnings.push(w) }), { seed: 3, numRuns: 30 }).map(wire);
    expect(performance.now() - started).toBeLessThan(10_000);
    const validators = new ValidatorCache('3.1');
    for (const v of values) expect(validators.validate(top, v, 'request'), JSON.stringify(v)).toEqual([]);
    expect(values.some((v) => (v as { meta?: unknown }).meta !== undefined)).toBe(true);
    expect(warnings).toEqual([]);
  });

  it('huge documented sizes are capped and named', () => {
    const warnings: string[] = [];
    const [value] = fc.sample(schemaArbitrary({ type: 'array', minItems: 100000, items: { type: 'string', pattern: '^[a-z]{100000}$' } }, { direction: 'request', onUnsupported: (w) => warnings.push(w) }), { seed: 1, numRuns: 1 });
    expect((value as unknown[]).length).toBe(MAX_GENERATED_ITEMS);
    expect(warnings).toContain(`minItems 100000 (generated with ${MAX_GENERATED_ITEMS})`);
    expect(warnings).toContain('pattern ^[a-z]{100000}$');
  });
});

describe('patterns in both regex modes', () => {
  it('a pattern that only compiles without the u flag is enforced; a \\p{L} pattern uses the u flag', () => {
    const validators = new ValidatorCache('3.0');
    const schema = { type: 'string', pattern: '^[a-zA-Z0-9_\\-\\:]+$' };
    expect(validators.validate(schema, 'ab:c-d_e', 'request')).toEqual([]);
    expect(validators.validate(schema, 'a b', 'request').map((i) => i.message)).toEqual(['must match pattern "^[a-zA-Z0-9_\\-\\:]+$"']);
    const letters = { type: 'string', pattern: '^\\p{L}+$' };
    expect(validators.validate(letters, 'Äbc', 'request')).toEqual([]);
    expect(validators.validate(letters, 'a1', 'request')).toHaveLength(1);
  });

  it('a pattern that compiles in no mode is a warning and restricts nothing', () => {
    const warnings: string[] = [];
    const validators = new ValidatorCache('3.1', (w) => warnings.push(w));
    expect(validators.validate({ type: 'object', properties: { a: { type: 'string', pattern: '^[a-z' } } }, { a: '!!' }, 'response')).toEqual([]);
    expect(validators.validate({ type: 'string', pattern: '^[a-z' }, 5, 'response')).toHaveLength(1);
    expect(warnings).toEqual([expect.stringMatching(/^pattern \^\[a-z compiles in no regex mode \(.*\): it is not checked$/)]);
    expect(compilePattern('^[a-z').test('anything')).toBe(true);
  });
});

describe('schemas ajv cannot read', () => {
  it('are a warning and judge nothing, instead of ending the run', () => {
    const warnings: string[] = [];
    const validators = new ValidatorCache('3.0', (w) => warnings.push(w));
    expect(validators.validate({ type: 'file' }, 'anything', 'response')).toEqual([]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^a schema cannot be compiled \(.+\): values are not checked against it$/);
    expect(validators.validate({ type: 'string' }, 5, 'response')).toHaveLength(1);
  });
});
