import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Exchange } from '../../src/checks/types.ts';
import { secretValues, type Credentials } from '../../src/http/auth.ts';
import { ResultCollector, safeTarget } from '../../src/report/model.ts';
import { REDACTED, Redactor } from '../../src/report/redact.ts';
import { writeReports } from '../../src/report/write.ts';
import { operation, response } from '../helpers.ts';

describe('Redactor', () => {
  it('hides values under secret-looking keys, at any depth, and keeps the rest', () => {
    const r = new Redactor();
    const input = {
      properties: {
        displayName: 'prod',
        owner: { username: 'dbadmin', password: 'pw-nested-1234', passwordHint: 'pet name' },
        settings: [{ apiKey: 'k-123456', name: 'x' }, { api_key: 'k-654321' }],
      },
      access_token: 'at-123456',
      clientSecret: 'cs-123456',
      'x-private-key': '-----BEGIN KEY-----',
    };
    expect(r.value(input)).toEqual({
      properties: {
        displayName: 'prod',
        owner: { username: 'dbadmin', password: REDACTED, passwordHint: REDACTED },
        settings: [{ apiKey: REDACTED, name: 'x' }, { api_key: REDACTED }],
      },
      access_token: REDACTED,
      clientSecret: REDACTED,
      'x-private-key': REDACTED,
    });
  });

  it('hides a whole object under a secret key: a hashed password, credentials', () => {
    const r = new Redactor();
    const input = {
      credentials: { username: 'DatabaseAdmin', password: { algorithm: 'SHA-256', hash: '5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8' } },
      user: { password: { algorithm: 'SHA-256', hash: 'abcdef0123456789' } },
      newPasswordHash: 'n4bQgYhMfWWaL+qgxVrQFaO/TxsrC4Is0V1sFbDwCgg=',
      newDoubleSha1Hash: '94bdcebe19083ce2a1f959fd02f964c7af4cfc29',
      passwords: ['one-secret', 'two-secret'],
    };
    const out = r.value(input);
    expect(out).toEqual({
      credentials: { username: REDACTED, password: REDACTED },
      user: { password: { algorithm: REDACTED, hash: REDACTED } },
      newPasswordHash: REDACTED,
      newDoubleSha1Hash: REDACTED,
      passwords: [REDACTED, REDACTED],
    });
    const text = JSON.stringify(out);
    for (const secret of ['5e884898', 'abcdef0123456789', 'n4bQgY', '94bdcebe', 'one-secret', 'two-secret']) expect(text).not.toContain(secret);
  });

  it('keeps null and boolean flags under secret-looking keys (nothing to hide)', () => {
    expect(new Redactor().value({ password: null, tokenAuthEnabled: true, passwordSet: false })).toEqual({ password: null, tokenAuthEnabled: true, passwordSet: false });
  });

  it('hides secret headers whatever their value, and known secrets in other headers', () => {
    const r = new Redactor();
    r.addSecret('tok-0123456789');
    expect(
      r.headers({
        Authorization: 'Basic dXNlcjpwdw==',
        'proxy-authorization': 'Bearer x',
        cookie: 'session=abc',
        'Set-Cookie': 'session=abc; HttpOnly',
        'x-api-key': 'k',
        'x-auth-token': 't',
        'x-request-id': 'req-1',
        'x-echo': 'token was tok-0123456789',
      }),
    ).toEqual({
      Authorization: REDACTED,
      'proxy-authorization': REDACTED,
      cookie: REDACTED,
      'Set-Cookie': REDACTED,
      'x-api-key': REDACTED,
      'x-auth-token': REDACTED,
      'x-request-id': 'req-1',
      'x-echo': `token was ${REDACTED}`,
    });
  });

  it('hides every occurrence of a known secret in text and in URLs', () => {
    const r = new Redactor();
    r.addSecret('s3cr3t-value');
    expect(r.text('first s3cr3t-value then s3cr3t-value again')).toBe(`first ${REDACTED} then ${REDACTED} again`);
    expect(r.text('https://api.example.com/clusters?token=s3cr3t-value&limit=5')).toBe(`https://api.example.com/clusters?token=${REDACTED}&limit=5`);
    expect(r.text('https://api.example.com/users/s3cr3t-value/roles')).toBe(`https://api.example.com/users/${REDACTED}/roles`);
    expect(r.text('nothing to hide')).toBe('nothing to hide');
  });

  it('hides known secrets under harmless keys and inside non-JSON bodies', () => {
    const r = new Redactor();
    r.addSecret('SuperSecret123');
    expect(r.body(JSON.stringify({ note: 'my password is SuperSecret123', list: ['SuperSecret123'] }))).toBe(JSON.stringify({ note: `my password is ${REDACTED}`, list: [REDACTED] }));
    expect(r.body('password=SuperSecret123&user=x')).toBe(`password=${REDACTED}&user=x`);
    expect(r.body(undefined)).toBeUndefined();
  });

  it('ignores secrets too short to redact safely', () => {
    const r = new Redactor();
    r.addSecret('abc');
    r.addSecret('');
    r.addSecret(undefined);
    expect(r.text('abc abcd')).toBe('abc abcd');
  });

  it('knows the secret-looking keys', () => {
    const r = new Redactor();
    for (const key of ['password', 'Password', 'pass', 'token', 'refresh_token', 'secret', 'Authorization', 'apiKey', 'api-key', 'credentials', 'cookie', 'private_key', 'passwordHash', 'authentication_admin_pass', 'clientSecret', 'access_token', 'X-API-Key', 'newPasswordHash', 'dbPASSWORD']) expect(r.isSecretKey(key), key).toBe(true);
    // Word by word: a count of tokens, a bypass flag or a passive mode name no secret.
    for (const key of ['username', 'name', 'id', 'displayName', 'hashingPolicy', 'max_output_tokens', 'maxTokens', 'bypass_cache', 'passive', 'compass_heading', 'keyspace']) expect(r.isSecretKey(key), key).toBe(false);
  });

  it('leaves no piece of 8 or more characters of a secret, wherever a text was cut', () => {
    const r = new Redactor();
    const secret = 'Zq8-wLp2!vN4xR7tY';
    r.addSecret(secret);
    // Cut before redaction (a message shortened to 200 characters) leaves a prefix; a suffix comes from a body cut in front.
    for (const text of [`refused: name ${secret.slice(0, 15)}`, `...${secret.slice(4)} was echoed`, `mid ${secret.slice(3, 12)} mid`]) {
      const out = r.text(text);
      for (let i = 0; i + 8 <= secret.length; i++) expect(out, text).not.toContain(secret.slice(i, i + 8));
    }
    // Shorter pieces and unrelated text stay.
    expect(r.text('Zq8-wLp plain text')).toBe('Zq8-wLp plain text');
  });

  it('hides values under secret keys in JSON text cut anywhere (a body too long to parse for the report)', () => {
    const r = new Redactor();
    expect(r.jsonText('{"name":"a","password" : "never-told-1","nested":{"api_key":"k-9"},"max_output_tokens":"12","secret":"cut-her')).toBe(
      `{"name":"a","password" : "${REDACTED}","nested":{"api_key":"${REDACTED}"},"max_output_tokens":"12","secret":"${REDACTED}`,
    );
  });

  it('learns the values of secret-named fields of a request body, and only those', () => {
    const r = new Redactor();
    r.learn({ properties: { authentication_admin_pass: 'adm1n-Pa55-value', max_output_tokens: 'budget-value-1234', name: 'plain-name-value' } });
    expect(r.text('adm1n-Pa55-value budget-value-1234 plain-name-value')).toBe(`${REDACTED} budget-value-1234 plain-name-value`);
    expect(r.value({ max_output_tokens: 4096, authentication_admin_pass: 'x-y-z-w' })).toEqual({ max_output_tokens: 4096, authentication_admin_pass: REDACTED });
  });
});

describe('safeTarget', () => {
  it('drops userinfo, query and fragment', () => {
    expect(safeTarget('https://user:pw@api.example.com/databases/postgresql?token=abc#x')).toBe('https://api.example.com/databases/postgresql');
    expect(safeTarget('not a url')).toBe('(invalid URL)');
  });
});

describe('reports never contain credentials or secrets', () => {
  const USERNAME = 'report-user';
  const PASSWORD = 'secretpw';
  const TOKEN = 'tok-9f8e7d6c5b4a3210';
  const BODY_PASSWORD = 'SuperSecret123';
  const BASE64 = Buffer.from(`${USERNAME}:${PASSWORD}`).toString('base64');
  const FORBIDDEN = [PASSWORD, BASE64, TOKEN, BODY_PASSWORD];
  const CHECKS = ['not-a-server-error', 'status-code-conformance', 'error-envelope-conformance', 'create-echo'];

  const op = operation(
    [
      { status: '200', content: { 'application/json': { type: 'object' } } },
      { status: '4XX', content: { 'application/json': { type: 'object' } } },
    ],
    { id: 'clustersPost', method: 'post', path: '/clusters' },
  );

  function feed(collector: ResultCollector, target: string): void {
    const request = {
      method: 'POST',
      url: `${target}/clusters`,
      headers: { accept: 'application/json', 'content-type': 'application/json', authorization: `Basic ${BASE64}`, 'x-api-key': TOKEN },
      body: JSON.stringify({ properties: { displayName: 'prod', credentials: { username: 'dbadmin', password: BODY_PASSWORD }, password: BODY_PASSWORD } }),
    };
    const res = response(
      500,
      { httpStatus: 500, messages: [{ message: 'internal' }], echo: { password: BODY_PASSWORD, token: TOKEN } },
      'application/json',
      { 'set-cookie': `session=${TOKEN}`, 'www-authenticate': `Basic realm="${USERNAME}"` },
    );
    const exchange: Exchange = { operation: op, intent: 'valid', request, input: {}, response: res };
    collector.sink({ type: 'run-start', provider: 'ionos-postgresql', target, seed: 7, operations: [op], checks: CHECKS, startedAt: new Date(0).toISOString() });
    collector.sink({ type: 'operation-start', operation: op });
    collector.sink({
      type: 'exchange',
      exchange,
      outcomes: [
        { check: 'not-a-server-error', failures: ['server error 500'] },
        { check: 'error-envelope-conformance', failures: [`error 500 carries ${TOKEN} for ${BASE64}`] },
        { check: 'status-code-conformance', failures: [] },
      ],
    });
    collector.sink({ type: 'shrunk', operation: op, check: 'not-a-server-error', exchange, message: `server error 500 (shrunk, ${TOKEN})`, seed: 7, path: '0:1' });
    collector.sink({ type: 'probe', operation: op, check: 'create-echo', failures: [`/properties/password: sent "${BODY_PASSWORD}"`], exchange });
    collector.sink({ type: 'warning', message: `could not delete cluster with Basic ${BASE64} and ${PASSWORD}` });
    collector.sink({ type: 'operation-end', operation: op, durationMs: 1 });
    collector.sink({ type: 'run-end', durationMs: 10, interrupted: false });
  }

  /** A redactor set up the way a run sets it up: the credentials' secrets, the reference server's token, and write-only values as they are sent. */
  function runRedactor(knowsBodyPassword: boolean): Redactor {
    const redactor = new Redactor();
    const credentials: Credentials = { kind: 'basic', username: USERNAME, password: PASSWORD };
    for (const secret of secretValues(credentials)) redactor.addSecret(secret);
    redactor.addSecret(TOKEN);
    if (knowsBodyPassword) redactor.addSecret(BODY_PASSWORD);
    return redactor;
  }

  function writeAndRead(collector: ResultCollector): { dir: string; files: Record<string, string> } {
    const dir = mkdtempSync(join(tmpdir(), 'conformance-redact-'));
    const written = writeReports(collector.report(), dir, {});
    expect(written.map((f) => f.slice(dir.length + 1)).sort()).toEqual(['conformance.json', 'junit.xml', 'report.html', 'summary.md']);
    return { dir, files: Object.fromEntries(readdirSync(dir).map((name) => [name, readFileSync(join(dir, name), 'utf8')])) };
  }

  it('conformance.json, junit.xml and summary.md hold the failures, redacted', () => {
    const collector = new ResultCollector(runRedactor(true));
    feed(collector, 'http://127.0.0.1:8080');
    const { files } = writeAndRead(collector);
    for (const [name, content] of Object.entries(files)) {
      for (const secret of FORBIDDEN) expect(content, `${name} contains ${secret}`).not.toContain(secret);
    }
    const report = JSON.parse(files['conformance.json']!);
    const failed = report.results.filter((r: { outcome: string }) => r.outcome === 'failed');
    expect(failed.map((r: { check: string }) => r.check).sort()).toEqual(['create-echo', 'error-envelope-conformance', 'not-a-server-error']);
    const failure = failed.find((r: { check: string }) => r.check === 'not-a-server-error').failures[0];
    expect(failure.request.headers.authorization).toBe(REDACTED);
    expect(failure.request.headers['x-api-key']).toBe(REDACTED);
    expect(failure.response.headers['set-cookie']).toBe(REDACTED);
    expect(JSON.parse(failure.request.body)).toEqual({ properties: { displayName: 'prod', credentials: { username: REDACTED, password: REDACTED }, password: REDACTED } });
    expect(failure.curl).toMatch(/^curl /);
    expect(failure.curl).toContain('-u "$CONFORMANCE_USERNAME:$CONFORMANCE_PASSWORD"');
    expect(failure.shrunk).toMatchObject({ message: `server error 500 (shrunk, ${REDACTED})`, seed: 7, path: '0:1' });
    expect(failure.shrunk.request.headers.authorization).toBe(REDACTED);
    expect(report.warnings).toEqual([`could not delete cluster with ${REDACTED} and ${REDACTED}`]);
    expect(files['junit.xml']).toContain('<failure message="server error 500"');
    expect(files['summary.md']).toContain('**not-a-server-error**');
  });

  it('a password the redactor was never told about is still hidden where it sits under a secret key', () => {
    const collector = new ResultCollector(runRedactor(false));
    const op2 = op;
    collector.sink({ type: 'run-start', provider: 'p', target: 'http://127.0.0.1:8080', seed: 1, operations: [op2], checks: CHECKS, startedAt: new Date(0).toISOString() });
    const exchange: Exchange = {
      operation: op2,
      intent: 'valid',
      request: { method: 'POST', url: 'http://127.0.0.1:8080/clusters', headers: { authorization: `Basic ${BASE64}` }, body: JSON.stringify({ properties: { credentials: { username: 'u', password: BODY_PASSWORD } } }) },
      input: {},
      response: response(500, { httpStatus: 500, user: { password: BODY_PASSWORD } }),
    };
    collector.sink({ type: 'exchange', exchange, outcomes: [{ check: 'not-a-server-error', failures: ['server error 500'] }] });
    collector.sink({ type: 'run-end', durationMs: 1, interrupted: false });
    const { files } = writeAndRead(collector);
    for (const [name, content] of Object.entries(files)) {
      for (const secret of FORBIDDEN) expect(content, `${name} contains ${secret}`).not.toContain(secret);
    }
  });

  it('credentials in the target URL reach no report', () => {
    const collector = new ResultCollector(runRedactor(true));
    feed(collector, 'http://url-user:url-password-42@127.0.0.1:8080');
    const { files } = writeAndRead(collector);
    expect(JSON.parse(files['conformance.json']!).run.target).toBe('http://127.0.0.1:8080');
    for (const [name, content] of Object.entries(files)) expect(content, `${name} contains the target's password`).not.toContain('url-password-42');
  });
});
