import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import { startPostgresServer } from '../../fixtures/ionos-postgresql/server.ts';
import { findId, findItems, genericProfile } from '../../src/providers/generic.ts';
import { providerByName } from '../../src/providers/registry.ts';
import type { ConformanceReport } from '../../src/report/model.ts';
import { loadSpec } from '../../src/spec/load.ts';
import { buildOperations } from '../../src/spec/operations.ts';
import { matchesSelector, selectOperations } from '../../src/spec/select.ts';

const SPEC = join(import.meta.dirname, '../../specs/ionos-postgresql.yaml');

describe('generic mode: any OpenAPI document, no provider profile', () => {
  let server: Awaited<ReturnType<typeof startPostgresServer>>;
  const saved = { ...process.env };

  beforeAll(async () => {
    server = await startPostgresServer({ username: 'generic', password: 'generic-test-pw', token: 'generic-test-token', readyDelayMs: 50 });
    process.env.CONFORMANCE_USERNAME = 'generic';
    process.env.CONFORMANCE_PASSWORD = 'generic-test-pw';
  });

  afterAll(async () => {
    process.env = saved;
    await server.close();
  });

  it('infers the resources from the paths, with ids from the create responses', async () => {
    const profile = genericProfile(await loadSpec(SPEC), SPEC);
    expect(profile.resources.map((r) => [r.name, r.create, r.read, r.delete, r.idParam])).toEqual([
      ['clusters', 'clustersPost', 'clustersFindById', 'clustersDelete', 'clusterId'],
      ['users', 'usersPost', 'usersGet', 'usersDelete', 'username'],
      ['databases', 'databasesPost', 'databasesGet', 'databasesDelete', 'databasename'],
    ]);
    expect(findId({ type: 'user', id: 'u-1', properties: { username: 'alice' } }, 'username')).toBe('alice');
    expect(findId({ id: 'd-1', properties: { name: 'db1' } }, 'databasename')).toBe('db1');
    expect(findId({ status: 200, result: { service: { id: 's-1' } } }, 'serviceId')).toBe('s-1');
    expect(findItems({ items: [1, 2] })).toEqual([1, 2]);
    expect(findItems([{ uid: 1 }])).toEqual([{ uid: 1 }]);
  });

  it('runs clean against the PostgreSQL reference server using only the spec', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'conformance-generic-'));
    const out: string[] = [];
    const code = await main(['run', '--spec', SPEC, '--target', server.url, '--seed', '2', '--examples', '8', '--report-dir', dir], { out: (s) => out.push(s), err: (s) => out.push(s) });
    expect(code, out.join('\n')).toBe(0);
    const report = JSON.parse(readFileSync(join(dir, 'conformance.json'), 'utf8'));
    expect(report.run.provider).toBe('generic');
    expect(report.summary.operationsExercised).toBe(25);
    const passed = (check: string) => report.results.filter((r: { check: string; outcome: string }) => r.check === check && r.outcome === 'passed').length;
    expect(passed('resource-availability')).toBe(3);
    expect(passed('use-after-delete')).toBe(3);
    expect(passed('pagination-walk')).toBeGreaterThan(0);
  });

  it('needs a target', async () => {
    const err: string[] = [];
    expect(await main(['run', '--spec', SPEC], { out: () => {}, err: (s) => err.push(s) })).toBe(2);
    expect(err).toEqual([expect.stringMatching(/^error: generic mode .* needs --target/)]);
  });
});

/**
 * Every bundled reference server in generic mode: only the spec, no provider profile. What each run can reach
 * differs: the PostgreSQL and In-Memory DB creates pass with generated data; Redis creates pass with the spec's
 * documented example (generated ones break cross-field rules such as sharding, which only the profile knows);
 * ClickHouse refuses generated services (they name BYOC regions and warehouses the organization does not have),
 * so its run stays with the other 14 operations answering for unknown ids, and says loudly that no create succeeded.
 */
describe.each([
  { provider: 'ionos-inmemorydb', operations: 10, alerts: [], lifecycle: { 'resource-availability': 1, 'create-echo': 1, 'list-contains-created': 1, 'list-omits-deleted': 1, 'use-after-delete': 1, 'pagination-walk': 1 } },
  { provider: 'redis-enterprise', operations: 8, alerts: [], lifecycle: { 'resource-availability': 1, 'create-echo': 1, 'list-contains-created': 1, 'list-omits-deleted': 1, 'use-after-delete': 1, 'pagination-walk': 0 } },
  { provider: 'clickhouse-cloud', operations: 15, alerts: [expect.stringMatching(/^0 of 5 services creates succeeded \(instanceCreate answered 400 ×5\): lifecycle checks did not run/)], lifecycle: { 'resource-availability': 0, 'create-echo': 0, 'list-contains-created': 0, 'list-omits-deleted': 0, 'use-after-delete': 0, 'pagination-walk': 0 } },
])('generic mode against the $provider reference server', ({ provider, operations, alerts, lifecycle }) => {
  const profile = providerByName(provider);
  let server: Awaited<ReturnType<NonNullable<typeof profile.referenceServer>>>;
  const saved = { ...process.env };

  beforeAll(async () => {
    server = await profile.referenceServer!({ username: 'generic', password: 'generic-test-pw', token: 'generic-test-token', readyDelayMs: 50 });
    process.env.CONFORMANCE_USERNAME = 'generic';
    process.env.CONFORMANCE_PASSWORD = 'generic-test-pw';
    delete process.env.CONFORMANCE_TOKEN;
  });

  afterAll(async () => {
    process.env = saved;
    await server.close();
  });

  it('runs clean using only the spec, exercising every operation and deleting what it created', async () => {
    const dir = mkdtempSync(join(tmpdir(), `conformance-generic-${provider}-`));
    const out: string[] = [];
    const vars = Object.entries(server.variables).flatMap(([k, v]) => ['--var', `${k}=${v}`]);
    const started = performance.now();
    const code = await main(['run', '--spec', profile.spec, '--target', server.url, '--seed', '3', '--examples', '5', '--report-dir', dir, ...vars], { out: (s) => out.push(s), err: (s) => out.push(s) });
    expect(code, out.join('\n')).toBe(0);
    expect(performance.now() - started).toBeLessThan(15_000);
    const report = JSON.parse(readFileSync(join(dir, 'conformance.json'), 'utf8')) as ConformanceReport;
    expect(report.run.provider).toBe('generic');
    expect(report.summary).toMatchObject({ operations, operationsExercised: operations, failed: 0 });
    expect(report.warnings).toEqual(alerts);
    expect(report.alerts ?? []).toEqual(alerts);
    const passed = (check: string) => report.results.filter((r) => r.check === check && r.outcome === 'passed').length;
    expect(Object.fromEntries(Object.keys(lifecycle).map((check) => [check, passed(check)]))).toEqual(lifecycle);
    // Provider knowledge stays off: no error envelope, no cross-field acceptance.
    expect(passed('error-envelope-conformance') + passed('positive-data-acceptance')).toBe(0);
    expect(passed('not-a-server-error')).toBe(operations);
    expect(JSON.parse(readFileSync(join(dir, 'ledger.json'), 'utf8')).entries).toEqual([]);
  });
});

describe('generic profile: what it infers beyond resources', () => {
  it('a dry_run query parameter marks dry runs; the documented create example is sent once, not as a dry run', async () => {
    const spec = await loadSpec(providerByName('redis-enterprise').spec);
    const profile = genericProfile(spec, 'redis.yaml');
    expect(profile.dryRun).toEqual({ param: 'dry_run' });
    const context = { operationId: 'cluster_create_bdb', ids: new Map(), pathParams: {} };
    const generated = { name: 'generated', memory_size: 5 };
    expect(profile.prepareBody!(generated, context)).toEqual({ name: 'test-database', type: 'redis', memory_size: 1073741824 });
    expect(profile.prepareQuery!({ dry_run: true, other: 1 }, context)).toEqual({ other: 1 });
    // Only the first create: later ones keep their generated data and query.
    expect(profile.prepareBody!(generated, context)).toBe(generated);
    expect(profile.prepareQuery!({ dry_run: true }, context)).toEqual({ dry_run: true });
    expect(profile.prepareBody!(generated, { ...context, operationId: 'cluster_update_bdb' })).toBe(generated);
  });

  it('resources that share a collection name are told apart by the segments before it', () => {
    const crud = (base: string, item: string) => ({
      [base]: { post: { operationId: `create ${base}`, responses: {} }, get: { operationId: `list ${base}`, responses: {} } },
      [`${base}/{${item}}`]: { get: { operationId: `get ${base}`, responses: {} }, delete: { operationId: `delete ${base}`, responses: {} } },
    });
    const paths = { ...crud('/v1/orgs/{orgId}/roles', 'roleId'), ...crud('/v1/orgs/{orgId}/services/{serviceId}/stack/roles', 'stackRoleId'), ...crud('/v1/orgs/{orgId}/services', 'serviceId') };
    const spec = { source: 'inline', title: 't', version: '1', openapi: '3.1' as const, servers: [], securitySchemes: {}, operations: buildOperations({ paths }) };
    expect(genericProfile(spec, 'inline').resources.map((r) => [r.name, r.create, r.idParam])).toEqual([
      ['orgs/roles', 'create /v1/orgs/{orgId}/roles', 'roleId'],
      ['stack/roles', 'create /v1/orgs/{orgId}/services/{serviceId}/stack/roles', 'stackRoleId'],
      ['services', 'create /v1/orgs/{orgId}/services', 'serviceId'],
    ]);
  });

  it('no dry-run parameter and no examples: neither is assumed', async () => {
    const profile = genericProfile(await loadSpec(SPEC), SPEC);
    expect(profile.dryRun).toBeUndefined();
    expect(profile.prepareBody).toBeUndefined();
  });
});

describe('operation selection and --list', () => {
  it('selects by operationId glob, tag, method and path glob', async () => {
    const spec = await loadSpec(SPEC);
    const ids = (include: string[], exclude: string[] = []) => selectOperations(spec, include, exclude).operations.map((o) => o.id);
    expect(ids(['users*']).sort()).toEqual(['usersDelete', 'usersGet', 'usersList', 'usersPatch', 'usersPost']);
    expect(ids(['tag:Metadata'])).toEqual(['versionsGet', 'infosVersionGet', 'infosVersionsGet']);
    expect(ids(['DELETE']).sort()).toEqual(['clustersDelete', 'databasesDelete', 'usersDelete']);
    expect(ids(['/clusters/{clusterId}/databases/**'])).toEqual(['databasesGet', 'databasesDelete']);
    expect(ids(['/infos/*'], ['infosVersionsGet'])).toEqual(['infosVersionGet']);
    expect(matchesSelector(spec.operations[0]!, 'get')).toBe(false);
  });

  it('--list prints every selected operation with its checks and sends nothing', async () => {
    const out: string[] = [];
    const code = await main(['run', '--provider', 'ionos-postgresql', '--list', '--include', 'tag:Users'], { out: (s) => out.push(s), err: (s) => out.push(s) });
    expect(code).toBe(0);
    const lines = out.filter((l) => /^\s+(create|exercise|delete)\s+[A-Z]+\s/.test(l));
    expect(lines.map((l) => /\((\w+)\):/.exec(l)![1])).toEqual(['usersPost', 'usersList', 'usersGet', 'usersPatch', 'usersDelete']);
    expect(lines.find((l) => l.includes('usersList'))).toMatch(/pagination-walk.*list-contains-created/);
    expect(lines.find((l) => l.includes('usersPost'))).toMatch(/resource-availability, create-echo/);
    expect(lines.find((l) => l.includes('usersGet'))).not.toMatch(/pagination/);
  });

  it('an include that matches nothing is a usage error', async () => {
    const err: string[] = [];
    expect(await main(['run', '--provider', 'ionos-postgresql', '--list', '--include', 'nothingMatches'], { out: () => {}, err: (s) => err.push(s) })).toBe(2);
    expect(err[0]).toMatch(/^error: no operation matches/);
  });
});
