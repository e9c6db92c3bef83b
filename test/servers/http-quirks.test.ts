import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReferenceServer } from '../../fixtures/common/types.ts';
import { BASIC, BEARER, raw, TARGETS } from './targets.ts';

/**
 * HTTP client behaviour that no provider's documentation forbids, sent byte for byte as real clients send it,
 * against each of the four reference servers. Each quirk is also sent in a form the server must still refuse,
 * so that a server which accepted anything would fail here.
 */
describe.each(TARGETS)('$provider reference server accepts what HTTP clients send', (target) => {
  let server: ReferenceServer;
  const json = (body: unknown) => JSON.stringify(body);

  beforeAll(async () => {
    server = await target.start();
  });

  afterAll(async () => {
    await server.close();
  });

  it('a bodyless DELETE with Content-Type: application/json is a DELETE without a body', async () => {
    const withLength = await raw(server.url, 'DELETE', target.unknownItem, [['Authorization', BASIC], ['Accept', 'application/json'], ['Content-Type', 'application/json'], ['Content-Length', '0']]);
    expect(withLength.status, withLength.text).toBe(404);
    const withoutLength = await raw(server.url, 'DELETE', target.unknownItem, [['Authorization', BASIC], ['Content-Type', 'application/json']]);
    expect(withoutLength.status, withoutLength.text).toBe(404);
    const chunkedEmpty = await raw(server.url, 'DELETE', target.unknownItem, [['Authorization', BASIC], ['Content-Type', 'application/json; charset=utf-8'], ['Transfer-Encoding', 'chunked']], []);
    expect(chunkedEmpty.status, chunkedEmpty.text).toBe(404);
    // A GET that carries a Content-Type (some clients set it on every request) is read as usual.
    expect((await raw(server.url, 'GET', target.collection, [['Authorization', BASIC], ['Content-Type', 'application/json'], ['Content-Length', '0']])).status).toBe(200);
    // The same request with credentials left out still fails: the body handling does not skip authentication.
    expect((await raw(server.url, 'DELETE', target.unknownItem, [['Content-Type', 'application/json'], ['Content-Length', '0']])).status).toBe(401);
  });

  it('a charset parameter and any letter case in the JSON media type', async () => {
    for (const type of ['application/json; charset=utf-8', 'application/json;charset=UTF-8', 'Application/JSON']) {
      const body = json(target.createBody());
      const res = await raw(server.url, 'POST', target.collection, [['Authorization', BASIC], ['Content-Type', type], ['Content-Length', String(Buffer.byteLength(body))]], [body]);
      expect(res.status, `${type}: ${res.text}`).toBe(target.createStatus);
    }
    // Malformed JSON is still a 400, and a body of another media type is still refused.
    const broken = await raw(server.url, 'POST', target.collection, [['Authorization', BASIC], ['Content-Type', 'application/json; charset=utf-8']], ['{"name":']);
    expect(broken.status).toBe(400);
    const text = await raw(server.url, 'POST', target.collection, [['Authorization', BASIC], ['Content-Type', 'text/plain']], ['hello']);
    expect(text.status).toBeGreaterThanOrEqual(400);
    expect(text.status).toBeLessThan(500);
  });

  it('a body sent with Transfer-Encoding: chunked, in several chunks', async () => {
    const body = json(target.createBody());
    const cut = Math.floor(body.length / 3);
    const res = await raw(server.url, 'POST', target.collection, [['Authorization', BASIC], ['Content-Type', 'application/json'], ['Transfer-Encoding', 'chunked']], [body.slice(0, cut), body.slice(cut, 2 * cut), body.slice(2 * cut)]);
    expect(res.status, res.text).toBe(target.createStatus);
  });

  it('Expect: 100-continue: the server says continue, then answers the body', async () => {
    const body = json(target.createBody());
    const res = await raw(server.url, 'POST', target.collection, [['Authorization', BASIC], ['Content-Type', 'application/json'], ['Content-Length', String(Buffer.byteLength(body))], ['Expect', '100-continue']], [body]);
    expect(res.continued).toBe(true);
    expect(res.status, res.text).toBe(target.createStatus);
  });

  it('header names in any case, and the auth scheme in any case', async () => {
    const body = json(target.createBody());
    const res = await raw(server.url, 'POST', target.collection, [['AUTHORIZATION', BASIC.replace('Basic', 'basic')], ['CONTENT-TYPE', 'application/json'], ['content-length', String(Buffer.byteLength(body))], ['ACCEPT', 'application/json']], [body]);
    expect(res.status, res.text).toBe(target.createStatus);
    expect((await raw(server.url, 'GET', target.collection, [['authorization', BASIC.replace('Basic', 'BASIC')]])).status).toBe(200);
    // A wrong password stays wrong in any case.
    expect((await raw(server.url, 'GET', target.collection, [['AUTHORIZATION', 'basic ' + Buffer.from('sdk-user:wrong').toString('base64')]])).status).toBe(401);
  });

  it('a trailing slash on a collection and on an item', async () => {
    expect((await raw(server.url, 'GET', `${target.collection}/`, [['Authorization', BASIC]])).status).toBe(200);
    expect((await raw(server.url, 'GET', `${target.unknownItem}/`, [['Authorization', BASIC]])).status).toBe(404);
    expect((await raw(server.url, 'GET', `${target.collection}/`, [])).status).toBe(401);
  });

  it('a bearer token (scheme in any case) only where the API documents bearer authentication', async () => {
    const res = await raw(server.url, 'GET', target.collection, [['Authorization', BEARER.replace('Bearer', 'bearer')]]);
    expect(res.status).toBe(target.bearer ? 200 : 401);
  });
});
