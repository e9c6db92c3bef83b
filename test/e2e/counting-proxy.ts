import { Agent, createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ProxiedRequest {
  method: string;
  url: string;
  status?: number;
}

/** Answers a request itself (a status) instead of passing it on; undefined passes it on. `seen`: the requests before it. */
export type Intercept = (request: ProxiedRequest, seen: readonly ProxiedRequest[]) => number | undefined;

/**
 * An HTTP proxy on loopback in front of a server: counts and logs every request it receives (the number a server
 * would see), passes each on, and can answer some itself (a 500 in place of the server's answer).
 */
export async function startCountingProxy(upstream: string, intercept: Intercept = () => undefined): Promise<{ url: string; log: ProxiedRequest[]; close(): Promise<void> }> {
  const log: ProxiedRequest[] = [];
  const target = new URL(upstream);
  const agent = new Agent({ keepAlive: true });
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const entry: ProxiedRequest = { method: req.method ?? 'GET', url: req.url ?? '/' };
    const status = intercept(entry, log);
    log.push(entry);
    if (status !== undefined) {
      entry.status = status;
      req.resume();
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: `injected ${status}` }));
      return;
    }
    const forward = httpRequest({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host }, agent }, (answer) => {
      entry.status = answer.statusCode;
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    forward.on('error', () => res.writeHead(502).end());
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${target.pathname.replace(/\/$/, '')}`,
    log,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}
