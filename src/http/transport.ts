import { HttpClient, type ClientOptions } from './client.ts';
import { QUOTA_DISTRUSTED, RateLimiter, quotaResetTime, rateLimitHeaders, transientDelayMs } from './rate-limit.ts';
import type { HttpResponse, OutgoingRequest } from './types.ts';

/** A 429 or 503 answer: retried after `waitMs`, or (waitMs undefined) the retry budget is spent and the answer stands. */
export interface TransientAnswer {
  status: number;
  attempt: number;
  waitMs: number | undefined;
  rateLimit: Record<string, string>;
}

export interface TransportHooks {
  /** Every request put on the wire, with its status (undefined: no answer). Called for retried 429/503 answers too. */
  onSent?(request: OutgoingRequest, status: number | undefined): void;
  onTransient?(answer: TransientAnswer): void;
  /** Said once per cause: a quota the answers keep calling spent is no longer waited for (see QUOTA_DISTRUSTED). */
  onWarning?(message: string): void;
  /** When true, a 429/503 is taken as it is (an interrupted run does not wait to retry). */
  stopped?(): boolean;
}

export interface TransportOptions extends Partial<ClientOptions> {
  /** Shared by every transport of a command so that --rate-limit bounds the whole run. */
  limiter?: RateLimiter;
}

/**
 * The one way a run's requests reach the wire: within the rate limit, holding for a spent quota, retrying 429 and 503
 * answers after Retry-After, X-RateLimit-Reset or an exponential backoff (a bounded number of times), and counting
 * every request it sends, retries included. Knows nothing of checks or events: it reports through its hooks.
 */
export class Transport {
  private readonly http: HttpClient;
  private readonly limiter: RateLimiter;
  private count = 0;

  constructor(
    options: TransportOptions = {},
    private readonly hooks: TransportHooks = {},
  ) {
    const { limiter, ...client } = options;
    this.http = new HttpClient(client);
    this.limiter = limiter ?? new RateLimiter();
  }

  /** How many requests were put on the wire (each retry counts). */
  get sent(): number {
    return this.count;
  }

  /** Sends a request; also says how many 429/503 answers were retried on the way. Throws TransportError without an answer. */
  async send(request: OutgoingRequest): Promise<{ response: HttpResponse; retries: number }> {
    for (let attempt = 0; ; attempt++) {
      await this.limiter.acquire();
      const response = await this.sendOnce(request);
      const reset = quotaResetTime(response.headers);
      if (reset !== undefined && this.limiter.holdForQuota(reset)) this.hooks.onWarning?.(QUOTA_DISTRUSTED);
      if (response.status !== 429 && response.status !== 503) return { response, retries: attempt };
      // A stopped run takes the answer as it is: its retry budget was not spent, so the answer neither counts nor fails it.
      if (this.hooks.stopped?.()) return { response, retries: 0 };
      const waitMs = transientDelayMs(response.status, response.headers, attempt);
      this.hooks.onTransient?.({ status: response.status, attempt, waitMs, rateLimit: rateLimitHeaders(response.headers) });
      if (waitMs === undefined) return { response, retries: attempt };
      this.limiter.pauseUntil(Date.now() + waitMs);
    }
  }

  /** One request, counted, without rate limit or retries (a reachability probe, a token request). */
  async sendOnce(request: OutgoingRequest): Promise<HttpResponse> {
    this.count++;
    try {
      const response = await this.http.send(request);
      this.hooks.onSent?.(request, response.status);
      return response;
    } catch (error) {
      this.hooks.onSent?.(request, undefined);
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.http.close();
  }
}
