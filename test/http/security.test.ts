import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cli } from '../cli-helpers.ts';

const KEY = 'api-key-secret-4242';
const CLIENT = { id: 'conformance-client', secret: 'client-secret-9999' };
const TOKEN = 'oauth-access-token-7777';

/** How each scheme's credentials arrive; the server answers 401 to anything else. */
const SCHEMES = {
  header: { scheme: '{ type: apiKey, in: header, name: X-Api-Key }', carried: (req: IncomingMessage) => req.headers['x-api-key'] as string | undefined },
  query: { scheme: '{ type: apiKey, in: query, name: api_key }', carried: (req: IncomingMessage) => new URL(req.url!, 'http://x').searchParams.get('api_key') ?? undefined },
  cookie: { scheme: '{ type: apiKey, in: cookie, name: session }', carried: (req: IncomingMessage) => /(?:^|; )session=([^;]*)/.exec(req.headers.cookie ?? '')?.[1] },
  oauth2: { scheme: '{ type: oauth2, flows: { clientCredentials: { tokenUrl: /oauth/token, scopes: { read: read things } } } }', carried: (req: IncomingMessage) => req.headers.authorization?.replace(/^Bearer /, '') },
} as const;
const EXPECTED: Record<keyof typeof SCHEMES, string> = { header: KEY, query: KEY, cookie: KEY, oauth2: TOKEN };

describe('credentials from the spec\'s securitySchemes', () => {
  let server: Server;
  let url: string;
  let kind: keyof typeof SCHEMES = 'header';
  const seen: { carried: string | undefined; url: string }[] = [];
  const tokenRequests: { authorization?: string; body: string }[] = [];
  const saved = { ...process.env };

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/oauth/token') {
        let body = '';
        req.on('data', (c) => (body += c));
        req.on('end', () => {
          tokenRequests.push({ authorization: req.headers.authorization, body });
          const ok = req.headers.authorization === `Basic ${Buffer.from(`${CLIENT.id}:${CLIENT.secret}`).toString('base64')}` && new URLSearchParams(body).get('grant_type') === 'client_credentials';
          res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' }).end(JSON.stringify(ok ? { access_token: TOKEN, token_type: 'Bearer', expires_in: 3600 } : { error: 'invalid_client' }));
        });
        return;
      }
      const carried = SCHEMES[kind].carried(req);
      seen.push({ carried, url: req.url! });
      if (carried !== EXPECTED[kind]) return void res.writeHead(401).end();
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify([{ id: 'a' }]));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterEach(() => {
    process.env = { ...saved };
    seen.length = 0;
    tokenRequests.length = 0;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it.each(Object.keys(SCHEMES) as (keyof typeof SCHEMES)[])('%s: sends the credentials, leaves them out or sends them wrong for the auth checks, and redacts them', async (which) => {
    kind = which;
    const work = mkdtempSync(join(tmpdir(), `conformance-security-${which}-`));
    const spec = join(work, 'spec.yaml');
    writeFileSync(spec, `openapi: 3.0.3
info: { title: things, version: '1' }
components:
  securitySchemes:
    auth: ${SCHEMES[which].scheme}
security: [ { auth: [] } ]
paths:
  /things:
    get:
      operationId: thingsGet
      responses:
        '200': { description: ok, content: { application/json: { schema: { type: array, items: { type: object, properties: { id: { type: string } } } } } } }
        '401': { description: no credentials }
`);
    for (const name of ['CONFORMANCE_TOKEN', 'CONFORMANCE_USERNAME', 'CONFORMANCE_PASSWORD', 'CONFORMANCE_API_KEY', 'CONFORMANCE_CLIENT_ID', 'CONFORMANCE_CLIENT_SECRET']) delete process.env[name];
    if (which === 'oauth2') Object.assign(process.env, { CONFORMANCE_CLIENT_ID: CLIENT.id, CONFORMANCE_CLIENT_SECRET: CLIENT.secret });
    else process.env.CONFORMANCE_API_KEY = KEY;
    const reportDir = join(work, 'reports');
    const { code, out, err } = await cli(['run', '--spec', spec, '--target', url, '--examples', '2', '--seed', '2', '--report-dir', reportDir]);
    expect(err).toEqual([]);
    expect(code, out.join('\n')).toBe(0);
    expect(seen.filter((s) => s.carried === EXPECTED[which]).length).toBeGreaterThan(0);
    expect(seen.some((s) => s.carried === undefined)).toBe(true);
    expect(seen.some((s) => s.carried !== undefined && s.carried !== EXPECTED[which])).toBe(true);
    if (which === 'oauth2') expect(tokenRequests).toHaveLength(1);
    const secret = which === 'oauth2' ? TOKEN : KEY;
    for (const file of readdirSync(reportDir)) {
      const text = readFileSync(join(reportDir, file), 'utf8');
      expect(text, file).not.toContain(secret);
      expect(text, file).not.toContain(CLIENT.secret);
    }
    expect(out.join('\n')).not.toContain(secret);
  });

  it('a refused client is a one-line error naming the token endpoint and what to check', async () => {
    kind = 'oauth2';
    const work = mkdtempSync(join(tmpdir(), 'conformance-security-refused-'));
    const spec = join(work, 'spec.yaml');
    writeFileSync(spec, `openapi: 3.0.3\ninfo: { title: t, version: '1' }\ncomponents:\n  securitySchemes:\n    auth: ${SCHEMES.oauth2.scheme}\nsecurity: [ { auth: [] } ]\npaths:\n  /things:\n    get:\n      operationId: thingsGet\n      responses:\n        '200': { description: ok }\n`);
    for (const name of ['CONFORMANCE_TOKEN', 'CONFORMANCE_USERNAME', 'CONFORMANCE_PASSWORD', 'CONFORMANCE_API_KEY']) delete process.env[name];
    Object.assign(process.env, { CONFORMANCE_CLIENT_ID: CLIENT.id, CONFORMANCE_CLIENT_SECRET: 'wrong-secret' });
    const { code, err } = await cli(['run', '--spec', spec, '--target', url, '--report-dir', join(work, 'r')]);
    expect(code).toBe(2);
    expect(err).toEqual([`error: the OAuth2 token endpoint ${url}/oauth/token gave no access token (401 invalid_client) (check CONFORMANCE_CLIENT_ID, CONFORMANCE_CLIENT_SECRET and CONFORMANCE_OAUTH_SCOPES)`]);
    expect(tokenRequests).toHaveLength(2);
  });
});
