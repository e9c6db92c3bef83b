import { describe, expect, it } from 'vitest';
import { failureId } from '../../src/report/baseline.ts';
import { groupFailures, pointersIn, resolvePointer } from '../../src/report/failure-groups.ts';
import { toHtml } from '../../src/report/html.ts';
import type { CheckResult, ConformanceReport, FailureRecord } from '../../src/report/model.ts';

const P = 'ionos-postgresql';

function failure(message: string, count: number, body = '{"items":[{"id":1}]}', extra: Partial<FailureRecord> = {}): FailureRecord {
  return {
    message,
    count,
    request: { method: 'GET', url: 'http://127.0.0.1:1/clusters', headers: { authorization: '[REDACTED]' } },
    response: { status: 200, headers: { 'content-type': 'application/json' }, body },
    curl: "curl -sS -X GET 'http://127.0.0.1:1/clusters'",
    ...extra,
  };
}

function result(operationId: string, check: string, failures: FailureRecord[], path = `/${operationId}`): CheckResult {
  return { provider: P, operationId, method: 'GET', path, check, outcome: failures.length ? 'failed' : 'passed', checked: 3, failures: failures.map((f) => ({ ...f, id: failureId(P, operationId, check, f.message) })) };
}

/** 300 operations failing the same way (numbers in the message vary), one failing differently, one clean. */
function bigReport(): ConformanceReport {
  const ops = Array.from({ length: 300 }, (_, i) => `op${i}`);
  const results: CheckResult[] = [
    ...ops.flatMap((op, i) => [result(op, 'not-a-server-error', []), result(op, 'response-schema-conformance', [failure(`the body does not match the schema for 200: /items/${i % 2}/id must be string`, 1, JSON.stringify({ items: [{ id: 7 }, { id: 8 }] }))])]),
    result('clustersGet', 'not-a-server-error', [failure('server error 500', 5, 'boom')]),
    result('clustersGet', 'response-schema-conformance', []),
  ];
  const operationList = [...ops, 'clustersGet'].map((operationId) => ({ provider: P, operationId, method: 'GET', path: `/${operationId}`, requests: 3, documented: ['200', '401'], seen: { 200: 3 }, neverSeen: ['401'], undocumented: [] }));
  return {
    schemaVersion: '1.1',
    run: { provider: P, target: 'http://127.0.0.1:1', seed: 7, startedAt: '2026-11-23T10:00:00.000Z', durationMs: 1200, interrupted: false },
    summary: { operations: 301, operationsExercised: 301, checks: results.length, passed: 301, failed: 301, skipped: 0, requests: 903 },
    coverage: { operationsExercised: 301, operations: 301, documentedStatuses: 602, documentedStatusesSeen: 301, operationList },
    timing: { durationMs: 1200, requestsPerSecond: 752.5, operations: [] },
    transient: { retried: 0, rateLimited: 0, unavailable: 0, waitedMs: 0, exhausted: 0, rateLimitHeaders: {} },
    warnings: [],
    lifecycle: [],
    results,
  };
}

const shrunkRequest = { method: 'PATCH', url: 'http://127.0.0.1:1/clusters/c1', headers: {}, body: '{"properties":{"displayName":"aaaaaaaaaaa"}}' };

const report: ConformanceReport = {
  schemaVersion: '1.1',
  run: { provider: P, target: 'http://127.0.0.1:1', seed: 7, startedAt: '2026-11-23T10:00:00.000Z', durationMs: 1200, interrupted: true, stopReason: 'SIGINT <received>' },
  summary: { operations: 2, operationsExercised: 2, checks: 4, passed: 1, failed: 2, skipped: 1, requests: 10 },
  coverage: {
    operationsExercised: 2,
    operations: 2,
    documentedStatuses: 5,
    documentedStatusesSeen: 3,
    operationList: [
      { provider: P, operationId: 'clustersGet', method: 'GET', path: '/clusters', requests: 7, documented: ['200', '401', '503'], seen: { 200: 6, 418: 1 }, neverSeen: ['401', '503'], undocumented: ['418'] },
      { provider: P, operationId: 'clustersPatch', method: 'PATCH', path: '/clusters/{clusterId}', requests: 3, documented: ['200', '4XX'], seen: { 200: 2, 404: 1 }, neverSeen: [], undocumented: [] },
    ],
  },
  timing: {
    durationMs: 1200,
    requestsPerSecond: 8.3,
    operations: [
      { provider: P, operationId: 'clustersGet', durationMs: 900, requests: 7, latencyMs: { mean: 3, p50: 3, p95: 47, max: 60 } },
      { provider: P, operationId: 'clustersPatch', durationMs: 2500, requests: 3, latencyMs: null },
    ],
  },
  transient: { retried: 4, rateLimited: 3, unavailable: 2, waitedMs: 1500, exhausted: 1, rateLimitHeaders: { 'x-ratelimit-remaining': '0' } },
  warnings: ['could not delete <cluster>'],
  lifecycle: [
    { provider: P, resource: 'cluster', readyMs: 2100 },
    { provider: P, resource: 'cluster', readyMs: 1900 },
  ],
  results: [
    result('clustersGet', 'not-a-server-error', []),
    result('clustersGet', 'response-schema-conformance', [failure('<script>alert(1)</script> /items/0/id must be string', 300)], '/clusters'),
    { ...result('clustersPatch', 'not-a-server-error', [failure('server error 500', 2, 'oops', { shrunk: { message: 'server error 500 (shrunk)', request: shrunkRequest, curl: "curl -X PATCH 'http://127.0.0.1:1/clusters/c1'", seed: 42, path: '0:1:3' } })], '/clusters/{clusterId}'), method: 'PATCH' },
    { provider: P, operationId: 'clustersPatch', method: 'PATCH', path: '/clusters/{clusterId}', check: 'response-schema-conformance', outcome: 'skipped', checked: 0, failures: [] },
  ],
};
const schemaId = failureId(P, 'clustersGet', 'response-schema-conformance', '<script>alert(1)</script> /items/0/id must be string');
const serverId = failureId(P, 'clustersPatch', 'not-a-server-error', 'server error 500');
report.baseline = { file: 'old/conformance.json', new: [schemaId], stillFailing: [serverId], fixed: ['0123456789ab'] };

/** The element whose opening tag carries `attr`, up to the first close of `tag` (no nesting of the same tag inside). */
function element(html: string, attr: string, tag: string): string {
  const start = html.indexOf(attr);
  expect(start, attr).toBeGreaterThan(-1);
  const open = html.lastIndexOf(`<${tag}`, start);
  const close = html.indexOf(`</${tag}>`, start);
  expect(close, `</${tag}> after ${attr}`).toBeGreaterThan(start);
  return html.slice(open, close + tag.length + 3);
}

describe('report.html', () => {
  const html = toHtml(report);

  it('is one self-contained page: nothing from the network, and a policy that forbids it', () => {
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain(`http-equiv="Content-Security-Policy" content="default-src 'none';`);
    expect(html).not.toMatch(/<script\b[^>]*\bsrc=/i);
    expect(html).not.toMatch(/<link\b/i);
    expect(html).not.toMatch(/(src|href)=["']?(https?:)?\/\//i);
    expect(html).not.toMatch(/@import|url\(/i);
    // Every link stays on the page.
    for (const [, href] of html.matchAll(/href="([^"]*)"/g)) expect(href).toMatch(/^#/);
  });

  it('escapes what the API sent and what the run recorded, in text and in attributes', () => {
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('could not delete &lt;cluster&gt;');
    expect(html).toContain('SIGINT &lt;received&gt;');
    // The matrix cell title carries the message escaped too.
    expect(html).toMatch(/title="response-schema-conformance: failed \(3 judged\) — &lt;script&gt;/);
    // The only script is the page's own inline one.
    expect(html.match(/<script>/g)).toHaveLength(1);
  });

  it('shows per operation: requests, statuses seen, documented never seen, undocumented, duration and p95', () => {
    const row = element(html, 'data-operation="clustersGet"', 'tr');
    const cells = [...row.matchAll(/<td class="([^"]*)"[^>]*>(.*?)<\/td>/gs)].map(([, cls, inner]) => ({ cls, text: inner!.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim() }));
    const byClass = (cls: string) => cells.filter((c) => c.cls === cls).map((c) => c.text);
    expect(byClass('passed')).toEqual(['✓']);
    expect(byClass('failed')).toEqual(['✗']);
    expect(byClass('seen')).toEqual(['200 ×6 418 ×1']);
    expect(byClass('never')).toEqual(['401 503']);
    expect(row).toContain('<span class="st">401</span><span class="st">503</span>');
    expect(byClass('undoc')).toEqual(['418']);
    expect(byClass('num')).toEqual(['7', '900 ms', '47 ms']);
    const patch = element(html, 'data-operation="clustersPatch"', 'tr');
    expect(patch).toContain('2.5 s');
    expect(patch).toContain('<td class="skipped"');
    expect(patch).toMatch(/>—<\/td><\/tr>$/); // no latency: no answers
    expect(html.match(/<tr class="[^"]*" data-operation=/g)).toHaveLength(2);
  });

  it('heads the page with totals, throughput, transient answers apart from failures, lifecycle, stop reason and baseline', () => {
    expect(html).toContain('<title>Conformance: ionos-postgresql — FAIL</title>');
    expect(html).toContain('<span class="verdict fail">FAIL</span>');
    expect(html).toContain('INTERRUPTED');
    expect(html).toContain('The run stopped early</strong>: SIGINT &lt;received&gt;');
    expect(html).toContain('1 passed · 2 failed');
    expect(html).toContain('8.3 requests/s');
    expect(html).toContain('3/5 documented statuses seen');
    const transient = html.match(/<div class="card transient">.*?<\/div><\/div>/)?.[0];
    expect(transient).toBe('<div class="card transient"><div class="k">transient (not failures)</div><div class="v">429 ×3 · 503 ×2</div><div class="d">4 retried after 1.5 s, 1 still transient when retries ran out; x-ratelimit-remaining: 0</div></div>');
    expect(element(html, '<table class="lifecycle">', 'table')).toContain('<td>cluster</td><td class="num">2</td><td class="num">1.9 s</td><td class="num">1.9 s</td><td class="num">2.1 s</td>');
    expect(html).toContain('<span class="badge new">1 new</span> <span class="badge still">1 still failing</span> <span class="badge fixed">1 fixed</span>');
    expect(html).toContain('id="fixed-0123456789ab"');
  });

  it('gives every failure its stable id, marks it against the baseline, and links failed matrix cells to it', () => {
    const schema = element(html, `id="f-${schemaId}"`, 'details');
    expect(schema).toContain('<span class="badge new">new</span>');
    expect(element(html, `id="f-${serverId}"`, 'details')).toContain('<span class="badge still">still failing</span>');
    expect(html).toContain(`<a href="#f-${schemaId}">✗</a>`);
    expect(html).toContain(`<a href="#f-${serverId}">✗</a>`);
  });

  it('opens a failure to request, response with the pointed-at values, curl and the shrunk reproduction', () => {
    const schema = element(html, `id="f-${schemaId}"`, 'details');
    expect(schema).toContain('×300');
    expect(schema).toContain('<table class="pointers">');
    expect(schema).toContain('<td>/items/0/id</td><td>response</td><td>1</td>');
    expect(schema).toContain('&quot;id&quot;: <mark title="/items/0/id">1</mark>');
    expect(schema).toContain('GET http://127.0.0.1:1/clusters\nauthorization: [REDACTED]');
    expect(schema).toContain('HTTP 200\ncontent-type: application/json');
    expect(schema).toContain('<pre class="curl">curl -sS -X GET &#39;http://127.0.0.1:1/clusters&#39;</pre>');
    const server = element(html, `id="f-${serverId}"`, 'details');
    expect(server).not.toContain('<table class="pointers">');
    expect(server).toContain('oops');
    expect(server).toContain('fast-check seed <code>42</code>, path <code>0:1:3</code>');
    expect(server).toContain('PATCH http://127.0.0.1:1/clusters/c1');
    expect(server).toContain('&quot;displayName&quot;: &quot;aaaaaaaaaaa&quot;');
    expect(server).toContain('<pre class="curl shrunk">curl -X PATCH &#39;http://127.0.0.1:1/clusters/c1&#39;</pre>');
  });
});

describe('failures grouped by check and deduplicated by cause', () => {
  it('300 operations failing the same way are one entry with the total count and every operation', () => {
    const groups = groupFailures(bigReport());
    expect(groups.map((c) => [c.check, c.count, c.groups.length])).toEqual([
      ['response-schema-conformance', 300, 1],
      ['not-a-server-error', 5, 1],
    ]);
    const group = groups[0]!.groups[0]!;
    expect(group.operations).toHaveLength(300);
    expect(group.operations.slice(0, 2)).toEqual(['op0', 'op1']);
    expect(group.entries.map((e) => e.id)).toEqual(group.entries.map((e) => failureId(P, e.result.operationId, 'response-schema-conformance', e.failure.message)));
    const html = toHtml(bigReport());
    const detailsGroups = html.match(/<details class="group"/g) ?? [];
    expect(detailsGroups).toHaveLength(1);
    expect(html).toContain('on 300 operations: op0, op1, op2, op3 and 296 more</span>');
    expect(html.match(/<details class="failure" id="f-/g)).toHaveLength(301);
    expect(html).toMatch(/response-schema-conformance <span class="count">300<\/span> <span class="muted">failing requests, 1 distinct cause/);
    expect(html).toContain('2 distinct failures (305 failing requests)');
  });

  it('keeps different causes of one check apart, and sorts the most frequent first', () => {
    const r = bigReport();
    r.results.push(result('extra', 'response-schema-conformance', [failure('the body does not parse as JSON', 1000)]));
    const schema = groupFailures(r).find((c) => c.check === 'response-schema-conformance')!;
    expect(schema.groups.map((g) => [g.count, g.operations.length])).toEqual([
      [1000, 1],
      [300, 300],
    ]);
  });

  it('names operations with their provider when the report covers several', () => {
    const r = bigReport();
    r.results.push({ ...result('clustersGet', 'not-a-server-error', [failure('server error 503', 1)]), provider: 'redis-enterprise' });
    const server = groupFailures(r).find((c) => c.check === 'not-a-server-error')!;
    expect(server.groups).toHaveLength(1);
    expect(server.groups[0]!.operations).toEqual(['ionos-postgresql clustersGet', 'redis-enterprise clustersGet']);
  });
});

describe('JSON pointers in failure messages', () => {
  it('finds the pointers a message names, and only those', () => {
    expect(pointersIn('the body does not match the schema for 200: /items/0/id must be string; /items/1/metadata/state must be equal to one of the allowed values ["A"]')).toEqual(['/items/0/id', '/items/1/metadata/state']);
    expect(pointersIn('/properties/cores: sent 2, read 4')).toEqual(['/properties/cores']);
    expect(pointersIn('(root) must be object')).toEqual([]);
    expect(pointersIn('server error 500')).toEqual([]);
  });

  it('resolves pointers, escaped keys included, and says when one points at nothing', () => {
    const doc = { items: [{ id: 1 }], 'a/b': { '~c': true } };
    expect(resolvePointer(doc, '/items/0/id')).toEqual({ found: true, value: 1 });
    expect(resolvePointer(doc, '/a~1b/~0c')).toEqual({ found: true, value: true });
    expect(resolvePointer(doc, '/items/5')).toEqual({ found: false });
    expect(resolvePointer(doc, '/clusters/abc')).toEqual({ found: false });
  });

  it('a body that is not JSON (or was truncated) is shown as text, with no pointer table', () => {
    const r = bigReport();
    r.results = [result('x', 'response-schema-conformance', [failure('/items/0/id must be string', 1, '{"items":[{"id":1}... (9000 characters)')])];
    const html = toHtml(r);
    expect(html).not.toContain('<table class="pointers">');
    expect(html).toContain('{&quot;items&quot;:[{&quot;id&quot;:1}... (9000 characters)');
  });
});
