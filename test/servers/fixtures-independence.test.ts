import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REGIONS } from '../../fixtures/clickhouse-cloud/regions.ts';
import { CLICKHOUSE_REGIONS } from '../../src/providers/clickhouse-cloud.ts';

const ROOT = join(import.meta.dirname, '../..');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []));
}

describe('reference servers stand on their own', () => {
  it('import nothing from the tool (src/): they read only the spec files', () => {
    const offending = sources(join(ROOT, 'fixtures')).flatMap((file) =>
      [...readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)\b[^;]*?from\s+['"]([^'"]+)['"]/gm)]
        .map((m) => m[1]!)
        .filter((spec) => spec.startsWith('.') && relative(ROOT, join(file, '..', spec)).startsWith('src'))
        .map((spec) => `${relative(ROOT, file)}: ${spec}`),
    );
    expect(offending).toEqual([]);
  });

  it('the ClickHouse server offers the regions the provider profile generates', () => {
    expect(REGIONS).toEqual(CLICKHOUSE_REGIONS);
  });
});
