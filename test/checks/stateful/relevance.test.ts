import { describe, expect, it } from 'vitest';
import { checksFor } from '../../../src/checks/listing.ts';
import { checksFollowing, LIFECYCLE_PROBE_CHECKS, STATEFUL_CHECKS, statefulChecksOf } from '../../../src/checks/stateful/registry.ts';
import { genericProfile } from '../../../src/providers/generic.ts';
import { PROVIDERS } from '../../../src/providers/registry.ts';
import { loadSpec } from '../../../src/spec/load.ts';

const specs = new Map(await Promise.all(PROVIDERS.map(async (p) => [p.name, await loadSpec(p.spec)] as const)));
const provider = (name: string) => PROVIDERS.find((p) => p.name === name)!;
const op = (name: string, id: string) => specs.get(name)!.operations.find((o) => o.id === id)!;

describe('where the stateful checks can judge', () => {
  it('ids are unique across the generic checks and every provider\'s own', () => {
    for (const profile of PROVIDERS) {
      const ids = statefulChecksOf(profile).map((c) => c.id);
      expect(new Set(ids).size).toBe(ids.length);
    }
  });

  it('a read-only run can judge no lifecycle check, nor any provider probe check, anywhere', () => {
    for (const profile of PROVIDERS) {
      for (const operation of specs.get(profile.name)!.operations) {
        for (const check of [...LIFECYCLE_PROBE_CHECKS, ...(profile.probeChecks ?? [])]) expect(check.relevantTo(operation, profile, 'read-only'), `${check.id} ${operation.id}`).toBe(false);
      }
    }
  });

  it('pagination-links only where the profile reads links: the PostgreSQL profile does, the generic profile of the same spec does not', () => {
    const pg = provider('ionos-postgresql');
    const generic = genericProfile(specs.get(pg.name)!, pg.spec);
    const clustersGet = op(pg.name, 'clustersGet');
    expect(checksFor(clustersGet, pg, 'full')).toContain('pagination-links');
    expect(checksFor(clustersGet, generic, 'full')).not.toContain('pagination-links');
    expect(checksFor(clustersGet, generic, 'full')).toContain('pagination-walk');
  });

  it('delete-precondition only on ClickHouse\'s delete (a documented stop first), use-after-delete on every followed delete', () => {
    const ch = provider('clickhouse-cloud');
    expect(checksFor(op(ch.name, 'instanceDelete'), ch, 'full')).toEqual(expect.arrayContaining(['use-after-delete', 'delete-precondition']));
    const pg = provider('ionos-postgresql');
    expect(checksFor(op(pg.name, 'clustersDelete'), pg, 'full')).toContain('use-after-delete');
    expect(checksFor(op(pg.name, 'clustersDelete'), pg, 'full')).not.toContain('delete-precondition');
  });

  it('the provider\'s probe checks are listed where its probe reports them (Redis)', () => {
    const redis = provider('redis-enterprise');
    expect(checksFor(op(redis.name, 'cluster_create_bdb'), redis, 'full')).toEqual(expect.arrayContaining(['dry-run-no-side-effect', 'uid-conflict', 'role-enforcement']));
    expect(checksFor(op(redis.name, 'cluster_get_action'), redis, 'full')).toContain('action-completes');
    expect(checksFor(op(redis.name, 'cluster_get_bdbs'), redis, 'full')).not.toContain('role-enforcement');
  });

  it('the generic checks come first, then the provider\'s own', () => {
    expect(statefulChecksOf(provider('redis-enterprise')).slice(0, STATEFUL_CHECKS.length)).toEqual(STATEFUL_CHECKS);
    expect(statefulChecksOf(provider('ionos-postgresql'))).toEqual(STATEFUL_CHECKS);
  });

  it('a resource type none of whose creates succeeded names the lifecycle checks its operations would have had', () => {
    const pg = provider('ionos-postgresql');
    const clusters = pg.resources.find((r) => r.name === 'cluster')!;
    const named = checksFollowing(clusters, pg, specs.get(pg.name)!.operations);
    expect(named).toEqual(['resource-availability', 'create-echo', 'list-contains-created', 'list-omits-deleted', 'update-applied', 'use-after-delete', 'state-transitions']);
    const ch = provider('clickhouse-cloud');
    expect(checksFollowing(ch.resources[0]!, ch, specs.get(ch.name)!.operations)).toContain('delete-precondition');
  });
});
