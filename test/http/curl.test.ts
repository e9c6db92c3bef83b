import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { authorizationHeader, secretValues, type Credentials } from '../../src/http/auth.ts';
import { curlCommand } from '../../src/http/curl.ts';
import type { OutgoingRequest } from '../../src/http/types.ts';
import { REDACTED, Redactor } from '../../src/report/redact.ts';

const BASIC: Credentials = { kind: 'basic', username: 'curl-user', password: 'curl-password-77' };
const BEARER: Credentials = { kind: 'bearer', token: 'curl-token-0123456789abcdef' };
const BASE64 = Buffer.from('curl-user:curl-password-77').toString('base64');

function redactorFor(credentials: Credentials): Redactor {
  const redactor = new Redactor();
  for (const secret of secretValues(credentials)) redactor.addSecret(secret);
  return redactor;
}

function request(credentials: Credentials, overrides: Partial<OutgoingRequest> = {}): OutgoingRequest {
  return {
    method: 'POST',
    url: 'http://127.0.0.1:8080/clusters?limit=5',
    headers: { accept: 'application/json', 'content-type': 'application/json', authorization: authorizationHeader(credentials)! },
    body: JSON.stringify({ properties: { displayName: "it's mine", credentials: { username: 'dbadmin', password: 'body-password-1' } } }),
    ...overrides,
  };
}

/** The arguments a POSIX shell passes to curl for the command line, with the CONFORMANCE_* variables set. */
function shellArgs(command: string, env: Record<string, string> = {}): string[] {
  expect(command.startsWith('curl ')).toBe(true);
  const output = execFileSync('sh', ['-c', `args() { for a in "$@"; do printf '%s\\0' "$a"; done; }; args ${command.slice(5)}`], { env: { PATH: process.env.PATH ?? '', ...env }, encoding: 'utf8' });
  return output.split('\0').slice(0, -1);
}

describe('curlCommand', () => {
  it('never writes basic credentials: they come from $CONFORMANCE_USERNAME and $CONFORMANCE_PASSWORD', () => {
    const curl = curlCommand(request(BASIC), redactorFor(BASIC));
    expect(curl).not.toContain('curl-password-77');
    expect(curl).not.toContain(BASE64);
    expect(curl).not.toContain('body-password-1');
    expect(curl).toContain('-u "$CONFORMANCE_USERNAME:$CONFORMANCE_PASSWORD"');
    expect(curl).not.toMatch(/authorization/i);
  });

  it('never writes a bearer token: it comes from $CONFORMANCE_TOKEN', () => {
    const curl = curlCommand(request(BEARER), redactorFor(BEARER));
    expect(curl).not.toContain(BEARER.token);
    expect(curl).toContain('-H "Authorization: Bearer $CONFORMANCE_TOKEN"');
  });

  it('replays method, URL, headers and body through a shell exactly', () => {
    const curl = curlCommand(request(BEARER), redactorFor(BEARER));
    const args = shellArgs(curl, { CONFORMANCE_TOKEN: 'from-env' });
    expect(args).toEqual([
      '-sS',
      '-X',
      'POST',
      'http://127.0.0.1:8080/clusters?limit=5',
      '-H',
      'accept: application/json',
      '-H',
      'content-type: application/json',
      '-H',
      'Authorization: Bearer from-env',
      '--data-raw',
      JSON.stringify({ properties: { displayName: "it's mine", credentials: { username: REDACTED, password: REDACTED } } }),
    ]);
  });

  it('the basic variant expands to the user and password from the environment', () => {
    const args = shellArgs(curlCommand(request(BASIC), redactorFor(BASIC)), { CONFORMANCE_USERNAME: 'env-user', CONFORMANCE_PASSWORD: 'env-pw' });
    expect(args).toContain('-u');
    expect(args[args.indexOf('-u') + 1]).toBe('env-user:env-pw');
  });

  it('hides secret headers and known secrets in the URL', () => {
    const redactor = redactorFor(BEARER);
    const curl = curlCommand(
      request(BEARER, { method: 'GET', url: `http://127.0.0.1:8080/clusters?token=${BEARER.token}`, headers: { 'x-api-key': 'key-abcdef-123', cookie: 'session=abcdef', authorization: `Bearer ${BEARER.token}` }, body: undefined }),
      redactor,
    );
    expect(curl).not.toContain(BEARER.token);
    expect(curl).not.toContain('key-abcdef-123');
    expect(curl).not.toContain('session=abcdef');
    expect(curl).toContain(`'x-api-key: ${REDACTED}'`);
    expect(curl).toContain(`'http://127.0.0.1:8080/clusters?token=${REDACTED}'`);
    expect(curl).not.toContain('--data-raw');
  });

  it('shows deliberately wrong credentials as sent (they are no secret, and the request must replay)', () => {
    const wrong = `Basic ${Buffer.from('conformance-nobody:wrong-password-0000').toString('base64')}`;
    const curl = curlCommand(request(BASIC, { headers: { authorization: wrong } }), redactorFor(BASIC));
    expect(curl).toContain(`-H 'authorization: ${wrong}'`);
    expect(curl).not.toContain('$CONFORMANCE');
    const malformed = curlCommand(request(BASIC, { headers: { authorization: 'Basic !!not-base64' } }), redactorFor(BASIC));
    expect(malformed).toContain(`-H 'authorization: Basic !!not-base64'`);
  });

  it('a request without credentials has no -u and no Authorization', () => {
    const curl = curlCommand(request(BASIC, { headers: { accept: 'application/json' }, method: 'GET', body: undefined }), redactorFor(BASIC));
    expect(curl).toBe(`curl -sS -X GET 'http://127.0.0.1:8080/clusters?limit=5' -H 'accept: application/json'`);
  });

  it('credentials in the URL are not written out', () => {
    const curl = curlCommand(request(BASIC, { url: 'http://someone:url-password-42@127.0.0.1:8080/clusters' }), redactorFor(BASIC));
    expect(curl).not.toContain('url-password-42');
  });
});
