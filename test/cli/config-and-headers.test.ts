import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMMANDS } from '../../src/cli/commands.ts';
import { applyConfigFile, interpolate } from '../../src/cli/config-file.ts';
import { parseHeaders } from '../../src/http/headers.ts';
import type { ConformanceReport } from '../../src/report/model.ts';
import { cli } from '../cli-helpers.ts';

const FLAGS = COMMANDS.run.flags;
const dir = () => mkdtempSync(join(tmpdir(), 'conformance-config-'));

describe('config file', () => {
  it('reads conformance.config.json from the directory; flags override it; repeatable flags from the command line replace the list', async () => {
    const cwd = dir();
    writeFileSync(join(cwd, 'conformance.config.json'), JSON.stringify({ provider: 'ionos-postgresql', examples: 50, reportDir: 'out', include: ['GET'], 'allow-writes': true }));
    const values = await applyConfigFile(FLAGS, { examples: '3', include: ['clustersGet'] }, cwd, {});
    expect(values).toEqual({ provider: 'ionos-postgresql', examples: '3', 'report-dir': 'out', include: ['clustersGet'], 'allow-writes': true, configFile: join(cwd, 'conformance.config.json') });
  });

  it('reads YAML with ${ENV} interpolation, and a --var mapping', async () => {
    const cwd = dir();
    writeFileSync(join(cwd, 'conformance.config.yaml'), 'target: ${API_URL}/v1\nvar:\n  organizationId: ${ORG}\nheader:\n  - "X-Team: ${TEAM}"\nseed: 42\n');
    const values = await applyConfigFile(FLAGS, {}, cwd, { API_URL: 'https://api.example.com', ORG: '1234', TEAM: 'db' });
    expect(values).toMatchObject({ target: 'https://api.example.com/v1', var: ['organizationId=1234'], header: ['X-Team: db'], seed: '42' });
  });

  it('--config FILE wins over the file in the directory; nothing is read without either', async () => {
    const cwd = dir();
    writeFileSync(join(cwd, 'conformance.config.json'), '{"examples": 1}');
    const other = join(cwd, 'other.json');
    writeFileSync(other, '{"examples": 2}');
    expect((await applyConfigFile(FLAGS, { config: other } as Record<string, string>, cwd, {})).examples).toBe('2');
    expect(await applyConfigFile(FLAGS, { seed: '1' }, dir(), {})).toEqual({ seed: '1' });
  });

  it.each([
    ['an unknown key, with the closest option', '{"exmaples": 3}', /unknown option 'exmaples'; did you mean 'examples'\?/],
    ['a boolean option given a string', '{"allow-writes": "yes"}', /'allow-writes' must be true or false/],
    ['an unset variable', '{"target": "${NOPE_NOT_SET}"}', /uses \$\{NOPE_NOT_SET\}, which is not set/],
    ['not a mapping', '[1, 2]', /is not a mapping of options/],
    ['broken JSON', '{"examples": ', /cannot read config file/],
  ])('refuses %s in one line', async (_label, text, message) => {
    const cwd = dir();
    writeFileSync(join(cwd, 'conformance.config.json'), text);
    await expect(applyConfigFile(FLAGS, {}, cwd, {})).rejects.toThrow(message);
  });

  it('a missing --config file is a usage error of the CLI (exit 2, one line)', async () => {
    const { code, err } = await cli(['run', '--config', join(dir(), 'missing.yaml')]);
    expect(code).toBe(2);
    expect(err).toHaveLength(1);
    expect(err[0]).toMatch(/^error: cannot read config file .*missing\.yaml: ENOENT/);
  });

  it('$${ stays literal', () => {
    expect(interpolate('a $${HOME} b ${X}', { X: 'x' }, 'here')).toBe('a ${HOME} b x');
  });
});

describe('-H/--header', () => {
  it('parses Name: value, and refuses anything else', () => {
    expect(parseHeaders(['X-Trace: abc', 'x-api-key:  k1 ', 'Accept-Language: de: ch'])).toEqual({ 'x-trace': 'abc', 'x-api-key': 'k1', 'accept-language': 'de: ch' });
    expect(() => parseHeaders(['no colon here'])).toThrow(/is not 'Name: value'/);
    expect(() => parseHeaders([': value'])).toThrow(/is not 'Name: value'/);
  });

  describe('in a run', () => {
    let server: Server;
    let url: string;
    const seen: IncomingHttpHeaders[] = [];
    const SECRET = 'sekret-api-key-4711';
    beforeAll(async () => {
      server = createServer((req, res) => {
        seen.push(req.headers);
        if (req.headers['x-api-key'] !== SECRET) {
          res.writeHead(401).end();
          return;
        }
        // id must be a string: a schema failure, so that the report holds the request's curl line.
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify([{ id: 5, name: 'thing' }]));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('sends every -H header with each request, counts a credential header as credentials (the auth probes leave it out or send it wrong) and redacts it in every report', async () => {
      const work = dir();
      const spec = join(work, 'things.yaml');
      writeFileSync(spec, `openapi: 3.0.3
info: { title: things, version: '1' }
components:
  securitySchemes:
    key: { type: apiKey, in: header, name: X-Api-Key }
security: [ { key: [] } ]
paths:
  /things:
    get:
      operationId: thingsGet
      responses:
        '200':
          description: the things
          content:
            application/json:
              schema: { type: array, items: { type: object, properties: { id: { type: string }, name: { type: string } } } }
        '401': { description: no key }
`);
      const reportDir = join(work, 'reports');
      const saved = { ...process.env };
      delete process.env.CONFORMANCE_TOKEN;
      delete process.env.CONFORMANCE_USERNAME;
      delete process.env.CONFORMANCE_PASSWORD;
      try {
        const { code, err, out } = await cli(['run', '--spec', spec, '--target', url, '-H', `X-Api-Key: ${SECRET}`, '--header', 'X-Trace: conformance-ci', '--examples', '2', '--seed', '1', '--report-dir', reportDir]);
        expect(err.filter((l) => l.startsWith('error'))).toEqual([]);
        expect(code).toBe(1);
        expect(out.join('\n')).not.toContain(SECRET);
      } finally {
        process.env = saved;
      }
      expect(seen.some((h) => h['x-api-key'] === undefined)).toBe(true);
      expect(seen.some((h) => h['x-api-key'] === 'conformance-wrong-credential-0000')).toBe(true);
      const answered = seen.filter((h) => h['x-api-key'] === SECRET);
      expect(answered.length).toBeGreaterThan(0);
      expect(answered.every((h) => h['x-trace'] === 'conformance-ci')).toBe(true);
      expect(readFileSync(join(reportDir, 'conformance.json'), 'utf8')).toContain("-H 'x-api-key: [REDACTED]' -H 'x-trace: conformance-ci'");
      for (const file of readdirSync(reportDir)) expect(readFileSync(join(reportDir, file), 'utf8'), file).not.toContain(SECRET);
      const report = JSON.parse(readFileSync(join(reportDir, 'conformance.json'), 'utf8')) as ConformanceReport;
      expect(report.summary.requests).toBeGreaterThan(0);
    });
  });
});

describe('runs that send nothing, and report directories', () => {
  it('--list on a generic spec with a --target needs no credentials (it sends nothing)', async () => {
    const saved = { ...process.env };
    delete process.env.CONFORMANCE_TOKEN;
    delete process.env.CONFORMANCE_USERNAME;
    delete process.env.CONFORMANCE_PASSWORD;
    try {
      const spec = join(import.meta.dirname, '../../specs/ionos-postgresql.yaml');
      const { code, out, err } = await cli(['run', '--spec', spec, '--target', 'https://api.example.com/databases/postgresql', '--list']);
      expect(err).toEqual([]);
      expect(code).toBe(0);
      expect(out[0]).toMatch(/^plan for generic \(read-only\): \d+ operations/);
    } finally {
      process.env = saved;
    }
  });

  it('--report-dir - is refused in one line instead of creating a folder named -', async () => {
    const { code, err } = await cli(['run', '--provider', 'ionos-postgresql', '--report-dir', '-']);
    expect(code).toBe(2);
    expect(err).toEqual(['error: --report-dir - would write four reports to stdout (pass a directory; the console summary is on stdout already)']);
  });
});

describe('--json', () => {
  it('writes NDJSON events on stdout, ending with the summary whose exit code is the command\'s, and the lines for people on stderr', async () => {
    const reportDir = dir();
    const { code, out, err } = await cli(['run', '--provider', 'ionos-postgresql', '--examples', '2', '--seed', '3', '--json', '--include', 'clustersGet', '--include', 'postgresVersionsGet', '--report-dir', reportDir]);
    const events = out.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(events.map((e) => e.type)).toEqual(['run-start', 'operation-end', 'operation-end', 'run-end', 'summary']);
    expect(events[0]).toMatchObject({ type: 'run-start', provider: 'ionos-postgresql', seed: 3, operations: 2 });
    expect(events[1]).toMatchObject({ type: 'operation-end', provider: 'ionos-postgresql', requests: expect.any(Number), failedChecks: [] });
    expect(events.at(-1)).toMatchObject({ type: 'summary', verdict: 'PASS', exitCode: code, failures: [], reports: expect.arrayContaining([join(reportDir, 'conformance.json')]) });
    expect(code).toBe(0);
    expect(err.join('\n')).toMatch(/\nPASS: /);
    expect(out.join('\n')).not.toMatch(/password|authorization/i);
  });
});
