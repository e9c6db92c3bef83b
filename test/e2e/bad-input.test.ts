import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CHAOS_SPEC, startChaosServer, type ChaosServer } from '../../fixtures/chaos/server.ts';
import { cli, type Captured } from '../cli-helpers.ts';

/*
 * The complete list of bad input: each is refused with exit code 2 and exactly one line on stderr that names the
 * problem and the fix, with no stack trace. (Some of these are also in cli.test.ts.)
 */


/** Exit 2, one line on stderr with the problem and, in parentheses at the end, the fix; no stack trace anywhere. */
function expectRefused(result: Captured, problem: RegExp, fix: RegExp): void {
  const everything = [...result.out, ...result.err].join('\n');
  expect(result.code, everything).toBe(2);
  expect(result.err, everything).toHaveLength(1);
  const [line] = result.err as [string];
  expect(line).not.toContain('\n');
  expect(line).toMatch(/^error: /);
  expect(line).toMatch(problem);
  const hint = /\(([^()]*(?:\([^()]*\)[^()]*)*)\)$/.exec(line);
  expect(hint, `no fix at the end of: ${line}`).not.toBeNull();
  expect(hint![1]).toMatch(fix);
  expect(everything).not.toContain('    at ');
  expect(everything).not.toMatch(/\bat .+:\d+:\d+/);
  expect(everything).not.toContain('this is a bug in dbaas-conformance');
}

const dir = mkdtempSync(join(tmpdir(), 'conformance-bad-input-'));
const file = (name: string, content: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const reports = (label: string) => join(dir, `reports-${label}`);
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A port nothing listens on: bound to find a free one, then closed again. */
async function closedPort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const SPEC_FIX = /fix the spec so that it validates as OpenAPI 3\.x/;

const CONFORMANCE_ENV = ['CONFORMANCE_TOKEN', 'CONFORMANCE_USERNAME', 'CONFORMANCE_PASSWORD'];
beforeEach(() => {
  const saved = Object.fromEntries(CONFORMANCE_ENV.map((k) => [k, process.env[k]]));
  for (const k of CONFORMANCE_ENV) delete process.env[k];
  return () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
});

describe('bad input: exit 2, one line naming the problem and the fix, no stack trace', () => {
  // A reachable target, so that each case fails on its own problem rather than on the target.
  let chaos: ChaosServer;
  beforeAll(async () => {
    chaos = await startChaosServer();
  });
  afterAll(async () => {
    await chaos.close();
  });

  it.each([
    ['truncated JSON', 'truncated.json', '{"openapi": "3.0.3", "info": {"title": "x", '],
    ['broken YAML', 'broken.yaml', 'openapi: 3.0.3\ninfo: [\n  : {{{\n'],
    ['binary', 'binary.yaml', Buffer.from([0x00, 0x01, 0xff, 0xfe, 0x80, 0x0a, 0x3a, 0x3a])],
  ])('a spec that is neither YAML nor JSON (%s)', async (_label, name, content) => {
    const spec = file(name, content);
    const result = await cli(['run', '--spec', spec, '--target', chaos.url, '--report-dir', reports(name)]);
    expectRefused(result, new RegExp(`^error: invalid OpenAPI document ${escape(spec)}: Error parsing ${escape(spec)}: \\S`), SPEC_FIX);
  });

  it.each([
    ['plain words', 'words.txt', 'just some words, not a document at all\n'],
    ['nothing', 'empty.yaml', ''],
  ])('a spec file that holds no document (%s)', async (_label, name, content) => {
    const spec = file(name, content);
    const result = await cli(['run', '--spec', spec, '--target', chaos.url, '--report-dir', reports(name)]);
    expectRefused(result, new RegExp(`^error: invalid OpenAPI document ${escape(spec)}: the file holds no OpenAPI document`), SPEC_FIX);
  });

  it('a spec that fails OpenAPI validation', async () => {
    // No info.version, and a response that is a number instead of an object.
    const spec = file('invalid.yaml', 'openapi: 3.0.3\ninfo:\n  title: x\npaths:\n  /a:\n    get:\n      responses:\n        "200": 12\n');
    const result = await cli(['run', '--spec', spec, '--target', chaos.url, '--report-dir', reports('invalid')]);
    // The message says where: the first lines of the validator's detail, not only that validation failed.
    expectRefused(result, new RegExp(`^error: invalid OpenAPI document ${escape(spec)}: OpenAPI schema validation failed: .*version`), SPEC_FIX);
  });

  it('a spec with a dangling $ref', async () => {
    const spec = file(
      'dangling.yaml',
      'openapi: 3.0.3\ninfo:\n  title: x\n  version: "1"\npaths:\n  /a:\n    get:\n      responses:\n        "200":\n          description: ok\n          content:\n            application/json:\n              schema:\n                $ref: "#/components/schemas/Missing"\n',
    );
    const result = await cli(['run', '--spec', spec, '--target', chaos.url, '--report-dir', reports('dangling')]);
    expectRefused(result, new RegExp(`^error: invalid OpenAPI document ${escape(spec)}: dangling \\$ref: .*#/components/schemas/Missing`), SPEC_FIX);
  });

  it('a spec file that does not exist', async () => {
    const spec = join(dir, 'no-such-spec.yaml');
    expectRefused(await cli(['run', '--spec', spec, '--target', chaos.url]), new RegExp(`^error: spec file not found: ${escape(spec)} `), /pass an existing OpenAPI file with --spec/);
  });

  it('an unknown provider', async () => {
    expectRefused(await cli(['run', '--provider', 'no-such-db', '--target', chaos.url]), /^error: unknown provider 'no-such-db' /, /^choose one of: ionos-postgresql, ionos-inmemorydb, clickhouse-cloud, redis-enterprise$/);
  });

  it('an unknown flag', async () => {
    expectRefused(await cli(['run', '--spec', CHAOS_SPEC, '--target', chaos.url, '--bogus']), /^error: Unknown option '--bogus' /, /^run `conformance run --help` for its options$/);
  });

  it.each([
    ['not a URL at all', 'not a url', /^error: --target 'not a url' is not a URL /, /^pass the API server root, for example https:\/\//],
    ['a URL that is not http(s)', 'ftp://127.0.0.1/api', /^error: --target must be http or https, not ftp: /, /^pass an http\(s\) URL$/],
  ])('a target that is %s', async (_label, target, problem, fix) => {
    expectRefused(await cli(['run', '--spec', CHAOS_SPEC, '--target', target, '--report-dir', reports('target')]), problem, fix);
  });

  it('an unreachable target (a closed port): nothing is written', async () => {
    const port = await closedPort();
    const out = reports('unreachable');
    const result = await cli(['run', '--spec', CHAOS_SPEC, '--target', `http://127.0.0.1:${port}`, '--report-dir', out]);
    expectRefused(result, new RegExp(`^error: target http://127\\.0\\.0\\.1:${port} is unreachable: transport: connection refused \\(nothing listens on that port\\) `), /^check the URL and that the API is up$/);
    expect(existsSync(join(out, 'conformance.json'))).toBe(false);
  });

  it('a target that does not speak HTTP', async () => {
    // Something else listens there: it greets in its own protocol and hangs up.
    const sockets: Socket[] = [];
    const server: NetServer = createNetServer((socket) => {
      sockets.push(socket);
      socket.end('SSH-2.0-OpenSSH_9.6\r\n');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    try {
      const { port } = server.address() as { port: number };
      const result = await cli(['run', '--spec', CHAOS_SPEC, '--target', `http://127.0.0.1:${port}`, '--report-dir', reports('not-http')]);
      expectRefused(result, new RegExp(`^error: target http://127\\.0\\.0\\.1:${port} is unreachable: transport: not a valid HTTP response \\(it began "SSH-2\\.0-OpenSSH_9\\.6\\\\r\\\\n"\\) `), /^check the URL and that the API is up$/);
    } finally {
      // undici leaves its end of a connection it could not parse open: close ours, or close() waits for it.
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('missing credentials for a provider that needs them', async () => {
    const result = await cli(['run', '--provider', 'ionos-postgresql', '--target', chaos.url, '--report-dir', reports('credentials')]);
    expectRefused(result, /^error: the ionos-postgresql API requires credentials and none are set /, /^set CONFORMANCE_TOKEN, or CONFORMANCE_USERNAME and CONFORMANCE_PASSWORD$/);
    // Refused before a request was sent.
    expect(chaos.requests).toEqual([]);
  });

  it('only half of a username and password', async () => {
    process.env.CONFORMANCE_USERNAME = 'someone';
    const result = await cli(['run', '--provider', 'ionos-postgresql', '--target', chaos.url, '--report-dir', reports('half-credentials')]);
    expectRefused(result, /^error: only one of CONFORMANCE_USERNAME and CONFORMANCE_PASSWORD is set /, /^set both, or set CONFORMANCE_TOKEN instead$/);
  });

  it.each([
    ['without =', 'organizationId'],
    ['without a name', '=1234'],
  ])('a malformed --var (%s)', async (_label, value) => {
    const result = await cli(['run', '--provider', 'clickhouse-cloud', '--target', chaos.url, '--var', value, '--report-dir', reports('var')]);
    expectRefused(result, new RegExp(`^error: --var '${escape(value)}' is not NAME=VALUE `), /^for example --var organizationId=1234$/);
  });
});
