import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli.ts';
import type { ConformanceReport } from '../../src/report/model.ts';

/**
 * A document full of what the generator cannot honour, run in generic mode against a stub API that refuses every
 * body (and a query that breaks the pattern) with 400 and answers reads with 200: the run finishes, and each
 * limitation is one warning in the report.
 */
const json = (schema: unknown) => ({ 'application/json': { schema } });
const responses = { 200: { description: 'ok', content: json({ type: 'object' }) }, 400: { description: 'refused', content: json({ type: 'object', required: ['message'], properties: { message: { type: 'string' } } }) } };
const DOC = {
  openapi: '3.1.0',
  info: { title: 'Unsupported keywords', version: '1' },
  paths: {
    '/rules': {
      get: { operationId: 'listRules', parameters: [{ name: 'q', in: 'query', schema: { type: 'string', pattern: '^(?=.*[0-9])[a-z0-9]{4,8}$' } }], responses },
      post: {
        operationId: 'createRule',
        requestBody: {
          required: true,
          content: json({
            type: 'object',
            required: ['name', 'limit'],
            properties: {
              name: { type: 'string', not: { const: 'admin' } },
              limit: { type: 'integer', minimum: 1, maximum: 9 },
              mode: { type: 'string', enum: ['a', 'b'] },
              both: { allOf: [{ type: 'string' }, { type: 'integer' }] },
              tree: { $dynamicRef: '#node' },
              tags: { type: 'array', contains: { const: 'x' }, minContains: 2, items: { type: 'string' } },
            },
            if: { properties: { mode: { const: 'a' } } },
            then: { required: ['tags'] },
          }),
        },
        responses,
      },
    },
  },
};

describe('generic mode with keywords the generator does not support', () => {
  let server: Server;
  let url = '';
  const requests: string[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push(`${req.method} ${req.url}`);
      req.resume();
      req.on('end', () => {
        const q = new URL(req.url ?? '/', 'http://stub').searchParams.get('q');
        const refused = req.method !== 'GET' || (q !== null && !/^(?=.*[0-9])[a-z0-9]{4,8}$/.test(q));
        res.writeHead(refused ? 400 : 200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(refused ? { message: 'refused' } : { items: [] }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  it('runs to the end and warns once per limitation', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'conformance-unsupported-'));
    const file = join(dir, 'unsupported.json');
    writeFileSync(file, JSON.stringify(DOC));
    const out: string[] = [];
    const code = await main(['run', '--spec', file, '--target', url, '--seed', '5', '--examples', '6', '--report-dir', dir], { out: (s) => out.push(s), err: (s) => out.push(s) });
    expect(code, out.join('\n')).toBe(0);
    const report = JSON.parse(readFileSync(join(dir, 'conformance.json'), 'utf8')) as ConformanceReport;
    expect(report.summary).toMatchObject({ operations: 2, operationsExercised: 2, failed: 0 });
    expect([...report.warnings].sort()).toEqual([
      'createRule: $dynamicRef is not supported by the generator',
      'createRule: allOf that cannot be merged (its parts contradict each other at type) is not supported by the generator',
      'createRule: if is not supported by the generator',
      'createRule: minContains is not supported by the generator',
      'createRule: not is not supported by the generator',
      'listRules: pattern ^(?=.*[0-9])[a-z0-9]{4,8}$ is not supported by the generator',
    ]);
    // Each printed once as it happened, too.
    expect(out.filter((l) => l.includes('not is not supported'))).toHaveLength(1);
    expect(requests.filter((r) => r.startsWith('POST /rules')).length).toBeGreaterThanOrEqual(6);
  });
});
