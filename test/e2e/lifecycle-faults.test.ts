import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';

interface Result {
  operationId: string;
  check: string;
  outcome: string;
}

async function runWithFault(fault: string): Promise<{ code: number; failed: Result[] }> {
  const dir = mkdtempSync(join(tmpdir(), `conformance-${fault}-`));
  const out: string[] = [];
  const code = await main(['run', '--provider', 'ionos-postgresql', '--seed', '5', '--examples', '6', '--ready-timeout', '1500', '--report-dir', dir, '--fault', fault], { out: (s) => out.push(s), err: (s) => out.push(s) });
  const report = JSON.parse(readFileSync(join(dir, 'conformance.json'), 'utf8')) as { results: Result[] };
  return { code, failed: report.results.filter((r) => r.outcome === 'failed') };
}

describe('lifecycle checks fail against broken reference servers', () => {
  it.each([
    ['delete-still-readable', 'clustersDelete', 'use-after-delete'],
    ['create-not-persisted', 'clustersPost', 'resource-availability'],
    ['create-not-persisted', 'clustersGet', 'list-contains-created'],
    ['update-not-applied', 'clustersPatch', 'update-applied'],
    ['stuck-busy', 'clustersPost', 'resource-availability'],
    ['undocumented-state', 'clustersFindById', 'state-transitions'],
    ['list-shows-deleted', 'clustersGet', 'list-omits-deleted'],
    ['create-ignores-cores', 'clustersPost', 'create-echo'],
  ])('%s: %s fails %s', async (fault, operationId, check) => {
    const { code, failed } = await runWithFault(fault);
    expect(code).toBe(1);
    expect(failed).toContainEqual(expect.objectContaining({ operationId, check }));
  });
});

describe('auth checks fail against a server that accepts anyone', () => {
  it('no-auth-accepted: clustersGet fails auth-required and auth-invalid', async () => {
    const { code, failed } = await runWithFault('no-auth-accepted');
    expect(code).toBe(1);
    expect(failed).toContainEqual(expect.objectContaining({ operationId: 'clustersGet', check: 'auth-required' }));
    expect(failed).toContainEqual(expect.objectContaining({ operationId: 'clustersGet', check: 'auth-invalid' }));
  });
});

describe('pagination and filter checks fail against broken reference servers', () => {
  it.each([
    ['limit-ignored', 'clustersGet', 'pagination-limit-respected'],
    ['offset-ignored', 'clustersGet', 'pagination-walk'],
    ['offset-ignored', 'clustersGet', 'pagination-bounds'],
    ['skip-item', 'clustersGet', 'pagination-walk'],
    ['limit-unbounded', 'clustersGet', 'pagination-bounds'],
    ['filter-ignored', 'clustersGet', 'filter-semantics'],
    ['filter-case-sensitive', 'clustersGet', 'filter-semantics'],
  ])('%s: %s fails %s', async (fault, operationId, check) => {
    const { code, failed } = await runWithFault(fault);
    expect(code).toBe(1);
    expect(failed).toContainEqual(expect.objectContaining({ operationId, check }));
  });
});

describe('negative data', () => {
  it('invalid-body-accepted: invalid bodies and parameters accepted fail negative-data-rejection', async () => {
    const { code, failed } = await runWithFault('invalid-body-accepted');
    expect(code).toBe(1);
    expect(failed).toContainEqual(expect.objectContaining({ operationId: 'clustersPatch', check: 'negative-data-rejection' }));
    expect(failed).toContainEqual(expect.objectContaining({ operationId: 'clustersPost', check: 'negative-data-rejection' }));
  });
});

describe('shrinking', () => {
  it('long-name-500: the failing patch is shrunk to the smallest body that still fails, with seed and path', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'conformance-shrink-'));
    const code = await main(['run', '--provider', 'ionos-postgresql', '--seed', '4', '--examples', '10', '--report-dir', dir, '--fault', 'long-name-500'], { out: () => {}, err: () => {} });
    expect(code).toBe(1);
    const report = JSON.parse(readFileSync(join(dir, 'conformance.json'), 'utf8'));
    const result = report.results.find((r: { operationId: string; check: string }) => r.operationId === 'clustersPatch' && r.check === 'not-a-server-error');
    const shrunk = result.failures[0].shrunk;
    expect(JSON.parse(shrunk.request.body)).toEqual({ properties: { displayName: expect.stringMatching(/^.{11}$/) } });
    expect(shrunk.request.body.length).toBeLessThan(result.failures[0].request.body.length);
    expect(shrunk.curl).toContain("--data-raw '{\"properties\":{\"displayName\":");
    expect(shrunk.path).toMatch(/^\d+(:\d+)*$/);
    expect(typeof shrunk.seed).toBe('number');
  });
});

describe('PostgreSQL log semantics', () => {
  it.each(['logs-limit-ignored', 'logs-direction-ignored'])('%s: clusterLogsGet fails logs-limit-direction', async (fault) => {
    const { code, failed } = await runWithFault(fault);
    expect(code).toBe(1);
    expect(failed).toContainEqual(expect.objectContaining({ operationId: 'clusterLogsGet', check: 'logs-limit-direction' }));
  });
});

describe('busy-conflict', () => {
  it('no-busy-check: a Redis change accepted while another is under way fails busy-conflict', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'conformance-busy-'));
    const code = await main(['run', '--provider', 'redis-enterprise', '--seed', '5', '--examples', '5', '--report-dir', dir, '--fault', 'no-busy-check'], { out: () => {}, err: () => {} });
    const report = JSON.parse(readFileSync(join(dir, 'conformance.json'), 'utf8')) as { results: Result[] };
    expect(code).toBe(1);
    expect(report.results).toContainEqual(expect.objectContaining({ operationId: 'cluster_update_bdb', check: 'busy-conflict', outcome: 'failed' }));
  });
});
