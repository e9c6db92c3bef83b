import { createServer, type Server } from 'node:http';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient } from '../../src/http/client.ts';
import { jsonCost, MAX_JSON_MEMBERS } from '../../src/http/json-cost.ts';
import type { ConformanceReport } from '../../src/report/model.ts';
import { cli } from '../cli-helpers.ts';

/** About 9 MB: one object with a million members whose names look like integers (the costliest shape for JSON.parse). */
function hostileBody(): Buffer {
  const parts: string[] = [];
  for (let i = 0; i < 1_000_000; i++) parts.push(`"${i.toString(36)}":${i % 10}`);
  return Buffer.from(`{${parts.join(',')}}`);
}

describe('bounded parsing', () => {
  let server: Server;
  let url = '';
  const body = hostileBody();
  const saved = { ...process.env };

  beforeAll(async () => {
    server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
      res.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    process.env.CONFORMANCE_TOKEN = 'json-cost-token';
  });

  afterAll(async () => {
    process.env = saved;
    await new Promise((resolve) => server.close(resolve));
  });

  it('jsonCost names a body with too many members, and lets an ordinary large body through', () => {
    expect(jsonCost(body)).toMatch(/^a body of \d+ bytes with about 1000000 object members \(more than 200000\) is too costly to validate$/);
    const ordinary = Buffer.from(JSON.stringify({ items: Array.from({ length: 20_000 }, (_, i) => ({ id: `id-${i}`, name: `name ${i}`, state: 'AVAILABLE' })) }));
    expect(ordinary.length).toBeGreaterThan(MAX_JSON_MEMBERS);
    expect(jsonCost(ordinary)).toBeUndefined();
  });

  it('the client leaves such a body unparsed and says why', async () => {
    const client = new HttpClient({ timeoutMs: 30_000, connections: 1 });
    try {
      const response = await client.send({ method: 'GET', url, headers: {} });
      expect(response.json).toBeUndefined();
      expect(response.jsonError).toBeUndefined();
      expect(response.tooCostly).toMatch(/too costly to validate/);
      expect(response.text.length).toBe(body.length);
    } finally {
      await client.close();
    }
  });

  it('a run answered with it completes within bounded memory, and the report names the answer that was too costly', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'conformance-costly-'));
    const rssBefore = process.memoryUsage().rss;
    const started = performance.now();
    const result = await cli(['run', '--provider', 'ionos-postgresql', '--target', url, '--include', 'clustersFindById', '--examples', '3', '--seed', '1', '--report-dir', dir]);
    const seconds = (performance.now() - started) / 1000;
    const grownMb = (process.memoryUsage().rss - rssBefore) / 1e6;
    // Measured, not raced: generous bounds (about 1 s and 100 MB here; before the bound, minutes and gigabytes).
    expect(seconds).toBeLessThan(60);
    expect(grownMb).toBeLessThan(500);
    const report = JSON.parse(readFileSync(join(dir, 'conformance.json'), 'utf8')) as ConformanceReport;
    expect(report.warnings).toEqual(expect.arrayContaining([expect.stringMatching(/^clustersFindById: the 200 answer to GET \/clusters\/\{clusterId\} was not validated: a body of \d+ bytes with about 1000000 object members/)]));
    // Not judged as a schema failure nor as a timeout: the answer arrived whole.
    const failed = report.results.filter((r) => r.outcome === 'failed').map((r) => r.check);
    expect(failed).not.toContain('response-schema-conformance');
    expect(failed).not.toContain('not-a-server-error');
    expect(result.out.join('\n')).toContain('too costly to validate');
  }, 120_000);
});
