import { createServer, type Server } from 'node:http';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgresServer } from '../../fixtures/ionos-postgresql/server.ts';
import type { ConformanceReport } from '../../src/report/model.ts';
import { cli } from '../cli-helpers.ts';

/**
 * A PostgreSQL server behind a proxy that leaks every secret it can: the run's password and Authorization header in
 * response headers and error messages, the users' passwords in read answers, and in a 422 message placed so that a
 * message cut at 200 characters would keep the first 10 characters of the password. No piece of 8 or more characters
 * of any secret may reach stdout, stderr, a report file, the ledger or replay's output.
 */
const USER = 'canary';
const PASSWORD = 'Canary-Run-Pw-5f3a9c2e';
const AUTH = `Basic ${Buffer.from(`${USER}:${PASSWORD}`).toString('base64')}`;
const sentPasswords = new Set<string>();

async function leakyProxy(target: string): Promise<{ url: string; server: Server }> {
  let userCreates = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => !['host', 'connection', 'content-length'].includes(k))) as Record<string, string>;
      const path = req.url!.split('?')[0]!;
      let password: string | undefined;
      try {
        password = (JSON.parse(body) as { properties?: { password?: unknown } }).properties?.password as string | undefined;
      } catch {
        // not JSON
      }
      if (typeof password === 'string' && password.length >= 8) sentPasswords.add(password);
      const leak = { 'x-echo-password': PASSWORD, 'x-echo-authorization': req.headers.authorization ?? '', 'content-type': 'application/json' };
      if (req.method === 'POST' && /^\/clusters\/[^/]+\/users$/.test(path) && typeof password === 'string' && userCreates++ % 2 === 1) {
        // `valid data was refused 422: ` + JSON.stringify(body) cut at 200 would end 10 characters into the password.
        const prefix = '{"httpStatus":422,"messages":[{"errorCode":"echo","message":"';
        const message = `refused: ${'.'.repeat(200 - 'valid data was refused 422: '.length - prefix.length - 'refused: '.length - 10)}${password} (request ${PASSWORD})`;
        res.writeHead(422, leak);
        res.end(JSON.stringify({ httpStatus: 422, messages: [{ errorCode: 'echo', message }] }));
        return;
      }
      const answer = await fetch(`${target}${req.url}`, { method: req.method, headers, ...(body ? { body } : {}) });
      let text = await answer.text();
      if (answer.status >= 400 && text.startsWith('{')) {
        const json = JSON.parse(text) as { messages?: { message: string }[] };
        for (const m of json.messages ?? []) m.message = `${m.message} (you sent ${req.headers.authorization ?? 'nothing'} for ${USER}:${PASSWORD})`;
        text = JSON.stringify(json);
      }
      if (answer.status === 200 && /^\/clusters\/[^/]+\/users\/[^/]+$/.test(path) && sentPasswords.size > 0) {
        // Write-only passwords come back (write-only-not-returned), under their own key and inside a harmless one.
        const json = JSON.parse(text) as { properties: Record<string, unknown> };
        const [first] = sentPasswords;
        json.properties = { ...json.properties, password: first, comment: `pw is ${first}` };
        text = JSON.stringify(json);
      }
      res.writeHead(answer.status, leak);
      res.end(text);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, server };
}

/** Every piece of 8 characters of a secret found in a text (pieces of one or two repeated characters, such as padding, aside). */
function leaks(text: string, secrets: string[]): string[] {
  const found: string[] = [];
  for (const secret of secrets) {
    for (let i = 0; i + 8 <= secret.length; i++) {
      const piece = secret.slice(i, i + 8);
      if (new Set(piece).size > 2 && text.includes(piece)) found.push(`${piece} (of ${secret.length} characters)`);
    }
  }
  return found;
}

describe('secret canary', () => {
  let server: Awaited<ReturnType<typeof startPostgresServer>>;
  let proxy: { url: string; server: Server };
  const saved = { ...process.env };

  beforeAll(async () => {
    server = await startPostgresServer({ username: USER, password: PASSWORD, token: 'unused-canary-token', readyDelayMs: 20 });
    proxy = await leakyProxy(server.url);
    process.env.CONFORMANCE_USERNAME = USER;
    process.env.CONFORMANCE_PASSWORD = PASSWORD;
    delete process.env.CONFORMANCE_TOKEN;
  });

  afterAll(async () => {
    process.env = saved;
    await new Promise((resolve) => proxy.server.close(resolve));
    await server.close();
  });

  it('finds no piece of any secret in stdout, stderr, the report files, the ledger or replay output', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'conformance-canary-'));
    const run = await cli(['run', '--provider', 'ionos-postgresql', '--target', proxy.url, '--examples', '6', '--seed', '21', '--report-dir', dir]);
    expect(run.code, run.err.join('\n')).toBe(1);
    const report = JSON.parse(readFileSync(join(dir, 'conformance.json'), 'utf8')) as ConformanceReport;
    const failed = report.results.filter((r) => r.outcome === 'failed');
    // The leaks reached the checks: the refused user and the returned password are failures with their bodies.
    expect(failed.map((r) => r.check)).toEqual(expect.arrayContaining(['positive-data-acceptance', 'write-only-not-returned']));
    expect(sentPasswords.size).toBeGreaterThan(0);

    const outputs: Record<string, string> = { stdout: run.out.join('\n'), stderr: run.err.join('\n') };
    for (const file of readdirSync(dir)) outputs[file] = readFileSync(join(dir, file), 'utf8');
    expect(Object.keys(outputs)).toEqual(expect.arrayContaining(['conformance.json', 'junit.xml', 'summary.md', 'report.html', 'ledger.json']));
    for (const result of failed.filter((r) => ['positive-data-acceptance', 'write-only-not-returned', 'error-envelope-conformance'].includes(r.check)).slice(0, 3)) {
      const replay = await cli(['replay', join(dir, 'conformance.json'), result.failures[0]!.id!, '--target', proxy.url]);
      outputs[`replay ${result.check}`] = [...replay.out, ...replay.err].join('\n');
    }
    const secrets = [PASSWORD, AUTH, AUTH.slice('Basic '.length), ...sentPasswords];
    // The formats' own markup is no output data (a generated password such as '0YpropertyIsEnu' shares 'property' with JUnit's <properties>).
    const markup = /<\/?propert(y|ies)\b/g;
    for (const [where, text] of Object.entries(outputs)) expect(leaks(text.replace(markup, '<markup'), secrets), where).toEqual([]);
    expect(existsSync(join(dir, 'ledger.json'))).toBe(true);
  }, 120_000);
});
