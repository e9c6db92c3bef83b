import { isUtf8 } from 'node:buffer';
import { Agent, EnvHttpProxyAgent, errors as undiciErrors, request, type Dispatcher } from 'undici';
import { isJsonMediaType } from '../spec/operations.ts';
import { jsonCost } from './json-cost.ts';
import { TransportError, type HttpResponse, type OutgoingRequest } from './types.ts';

export interface ClientOptions {
  /** Per-request timeout in milliseconds (headers and body). */
  timeoutMs: number;
  /** Bodies larger than this are cut off and reported, never buffered whole. */
  maxBodyBytes: number;
  connections: number;
}

export const DEFAULT_CLIENT_OPTIONS: ClientOptions = { timeoutMs: 30_000, maxBodyBytes: 10 * 1024 * 1024, connections: 16 };

/** Whether the environment names a proxy (HTTP_PROXY or HTTPS_PROXY, either case). */
export function proxyFromEnv(env: NodeJS.ProcessEnv): boolean {
  return Boolean(env.HTTP_PROXY || env.http_proxy || env.HTTPS_PROXY || env.https_proxy);
}

/** A keep-alive HTTP client over undici that turns every failure into a TransportError. */
export class HttpClient {
  private readonly agent: Dispatcher;
  readonly options: ClientOptions;

  constructor(options: Partial<ClientOptions> = {}) {
    this.options = { ...DEFAULT_CLIENT_OPTIONS, ...options };
    const agentOptions = {
      connections: this.options.connections,
      keepAliveTimeout: 10_000,
      headersTimeout: this.options.timeoutMs,
      bodyTimeout: this.options.timeoutMs,
      connect: { timeout: Math.min(this.options.timeoutMs, 10_000) },
    };
    // HTTP_PROXY, HTTPS_PROXY and NO_PROXY (or their lower-case forms), as curl reads them.
    this.agent = proxyFromEnv(process.env) ? new EnvHttpProxyAgent(agentOptions) : new Agent(agentOptions);
  }

  async send(req: OutgoingRequest): Promise<HttpResponse> {
    const started = performance.now();
    // No AbortSignal per request: AbortSignal.timeout() and undici's listeners on it were ~10% of the suite's CPU per
    // request (bench/). The agent's connect, headers and body timeouts bound each phase, and readCapped the whole answer.
    // What had arrived when something went wrong: tells a cut-off body from a connection closed before any answer.
    const progress: Progress = { headers: false, received: 0 };
    try {
      const res = await request(req.url, {
        method: req.method as never,
        headers: req.headers,
        body: req.body,
        dispatcher: this.agent,
        maxRedirections: 0,
      } as never);
      progress.headers = true;
      const headers = flattenHeaders(res.headers);
      progress.declared = declaredLength(headers['content-length']);
      if (progress.declared !== undefined && progress.declared > this.options.maxBodyBytes) {
        // Declared too large: refused before a byte of it is read.
        res.body.destroy();
        throw new TransportError('body too large', `more than ${this.options.maxBodyBytes} bytes`);
      }
      const bytes = await readCapped(res.body, this.options.maxBodyBytes, progress, started + this.options.timeoutMs, this.options.timeoutMs);
      const contentType = (headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      const isJson = contentType !== '' && isJsonMediaType(contentType);
      const text = bytes.toString('utf8');
      const response: HttpResponse = { status: res.statusCode, headers, contentType, text, json: undefined, durationMs: performance.now() - started };
      if (isJson && text.length > 0) {
        // JSON is UTF-8 (RFC 8259): a body that is not would only parse after a silent replacement of its bad bytes.
        const invalid = invalidUtf8(bytes);
        const cost = invalid ? undefined : jsonCost(bytes);
        if (cost) {
          response.tooCostly = cost;
        } else if (invalid) {
          response.jsonError = `invalid UTF-8 at byte ${invalid.offset} (${invalid.bytes}); JSON must be UTF-8`;
        } else {
          try {
            response.json = JSON.parse(text);
          } catch (error) {
            response.jsonError = (error as Error).message;
          }
        }
      }
      return response;
    } catch (error) {
      throw toTransportError(error, this.options, progress);
    }
  }

  async close(): Promise<void> {
    await this.agent.close();
  }
}

interface Progress {
  /** Whether the status line and headers had arrived. */
  headers: boolean;
  /** The Content-Length the response declared, if any. */
  declared?: number;
  /** Body bytes read so far. */
  received: number;
}

/** Reads a body whole, up to `limit` bytes, and only until `deadline` (a body that trickles in must not outlast the timeout). */
async function readCapped(body: AsyncIterable<Buffer> & { destroy(err?: Error): unknown }, limit: number, progress: Progress, deadline: number, timeoutMs: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of body) {
    if (performance.now() > deadline) {
      chunks.length = 0;
      body.destroy();
      throw new TransportError('timeout', `no complete answer within ${timeoutMs} ms`);
    }
    progress.received += chunk.length;
    if (progress.received > limit) {
      // Stop reading and drop what was kept: a body this large is never held whole.
      chunks.length = 0;
      body.destroy();
      throw new TransportError('body too large', `more than ${limit} bytes`);
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

function declaredLength(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d+$/.test(value.trim())) return undefined;
  return Number(value.trim());
}

function flattenHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers)) if (v !== undefined) out[k.toLowerCase()] = Array.isArray(v) ? v.join(', ') : v;
  return out;
}

/** Where a buffer stops being UTF-8: the offset and the bytes of the broken sequence; undefined when it is all UTF-8. */
export function invalidUtf8(bytes: Uint8Array): { offset: number; bytes: string } | undefined {
  if (isUtf8(bytes)) return undefined;
  // Only on failure: find where (isUtf8 does not say).
  const at = (offset: number, end: number) => ({ offset, bytes: [...bytes.subarray(offset, end)].map((b) => `0x${b.toString(16).padStart(2, '0')}`).join(' ') });
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    const length = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0) return at(i, i + 1);
    // The second byte's range is narrower after E0, ED, F0 and F4 (no overlongs, surrogates or code points past U+10FFFF).
    const [low, high] = b === 0xe0 ? [0xa0, 0xbf] : b === 0xed ? [0x80, 0x9f] : b === 0xf0 ? [0x90, 0xbf] : b === 0xf4 ? [0x80, 0x8f] : [0x80, 0xbf];
    for (let k = 1; k < length; k++) {
      if (i + k >= bytes.length) return at(i, i + k);
      const c = bytes[i + k]!;
      if (k === 1 ? c < low || c > high : c < 0x80 || c > 0xbf) return at(i, i + k + 1);
    }
    i += length;
  }
  return at(bytes.length, bytes.length);
}

/**
 * Names what went wrong below HTTP, one kind per cause, so that a report reads "transport: connection reset",
 * "transport: timeout (no complete answer within 1000 ms)", "transport: connection closed before the body was complete
 * (14 of 200 bytes)", and so on.
 */
function toTransportError(error: unknown, options: ClientOptions, progress: Progress): TransportError {
  if (error instanceof TransportError) return error;
  const err = error as NodeJS.ErrnoException & { cause?: NodeJS.ErrnoException };
  const code = err.code ?? err.cause?.code;
  const name = err.name ?? err.cause?.name;
  const body = progress.declared === undefined ? `${progress.received} bytes received` : `${progress.received} of ${progress.declared} bytes`;
  if (name === 'TimeoutError' || name === 'AbortError' || error instanceof undiciErrors.HeadersTimeoutError || error instanceof undiciErrors.BodyTimeoutError || code === 'UND_ERR_CONNECT_TIMEOUT' || code === 'ETIMEDOUT') {
    return new TransportError('timeout', `no complete answer within ${options.timeoutMs} ms`);
  }
  if (code === 'ECONNREFUSED') return new TransportError('connection refused', 'nothing listens on that port');
  if (code === 'ECONNRESET' || code === 'EPIPE') return new TransportError('connection reset', '');
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return new TransportError('host not found', err.message);
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return new TransportError('host unreachable', err.message);
  if (code === 'UND_ERR_RES_CONTENT_LENGTH_MISMATCH' || error instanceof undiciErrors.ResponseContentLengthMismatchError) {
    // The server said the connection ends the message, and it ended at a length other than the one declared.
    return new TransportError('wrong content length', `${progress.received} bytes before the connection closed, ${progress.declared ?? 'another length'} declared`);
  }
  if (code === 'UND_ERR_SOCKET' || error instanceof undiciErrors.SocketError) {
    // The server closed the connection (FIN) while an answer was due or under way.
    return progress.headers
      ? new TransportError('connection closed before the body was complete', body)
      : new TransportError('connection closed before a response', '');
  }
  if (error instanceof undiciErrors.HTTPParserError || (typeof code === 'string' && code.startsWith('HPE_'))) {
    // Something else listens there (SSH, TLS, a database's own protocol), or a broken server: show what it sent.
    const data = (error as { data?: string }).data;
    return new TransportError('not a valid HTTP response', data ? `it began ${JSON.stringify(data.slice(0, 40))}` : err.message);
  }
  return new TransportError('failed', err.message || String(error));
}
