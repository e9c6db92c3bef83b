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

async function run(fault: string): Promise<{ code: number; failed: Result[] }> {
  const dir = mkdtempSync(join(tmpdir(), `conformance-ch-${fault}-`));
  const code = await main(['run', '--provider', 'clickhouse-cloud', '--seed', '3', '--examples', '6', '--report-dir', dir, '--fault', fault], { out: () => {}, err: () => {} });
  const report = JSON.parse(readFileSync(join(dir, 'conformance.json'), 'utf8')) as { results: Result[] };
  return { code, failed: report.results.filter((r) => r.outcome === 'failed') };
}

describe('ClickHouse Cloud broken variants', () => {
  it.each([
    ['no-envelope', 'instanceGetList', 'response-schema-conformance'],
    ['delete-running', 'instanceDelete', 'delete-precondition'],
    ['scaling-off-multiple', 'instanceScalingUpdate', 'negative-data-rejection'],
  ])('%s: %s fails %s', async (fault, operationId, check) => {
    const { code, failed } = await run(fault);
    expect(code).toBe(1);
    expect(failed).toContainEqual(expect.objectContaining({ operationId, check }));
  });
});
