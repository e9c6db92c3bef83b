import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { connect } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HttpClient, proxyFromEnv } from '../../src/http/client.ts';

const listen = async (server: Server) => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

describe('proxy from HTTP_PROXY, HTTPS_PROXY and NO_PROXY', () => {
  let target: Server;
  let proxy: Server;
  let targetUrl: string;
  let proxyUrl: string;
  const proxied: string[] = [];
  const saved = { ...process.env };

  beforeAll(async () => {
    target = createServer((req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ via: req.headers['x-via'] ?? 'direct' })));
    // A forward proxy: absolute-form requests are forwarded, CONNECT is tunnelled; each is recorded.
    proxy = createServer((req, res) => {
      proxied.push(`${req.method} ${req.url}`);
      const url = new URL(req.url!);
      const upstream = httpRequest({ host: url.hostname, port: url.port, path: url.pathname + url.search, method: req.method, headers: { ...req.headers, 'x-via': 'proxy' } }, (up) => {
        res.writeHead(up.statusCode!, up.headers);
        up.pipe(res);
      });
      req.pipe(upstream);
    });
    proxy.on('connect', (req, socket, head) => {
      proxied.push(`CONNECT ${req.url}`);
      const [host, port] = req.url!.split(':');
      const upstream = connect(Number(port), host!, () => {
        socket.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(socket);
        socket.pipe(upstream);
      });
    });
    targetUrl = await listen(target);
    proxyUrl = await listen(proxy);
  });

  afterEach(() => {
    process.env = { ...saved };
    proxied.length = 0;
  });

  afterAll(async () => {
    await new Promise((resolve) => target.close(resolve));
    await new Promise((resolve) => proxy.close(resolve));
  });

  const send = async () => {
    const client = new HttpClient({ timeoutMs: 5000 });
    try {
      return await client.send({ method: 'GET', url: `${targetUrl}/things?x=1`, headers: {} });
    } finally {
      await client.close();
    }
  };

  it('goes through the proxy that HTTP_PROXY names', async () => {
    for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy']) delete process.env[name];
    process.env.HTTP_PROXY = proxyUrl;
    const response = await send();
    expect(response.status).toBe(200);
    expect(proxied).toHaveLength(1);
    expect(proxied[0]).toMatch(/^(GET http:\/\/127\.0\.0\.1:\d+\/things\?x=1|CONNECT 127\.0\.0\.1:\d+)$/);
  });

  it('goes direct for a host NO_PROXY lists, and without any proxy variable', async () => {
    for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy']) delete process.env[name];
    expect(proxyFromEnv(process.env)).toBe(false);
    expect((await send()).json).toEqual({ via: 'direct' });
    process.env.HTTP_PROXY = proxyUrl;
    process.env.NO_PROXY = '127.0.0.1';
    expect(proxyFromEnv(process.env)).toBe(true);
    expect((await send()).json).toEqual({ via: 'direct' });
    expect(proxied).toEqual([]);
  });
});
