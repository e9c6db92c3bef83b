import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Transport, type TransientAnswer } from '../../src/http/transport.ts';
import { TransportError } from '../../src/http/types.ts';

describe('Transport', () => {
  let received = 0;
  let url = '';
  const server = createServer((req, res) => {
    received++;
    // Every other request to /flaky is answered 503 first.
    if (req.url === '/flaky' && received % 2 === 1) res.writeHead(503, { 'retry-after': '0' }).end();
    else res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('counts every request it puts on the wire, retries included, and reports the retried answer', async () => {
    received = 0;
    const sent: (number | undefined)[] = [];
    const transient: TransientAnswer[] = [];
    const transport = new Transport({ timeoutMs: 2000 }, { onSent: (_r, status) => sent.push(status), onTransient: (a) => transient.push(a) });
    try {
      const { response, retries } = await transport.send({ method: 'GET', url: `${url}/flaky`, headers: {} });
      expect(response.status).toBe(200);
      expect(retries).toBe(1);
      await transport.send({ method: 'GET', url: `${url}/plain`, headers: {} });
      expect(transport.sent).toBe(received);
      expect(transport.sent).toBe(3);
      expect(sent).toEqual([503, 200, 200]);
      expect(transient.map((t) => [t.status, t.attempt])).toEqual([[503, 0]]);
    } finally {
      await transport.close();
    }
  });

  it('counts a request that got no answer, and a stopped run takes a 503 as it is', async () => {
    const sent: (number | undefined)[] = [];
    const transport = new Transport({ timeoutMs: 1000 }, { onSent: (_r, status) => sent.push(status), stopped: () => true });
    try {
      await expect(transport.send({ method: 'GET', url: 'http://127.0.0.1:1/', headers: {} })).rejects.toBeInstanceOf(TransportError);
      expect(transport.sent).toBe(1);
      expect(sent).toEqual([undefined]);
      received = 0;
      const { response, retries } = await transport.send({ method: 'GET', url: `${url}/flaky`, headers: {} });
      expect([response.status, retries, transport.sent]).toEqual([503, 0, 2]);
    } finally {
      await transport.close();
    }
  });
});
