import { createServer, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statusCodeConformance } from '../../src/checks/status-code-conformance.ts';
import { HttpClient, invalidUtf8 } from '../../src/http/client.ts';
import { TransportError, type HttpResponse } from '../../src/http/types.ts';
import { BIG_BODY_BYTES, startChaosServer, type ChaosServer } from '../../fixtures/chaos/server.ts';
import { context, exchange, operation } from '../helpers.ts';

const TIMEOUT_MS = 1000;
const CAP = 1024 * 1024;

/** A port nothing listens on: bound to find a free one, then closed again. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('HttpClient against the chaos server: one classification per fault', () => {
  let chaos: ChaosServer;
  let client: HttpClient;

  beforeAll(async () => {
    chaos = await startChaosServer();
    client = new HttpClient({ timeoutMs: TIMEOUT_MS, maxBodyBytes: CAP, connections: 4 });
  });

  afterAll(async () => {
    await client.close();
    await chaos.close();
  });

  const get = (path: string) => client.send({ method: 'GET', url: `${chaos.url}${path}`, headers: { accept: 'application/json' } });

  /** The TransportError a request ends in (fails the test if it got an answer instead). */
  async function transportError(path: string): Promise<TransportError> {
    const outcome = await get(path).then(
      (response) => response,
      (error: unknown) => error,
    );
    expect(outcome, `${path} was answered instead of failing`).toBeInstanceOf(TransportError);
    return outcome as TransportError;
  }

  it.each([
    ['/connection-reset', 'connection reset', 'transport: connection reset'],
    ['/hang', 'timeout', `transport: timeout (no complete answer within ${TIMEOUT_MS} ms)`],
    ['/slow-drip', 'timeout', `transport: timeout (no complete answer within ${TIMEOUT_MS} ms)`],
    ['/truncated-body', 'connection closed before the body was complete', 'transport: connection closed before the body was complete (14 of 200 bytes)'],
    ['/wrong-content-length', 'wrong content length', 'transport: wrong content length (32 bytes before the connection closed, 200 declared)'],
    ['/big-body', 'body too large', `transport: body too large (more than ${CAP} bytes)`],
    ['/big-body-declared', 'body too large', `transport: body too large (more than ${CAP} bytes)`],
  ])('%s: %s', async (path, kind, message) => {
    const error = await transportError(path);
    expect(error.kind).toBe(kind);
    expect(error.message).toBe(message);
  });

  it('stops reading a body past the cap: the server gets to write only a fraction of its 50 MB', async () => {
    await transportError('/big-body');
    await transportError('/big-body-declared');
    const written = chaos.requests.filter((r) => r.url.startsWith('/big-body')).map((r) => r.bodyBytesWritten ?? 0);
    expect(written.length).toBeGreaterThanOrEqual(2);
    // What the server wrote is at most the cap, what the kernel's socket buffers hold, and one chunk: far below 50 MB.
    for (const bytes of written) expect(bytes).toBeLessThan(BIG_BODY_BYTES / 2);
  });

  it('a closed port is refused', async () => {
    const port = await closedPort();
    const outcome = await client.send({ method: 'GET', url: `http://127.0.0.1:${port}/`, headers: {} }).catch((error: unknown) => error);
    expect(outcome).toBeInstanceOf(TransportError);
    expect((outcome as TransportError).message).toBe('transport: connection refused (nothing listens on that port)');
  });

  it('something that is not HTTP is named, with what it sent', async () => {
    const sockets: Socket[] = [];
    const server = createServer((socket) => {
      sockets.push(socket);
      socket.end('SSH-2.0-OpenSSH_9.6\r\n');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    try {
      const { port } = server.address() as { port: number };
      const outcome = await client.send({ method: 'GET', url: `http://127.0.0.1:${port}/`, headers: {} }).catch((error: unknown) => error);
      expect(outcome).toBeInstanceOf(TransportError);
      expect((outcome as TransportError).message).toBe('transport: not a valid HTTP response (it began "SSH-2.0-OpenSSH_9.6\\r\\n")');
    } finally {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('invalid JSON is an answer with a parse error, for response-schema-conformance to report', async () => {
    const response = await get('/invalid-json');
    expect(response).toMatchObject({ status: 200, contentType: 'application/json', text: '{"name": "x",}', json: undefined });
    expect(response.jsonError).toMatch(/JSON/);
  });

  it('invalid UTF-8 in a JSON body is a parse error that says where, not a silently replaced character', async () => {
    const response = await get('/invalid-utf8');
    expect(response.status).toBe(200);
    expect(response.json).toBeUndefined();
    expect(response.jsonError).toBe('invalid UTF-8 at byte 12 (0xc3 0x28); JSON must be UTF-8');
  });

  it('an HTML error page is an answer: its status and Content-Type are for the checks to judge', async () => {
    const response = await get('/html-error');
    expect(response).toMatchObject({ status: 500, contentType: 'text/html' });
    expect(response.json).toBeUndefined();
    expect(response.jsonError).toBeUndefined();
    expect(response.text).toContain('<h1>Internal Server Error</h1>');
  });

  it('a redirect is not followed: the 302 comes back, and status-code-conformance names the loop', async () => {
    const response = await get('/redirect-loop');
    expect(response.status).toBe(302);
    expect(response.headers.location).toBe('/redirect-loop');
    const op = operation([{ status: '200', content: { 'application/json': { type: 'object' } } }], { path: '/redirect-loop' });
    const ex = { ...exchange(op, response), request: { method: 'GET', url: `${chaos.url}/redirect-loop`, headers: {} } };
    expect(statusCodeConformance.run(ex, context())).toEqual(['undocumented status 302 (documented: 200); it redirects to itself (Location: /redirect-loop), a redirect loop']);
    const elsewhere: HttpResponse = { ...response, headers: { ...response.headers, location: '/somewhere-else' } };
    expect(statusCodeConformance.run({ ...ex, response: elsewhere }, context())).toEqual(['undocumented status 302 (documented: 200); it redirects to /somewhere-else (redirects are not followed)']);
  });

  it('the client keeps working after every fault: a well-behaved path still answers', async () => {
    const response = await get('/closed-port');
    expect(response).toMatchObject({ status: 200, json: { name: 'served' } });
  });
});

describe('invalidUtf8', () => {
  const bytes = (...b: number[]) => Uint8Array.from(b);

  it('accepts valid UTF-8, multi-byte sequences included', () => {
    expect(invalidUtf8(Buffer.from('{"name":"café – 日本 🎉"}'))).toBeUndefined();
    expect(invalidUtf8(bytes())).toBeUndefined();
  });

  it.each([
    ['a lone continuation byte', bytes(0x61, 0x80), 1, '0x80'],
    ['a lead byte followed by ASCII', bytes(0x63, 0xc3, 0x28), 1, '0xc3 0x28'],
    ['an overlong encoding of "/"', bytes(0xc0, 0xaf), 0, '0xc0'],
    ['an overlong three-byte sequence', bytes(0xe0, 0x80, 0xaf), 0, '0xe0 0x80'],
    ['a UTF-16 surrogate', bytes(0xed, 0xa0, 0x80), 0, '0xed 0xa0'],
    ['a code point past U+10FFFF', bytes(0xf4, 0x90, 0x80, 0x80), 0, '0xf4 0x90'],
    ['a sequence cut off at the end', bytes(0x61, 0x62, 0xe6, 0x97), 2, '0xe6 0x97'],
    ['0xFF', bytes(0xff), 0, '0xff'],
  ])('finds %s', (_label, input, offset, shown) => {
    expect(invalidUtf8(input)).toEqual({ offset, bytes: shown });
  });
});
