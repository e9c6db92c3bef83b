import { Agent, errors as undiciErrors, request } from 'undici';
import { isJsonMediaType } from '../spec/operations.ts';
import { TransportError, type HttpResponse, type OutgoingRequest } from './types.ts';

export interface ClientOptions {
  /** Per-request timeout in milliseconds (headers and body). */
  timeoutMs: number;
  /** Bodies larger than this are cut off and reported, never buffered whole. */
  maxBodyBytes: number;
  connections: number;
}

export const DEFAULT_CLIENT_OPTIONS: ClientOptions = { timeoutMs: 30_000, maxBodyBytes: 10 * 1024 * 1024, connections: 16 };

/** A keep-alive HTTP client over undici that turns every failure into a TransportError. */
export class HttpClient {
  private readonly agent: Agent;
  readonly options: ClientOptions;

  constructor(options: Partial<ClientOptions> = {}) {
    this.options = { ...DEFAULT_CLIENT_OPTIONS, ...options };
    this.agent = new Agent({
      connections: this.options.connections,
      keepAliveTimeout: 10_000,
      headersTimeout: this.options.timeoutMs,
      bodyTimeout: this.options.timeoutMs,
      connect: { timeout: Math.min(this.options.timeoutMs, 10_000) },
    });
  }

  async send(req: OutgoingRequest): Promise<HttpResponse> {
    const started = performance.now();
    const signal = AbortSignal.timeout(this.options.timeoutMs);
    try {
      const res = await request(req.url, {
        method: req.method as never,
        headers: req.headers,
        body: req.body,
        dispatcher: this.agent,
        signal,
        maxRedirections: 0,
      } as never);
      const bytes = await readCapped(res.body, this.options.maxBodyBytes);
      const headers = flattenHeaders(res.headers);
      const contentType = (headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      const text = bytes.toString('utf8');
      const response: HttpResponse = { status: res.statusCode, headers, contentType, text, json: undefined, durationMs: performance.now() - started };
      if (contentType && isJsonMediaType(contentType) && text.length > 0) {
        try {
          response.json = JSON.parse(text);
        } catch (error) {
          response.jsonError = (error as Error).message;
        }
      }
      return response;
    } catch (error) {
      throw toTransportError(error, this.options);
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

async function readCapped(body: AsyncIterable<Buffer> & { destroy(err?: Error): unknown }, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    size += chunk.length;
    if (size > limit) {
      body.destroy();
      throw new TransportError('body too large', `more than ${limit} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

function toTransportError(error: unknown, options: ClientOptions): TransportError {
  if (error instanceof TransportError) return error;
  const err = error as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
  const code = err.code ?? err.cause?.code;
  if (err.name === 'TimeoutError' || err.name === 'AbortError' || error instanceof undiciErrors.HeadersTimeoutError || error instanceof undiciErrors.BodyTimeoutError || code === 'UND_ERR_CONNECT_TIMEOUT') {
    return new TransportError('timeout', `no complete answer within ${options.timeoutMs} ms`);
  }
  if (code === 'ECONNREFUSED') return new TransportError('connection refused', '');
  if (code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || error instanceof undiciErrors.SocketError) return new TransportError('connection reset', '');
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new TransportError('host not found', err.message);
  if (code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH' || error instanceof undiciErrors.ResponseContentLengthMismatchError) {
    return new TransportError('wrong content length', '');
  }
  return new TransportError('failed', err.message || String(error));
}
