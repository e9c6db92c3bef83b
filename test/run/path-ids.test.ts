import { describe, expect, it } from 'vitest';
import { ValidatorCache } from '../../src/checks/validators.ts';
import { PathIdCheck } from '../../src/run/path-ids.ts';
import { buildOperations } from '../../src/spec/operations.ts';

const operations = buildOperations({
  paths: {
    '/lobbies/{lobbyId}': { parameters: [{ name: 'lobbyId', in: 'path', required: true, schema: { type: 'string', pattern: '^[0-9a-f]{24}$' } }], get: { responses: {} } },
    '/droplets/{droplet_id}': { parameters: [{ name: 'droplet_id', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } }], get: { responses: {} } },
  },
});

describe('ids reused as valid path parameters fit the parameter schema', () => {
  it('an id that violates its own pattern is left out, with one warning', () => {
    const warnings: string[] = [];
    const check = new PathIdCheck(operations, new ValidatorCache('3.0'), (w) => warnings.push(w));
    expect(check.keep('lobbyId', ['string', '65a1f0c2e4b0a1b2c3d4e5f6', 'other'])).toEqual(['65a1f0c2e4b0a1b2c3d4e5f6']);
    expect(warnings).toEqual(['an id for {lobbyId} from the API does not fit the parameter\'s own schema ("string"): such ids are not used as valid ids']);
  });

  it('numeric ids are read as numbers; unknown parameters take anything', () => {
    const check = new PathIdCheck(operations, new ValidatorCache('3.0'), () => {});
    expect(check.keep('droplet_id', ['42', '0', 'abc'])).toEqual(['42']);
    expect(check.fits('other', 'anything')).toBe(true);
  });
});
