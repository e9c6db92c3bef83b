import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { Operation } from '../../src/spec/types.ts';

/** What the proxy changed, so that a test can check that each difference really occurred. */
export interface Alterations {
  reordered: number;
  extraFields: number;
  swappedStatus: number;
  ignoredQuery: number;
}

export interface TolerantProxy {
  url: string;
  alterations: Alterations;
  close(): Promise<void>;
}

/** Query parameters the proxy never drops: paging bounds are the pagination checks' business. */
const PAGING = new Set(['limit', 'offset']);

/**
 * A proxy in front of a reference server that answers differently only where the documentation is silent:
 * - JSON answers with their keys in reverse order, at every level, and an extra top-level field (unless `fields` names them);
 * - a 400 answered as 422 and a 422 as 400, where the operation documents both (the docs do not say which);
 * - a GET refused 400/422 for its query is answered as if the non-paging query values were ignored.
 */
export async function startTolerantProxy(upstream: string, operations: Operation[]): Promise<TolerantProxy> {
  const alterations: Alterations = { reordered: 0, extraFields: 0, swappedStatus: 0, ignoredQuery: 0 };
  const routes = operations.map((op) => ({ op, pattern: new RegExp(`^${op.path.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{[^}]+\}/g, '[^/]+')}$`) }));
  const operationFor = (method: string, path: string) => routes.find((r) => r.op.method === method.toLowerCase() && r.pattern.test(path))?.op;

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      void (async () => {
        const url = new URL(req.url ?? '/', upstream);
        let answer = await forward(upstream, req, url, body);
        if (req.method === 'GET' && (answer.status === 400 || answer.status === 422) && [...url.searchParams.keys()].some((k) => !PAGING.has(k))) {
          const kept = new URL(url);
          for (const key of [...kept.searchParams.keys()]) if (!PAGING.has(key)) kept.searchParams.delete(key);
          const retried = await forward(upstream, req, kept, body);
          if (retried.status < 400) {
            answer = retried;
            alterations.ignoredQuery++;
          }
        }
        let status = answer.status;
        const documented = operationFor(req.method ?? 'GET', url.pathname)?.responses.map((r) => r.status) ?? [];
        if ((status === 400 || status === 422) && documented.includes('400') && documented.includes('422')) {
          status = status === 400 ? 422 : 400;
          alterations.swappedStatus++;
        }
        let text = answer.body.toString('utf8');
        if ((answer.headers['content-type'] ?? '').includes('json') && text.trim()) {
          try {
            let json = reversed(JSON.parse(text) as unknown);
            alterations.reordered++;
            // Not where the request names the fields to return (Redis `fields`: the docs are explicit there).
            if (json && typeof json === 'object' && !Array.isArray(json) && !url.searchParams.has('fields')) {
              const object = json as Record<string, unknown>;
              for (const key of ['httpStatus', 'status']) if (object[key] === answer.status) object[key] = status;
              json = { tolerantProxyExtra: 'an undocumented field', ...object };
              alterations.extraFields++;
            }
            text = JSON.stringify(json);
          } catch {
            // Not JSON after all: passed through as it came.
          }
        }
        const headers = { ...answer.headers };
        delete headers['content-length'];
        delete headers['transfer-encoding'];
        res.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(text) });
        res.end(text);
      })().catch((error: unknown) => {
        res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`proxy: ${String(error)}`);
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { url: `http://127.0.0.1:${port}`, alterations, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

interface Answer {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

function forward(upstream: string, req: IncomingMessage, url: URL, body: Buffer): Promise<Answer> {
  const target = new URL(upstream);
  return new Promise((resolve, reject) => {
    const out = httpRequest(
      { host: target.hostname, port: target.port, method: req.method, path: `${url.pathname}${url.search}`, headers: { ...req.headers, host: target.host, 'content-length': String(body.length) } },
      (answer) => {
        const chunks: Buffer[] = [];
        answer.on('data', (c: Buffer) => chunks.push(c));
        answer.on('end', () => {
          const headers: Record<string, string> = {};
          for (const [k, v] of Object.entries(answer.headers)) if (v !== undefined) headers[k] = Array.isArray(v) ? v.join(', ') : v;
          resolve({ status: answer.statusCode ?? 502, headers, body: Buffer.concat(chunks) });
        });
        answer.on('error', reject);
      },
    );
    out.on('error', reject);
    out.end(body);
  });
}

/** The same JSON value with the keys of every object in reverse order. */
function reversed(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversed);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).reverse().map(([k, v]) => [k, reversed(v)]));
  return value;
}
