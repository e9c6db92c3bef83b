import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { requestInputArbitrary } from '../../src/generate/request.ts';
import { loadSpec } from '../../src/spec/load.ts';

describe('IONOS In-Memory DB credentials', () => {
  it('generates the password oneOf in both forms: plain text and a hashed-password object', async () => {
    const spec = await loadSpec(new URL('../../specs/ionos-inmemorydb.yaml', import.meta.url).pathname);
    const create = spec.operations.find((o) => o.id === 'ReplicasetsPost')!;
    const passwords = fc.sample(requestInputArbitrary(create), { seed: 1, numRuns: 200 }).map((i) => (i.body as { properties?: { credentials?: { password?: unknown } } }).properties?.credentials?.password);
    expect(passwords.some((p) => typeof p === 'string')).toBe(true);
    expect(passwords.some((p) => p !== null && typeof p === 'object' && 'hash' in p && 'algorithm' in p)).toBe(true);
  });
});
