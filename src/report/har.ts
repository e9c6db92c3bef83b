import type { Exchange } from '../checks/types.ts';
import type { Redactor } from './redact.ts';

/** At most this many exchanges are kept (a long run sends hundreds of thousands); the log says how many were left out. */
export const MAX_HAR_ENTRIES = 5000;

interface HarEntry {
  startedDateTime: string;
  time: number;
  request: { method: string; url: string; httpVersion: string; headers: { name: string; value: string }[]; queryString: { name: string; value: string }[]; cookies: []; headersSize: -1; bodySize: number; postData?: { mimeType: string; text: string } };
  response: { status: number; statusText: string; httpVersion: string; headers: { name: string; value: string }[]; cookies: []; content: { size: number; mimeType: string; text: string }; redirectURL: ''; headersSize: -1; bodySize: number; _error?: string };
  cache: Record<string, never>;
  timings: { send: 0; wait: number; receive: 0 };
  comment: string;
}

/**
 * `--report har`: the run's exchanges as a HAR 1.2 log (exchanges.har), for browser dev tools and HAR viewers.
 * Everything passes the run's redactor first: credential headers, secret body fields and known secret values
 * are [REDACTED], as in every other report.
 */
export class HarRecorder {
  private readonly entries: HarEntry[] = [];
  private omitted = 0;

  add(exchange: Exchange, redactor: Redactor, provider: string): void {
    if (this.entries.length >= MAX_HAR_ENTRIES) {
      this.omitted++;
      return;
    }
    const { request, response, error } = exchange;
    const url = redactor.url(request.url);
    const body = redactor.body(request.body);
    const responseText = response ? (redactor.body(response.text) ?? '') : '';
    const time = response?.durationMs ?? 0;
    this.entries.push({
      startedDateTime: new Date(Date.now() - time).toISOString(),
      time,
      request: {
        method: request.method,
        url,
        httpVersion: 'HTTP/1.1',
        headers: pairs(redactor.headers(request.headers)),
        queryString: [...new URL(url).searchParams].map(([name, value]) => ({ name, value })),
        cookies: [],
        headersSize: -1,
        bodySize: body === undefined ? 0 : Buffer.byteLength(body),
        ...(body !== undefined ? { postData: { mimeType: request.headers['content-type'] ?? 'application/octet-stream', text: body } } : {}),
      },
      response: {
        status: response?.status ?? 0,
        statusText: '',
        httpVersion: 'HTTP/1.1',
        headers: pairs(response ? redactor.headers(response.headers) : {}),
        cookies: [],
        content: { size: Buffer.byteLength(responseText), mimeType: response?.headers['content-type'] ?? '', text: responseText },
        redirectURL: '',
        headersSize: -1,
        bodySize: Buffer.byteLength(responseText),
        ...(error ? { _error: redactor.text(`${error.kind}: ${error.message}`) } : {}),
      },
      cache: {},
      timings: { send: 0, wait: time, receive: 0 },
      comment: `${provider} ${exchange.operation.id} (${exchange.intent})`,
    });
  }

  toJson(version: string): string {
    const log = { version: '1.2', creator: { name: 'dbaas-conformance', version }, ...(this.omitted ? { comment: `the first ${MAX_HAR_ENTRIES} exchanges; ${this.omitted} more were left out` } : {}), entries: this.entries };
    return `${JSON.stringify({ log }, null, 1)}\n`;
  }
}

function pairs(headers: Record<string, string>): { name: string; value: string }[] {
  return Object.entries(headers).map(([name, value]) => ({ name, value }));
}
