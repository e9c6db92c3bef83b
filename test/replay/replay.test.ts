import { describe, expect, it } from 'vitest';
import { ionosPostgresql } from '../../src/providers/ionos-postgresql.ts';
import type { ConformanceReport, FailureRecord } from '../../src/report/model.ts';
import { curlArguments, findFailure, isPerRequestFailure, rebuildRequest, relatedOperations, sameKind } from '../../src/replay/index.ts';
import { loadSpec } from '../../src/spec/load.ts';
import { redisEnterprise } from '../../src/providers/redis-enterprise.ts';
import { operation } from '../helpers.ts';

function failure(overrides: Partial<FailureRecord> = {}): FailureRecord {
  return {
    id: 'abcdef012345',
    message: 'server error 500',
    count: 1,
    request: { method: 'PATCH', url: 'https://api.example.com/databases/postgresql/things/42?verbose=true&tag=a&tag=b', headers: { accept: 'application/json', 'content-type': 'application/json', authorization: '[REDACTED]', 'x-api-key': '[REDACTED]' } },
    curl: `curl -sS -X PATCH 'https://api.example.com/databases/postgresql/things/42' -H 'accept: application/json' -H "Authorization: Bearer $CONFORMANCE_TOKEN"`,
    ...overrides,
  };
}

const thing = operation([{ status: '200', content: {} }], {
  method: 'patch',
  path: '/things/{id}',
  body: {
    required: true,
    contentType: 'application/json',
    schema: { type: 'object', properties: { name: { type: 'string' }, credentials: { type: 'object', properties: { password: { type: 'string', minLength: 10, maxLength: 12, pattern: '^[a-z]+$' } } } } },
  },
});

describe('rebuilding a recorded request', () => {
  it('keeps the path and query below the target, leaves out redacted headers, and reads the credentials kind from curl', () => {
    const rebuilt = rebuildRequest(failure(), thing, 'https://api.example.com/databases/postgresql');
    expect(rebuilt.method).toBe('PATCH');
    expect(rebuilt.pathAndQuery).toBe('/things/42?verbose=true&tag=a&tag=b');
    expect(rebuilt.input.path).toEqual({ id: '42' });
    expect(rebuilt.input.query).toEqual({ verbose: 'true', tag: ['a', 'b'] });
    expect(rebuilt.headers).toEqual({ accept: 'application/json', 'content-type': 'application/json' });
    expect(rebuilt.droppedHeaders).toEqual(['x-api-key']);
    expect(rebuilt.authorization).toEqual({ kind: 'run' });
  });

  it('replaces redacted body values with fresh values that fit the schema, and reports where', () => {
    const body = JSON.stringify({ name: 'a[REDACTED]b', credentials: { password: '[REDACTED]' } });
    const rebuilt = rebuildRequest(failure({ request: { ...failure().request, body } }), thing, undefined);
    const sent = JSON.parse(rebuilt.body!);
    expect(sent.credentials.password).toMatch(/^[a-z]{10,12}$/);
    expect(sent.name).toMatch(/^a[\w-]{16}b$/);
    expect(rebuilt.substituted).toEqual(['/name', '/credentials/password']);
    expect(rebuilt.freshValues).toContain(sent.credentials.password);
    expect(rebuilt.body).not.toContain('[REDACTED]');
    // Fresh every time.
    expect(JSON.parse(rebuildRequest(failure({ request: { ...failure().request, body } }), thing, undefined).body!).credentials.password).not.toBe(sent.credentials.password);
  });

  it('breaks a fresh secret value the way the recorded constraint says (from failure.constraint, not the message)', () => {
    const body = JSON.stringify({ name: 'x', credentials: { password: '[REDACTED]' } });
    const invalid = failure({ message: 'REWORDED anything', request: { ...failure().request, body }, intent: 'invalid', constraint: 'body/credentials/password not matching ^[a-z]+$', strict: true, replay: 'request' });
    const rebuilt = rebuildRequest(invalid, thing, undefined);
    expect(rebuilt.reapplied).toBe('body/credentials/password not matching ^[a-z]+$');
    expect(JSON.parse(rebuilt.body!).credentials.password).not.toMatch(/^[a-z]+$/);
    // A valid request with a redacted secret gets a fresh value that fits.
    const valid = rebuildRequest({ ...invalid, intent: 'valid' }, thing, undefined);
    expect(valid.reapplied).toBeUndefined();
    expect(JSON.parse(valid.body!).credentials.password).toMatch(/^[a-z]{10,12}$/);
  });

  it('sends a body without redactions verbatim', () => {
    const body = '{"name":"x", "spaced": true}';
    expect(rebuildRequest(failure({ request: { ...failure().request, body } }), thing, undefined).body).toBe(body);
  });

  it('sends no credentials when none were sent, the recorded wrong ones as shown, and the viewer account from its variables', () => {
    const headers = { accept: 'application/json' };
    expect(rebuildRequest(failure({ request: { ...failure().request, headers } }), thing, undefined).authorization).toEqual({ kind: 'none' });
    const wrong = failure({ curl: `curl -sS -X PATCH 'https://x/things/42' -H 'authorization: Basic !!not-base64'` });
    expect(rebuildRequest(wrong, thing, undefined).authorization).toEqual({ kind: 'as-recorded', value: 'Basic !!not-base64' });
    const viewer = failure({ curl: `curl -sS -X PATCH 'https://x/things/42' -u "$CONFORMANCE_VIEWER_USERNAME:$CONFORMANCE_VIEWER_PASSWORD"` });
    const viewerAccounts = redisEnterprise.extraAccounts;
    expect(rebuildRequest(viewer, thing, undefined, viewerAccounts).authorization).toEqual({ kind: 'account', name: 'viewer' });
    // Without the profile's account, the placeholder is the run's own (no provider knowledge in the engine).
    expect(rebuildRequest(viewer, thing, undefined).authorization).toEqual({ kind: 'run' });
  });

  it('splits curl lines as the shell would', () => {
    expect(curlArguments(`curl -X 'GET' -H 'a: it'\\''s' -u "$U:$P" --data-raw '{"a": 1}'`)).toEqual(['curl', '-X', 'GET', '-H', "a: it's", '-u', '$U:$P', '--data-raw', '{"a": 1}']);
  });
});

describe('what a replay re-runs', () => {
  it('judges per-response checks on one request, and sequences for the rest, from the recorded replay kind', () => {
    const f = failure({ intent: 'valid', replay: 'request' });
    expect(isPerRequestFailure('not-a-server-error', f, ionosPostgresql)).toBe(true);
    expect(isPerRequestFailure('logs-limit-direction', f, ionosPostgresql)).toBe(true);
    expect(isPerRequestFailure('use-after-delete', { ...f, replay: 'sequence' }, ionosPostgresql)).toBe(false);
    expect(isPerRequestFailure('pagination-walk', { ...f, replay: 'sequence' }, ionosPostgresql)).toBe(false);
    // An exchange check, but judged against what earlier requests sent.
    expect(isPerRequestFailure('write-only-not-returned', f, ionosPostgresql)).toBe(false);
    expect(isPerRequestFailure('not-a-server-error', { ...f, request: { method: '', url: '', headers: {} } }, ionosPostgresql)).toBe(false);
  });

  it('never reads the message: the same wording is per-request or a sequence as the data says', () => {
    const message = 'body/x above its maximum was answered 200, expected a 4xx refusal';
    const invalid = failure({ message, intent: 'invalid', constraint: 'body/x above its maximum', strict: true, replay: 'request' });
    expect(isPerRequestFailure('negative-data-rejection', invalid, ionosPostgresql)).toBe(true);
    expect(isPerRequestFailure('negative-data-rejection', { ...invalid, message: 'REWORDED refusal 4xx a expected' }, ionosPostgresql)).toBe(true);
    // "changed the resource" is a probe finding: a sequence, whatever its message says.
    expect(isPerRequestFailure('negative-data-rejection', { ...invalid, replay: 'sequence' }, ionosPostgresql)).toBe(false);
    // A report written before 1.4 records neither: its failures are replayed as sequences.
    expect(isPerRequestFailure('negative-data-rejection', failure({ message }), ionosPostgresql)).toBe(false);
    expect(isPerRequestFailure('not-a-server-error', failure(), ionosPostgresql)).toBe(false);
  });

  it('judges a replayed sequence by the kind of failure, never by its message', () => {
    const unknownId = failure({ message: 'REWORDED whatever', intent: 'unknown-id', replay: 'request' });
    // The same check on a request with the same intent fails again, in any wording.
    expect(sameKind(failure({ message: 'a request for an unknown id was answered 200', intent: 'unknown-id', replay: 'request' }), unknownId)).toBe(true);
    // The check failing on a request sent for another reason is not this failure coming back.
    expect(sameKind(failure({ message: 'a request for an unknown id was answered 200', intent: 'valid', replay: 'request' }), unknownId)).toBe(false);
    const stateful = failure({ intent: 'lifecycle', replay: 'sequence' });
    expect(sameKind(failure({ intent: 'valid', replay: 'sequence' }), stateful)).toBe(true);
    expect(sameKind(failure({ intent: 'lifecycle', replay: 'request' }), stateful)).toBe(false);
    // A report before 1.4 records neither: any failure of the check counts.
    expect(sameKind(failure({ intent: 'valid', replay: 'request' }), failure())).toBe(true);
  });

  it('restricts a sequence to the operation and the resources it involves, parents included', async () => {
    const { operations } = await loadSpec(ionosPostgresql.spec);
    expect(relatedOperations(ionosPostgresql, operations, 'clustersDelete')).toEqual(['clustersGet', 'clustersPost', 'clustersFindById', 'clustersDelete']);
    const users = relatedOperations(ionosPostgresql, operations, 'usersPatch');
    expect(users).toEqual(expect.arrayContaining(['clustersPost', 'clustersDelete', 'usersPost', 'usersGet', 'usersDelete', 'usersPatch']));
    expect(users).not.toContain('databasesPost');
    expect(relatedOperations(ionosPostgresql, operations, 'infosVersionGet')).toEqual(['infosVersionGet']);
  });

  it('finds a failure by id or unambiguous prefix', () => {
    const report = { run: {}, results: [{ provider: 'p', operationId: 'op', check: 'c', failures: [failure()] }] } as unknown as ConformanceReport;
    expect(findFailure(report, 'abcdef012345', 'r.json').failure.message).toBe('server error 500');
    expect(findFailure(report, 'abcd', 'r.json').id).toBe('abcdef012345');
    expect(() => findFailure(report, 'abc', 'r.json')).toThrow(/no failure 'abc' in r\.json/);
  });
});
