/**
 * Load bounds and transient-answer handling: a token bucket for --rate-limit, a pause gate that
 * honours X-RateLimit-* headers, and the backoff for 429 and 503 answers.
 */

/** Retries of one request answered 429 or 503 before the answer counts as the API's real answer. */
export const MAX_TRANSIENT_RETRIES = 4;
/** The longest single wait a Retry-After or X-RateLimit-Reset may impose. */
export const MAX_WAIT_MS = 60_000;

/**
 * The most a run waits in all for quotas that answers say are spent (X-RateLimit-Remaining: 0 on answers that
 * are not 429): a mock that always says so with a reset far away must not hold every request for a minute.
 * A quota that is still spent right after its reset was waited for (within QUOTA_DISTRUST_MS) is not believed
 * either. Past that, such headers are not waited for; 429 answers are still retried after their own waits.
 */
export const MAX_QUOTA_WAIT_TOTAL_MS = 30_000;
const QUOTA_DISTRUST_MS = 2_000;
export const QUOTA_DISTRUSTED = `answers keep saying the rate-limit quota is spent (still spent after its reset, or ${MAX_QUOTA_WAIT_TOTAL_MS / 1000} s of waiting in all): X-RateLimit-Remaining: 0 is no longer waited for (429 answers still are)`;

/** Spaces requests so that at most `perSecond` start in any second; and holds them all while paused. */
export class RateLimiter {
  private nextSlot = 0;
  private pausedUntil = 0;
  private quotaWaitedMs = 0;
  private quotaCapped = false;
  private quotaPauseEnd = 0;

  constructor(
    private readonly perSecond?: number,
    private readonly maxQuotaWaitMs = MAX_QUOTA_WAIT_TOTAL_MS,
  ) {}

  /**
   * A spent quota that refills at `reset` (epoch ms): requests are held until then, within the run's total
   * budget for such waits. Returns true once, when the budget is used up (the caller warns), false otherwise.
   */
  holdForQuota(reset: number, now = Date.now()): boolean {
    if (this.quotaCapped) return false;
    const until = Math.min(reset, now + MAX_WAIT_MS);
    const extra = Math.max(0, until - Math.max(now, this.pausedUntil));
    const rightAfterReset = this.quotaPauseEnd > 0 && now >= this.quotaPauseEnd && now - this.quotaPauseEnd < QUOTA_DISTRUST_MS && extra > 0;
    if (this.quotaWaitedMs + extra > this.maxQuotaWaitMs || rightAfterReset) {
      this.quotaCapped = true;
      return true;
    }
    this.quotaWaitedMs += extra;
    if (extra > 0) this.quotaPauseEnd = until;
    this.pauseUntil(until);
    return false;
  }

  /** Resolves when the next request may start. */
  async acquire(): Promise<void> {
    for (;;) {
      const now = Date.now();
      const wait = Math.max(this.pausedUntil - now, this.perSecond ? this.nextSlot - now : 0);
      if (wait <= 0) break;
      await sleep(wait);
    }
    if (this.perSecond) this.nextSlot = Math.max(this.nextSlot, Date.now()) + 1000 / this.perSecond;
  }

  /** No request starts before `time` (epoch ms); the latest pause wins. */
  pauseUntil(time: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, Math.min(time, Date.now() + MAX_WAIT_MS));
  }
}

/** Parses `--rate-limit`: `10`, `10/s`, `600/min`. Returns requests per second, or undefined when malformed. */
export function parseRate(value: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(?:\/(s|sec|second|m|min|minute))?$/.exec(value.trim());
  if (!match) return undefined;
  const n = Number(match[1]);
  if (!(n > 0)) return undefined;
  return match[2] && match[2].startsWith('m') ? n / 60 : n;
}

/** The X-RateLimit-* (and RateLimit-*) headers of a response, lower-cased. */
export function rateLimitHeaders(headers: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (/^(x-)?ratelimit-/.test(name)) out[name] = value;
  return out;
}

/** When the rate-limit headers say the quota is spent, the epoch ms at which it refills; else undefined. */
export function quotaResetTime(headers: Record<string, string>, now = Date.now()): number | undefined {
  const remaining = headers['x-ratelimit-remaining'] ?? headers['ratelimit-remaining'];
  if (remaining === undefined || Number(remaining) > 0) return undefined;
  const reset = headers['x-ratelimit-reset'] ?? headers['ratelimit-reset'];
  if (reset === undefined) return undefined;
  const n = Number(reset);
  if (!Number.isFinite(n) || n < 0) return undefined;
  // Large values are epoch seconds (GitHub style); small ones are seconds from now (IETF draft style).
  return n > 1e9 ? n * 1000 : now + n * 1000;
}

/**
 * How long to wait before retrying a 429 or 503 answer, or undefined when it should not be retried.
 * Retry-After (seconds or an HTTP date) wins, then X-RateLimit-Reset; otherwise exponential backoff.
 */
export function transientDelayMs(status: number, headers: Record<string, string>, attempt: number, now = Date.now()): number | undefined {
  if (status !== 429 && status !== 503) return undefined;
  if (attempt >= MAX_TRANSIENT_RETRIES) return undefined;
  const retryAfter = headers['retry-after'];
  if (retryAfter !== undefined) {
    const seconds = Number(retryAfter);
    const ms = Number.isFinite(seconds) ? seconds * 1000 : Date.parse(retryAfter) - now;
    if (Number.isFinite(ms)) return clamp(ms);
  }
  // A reset time says when a spent quota refills: it applies to a 429 whose quota is spent (or not stated).
  const remaining = headers['x-ratelimit-remaining'] ?? headers['ratelimit-remaining'];
  if (status === 429 && (remaining === undefined || Number(remaining) <= 0)) {
    const reset = quotaResetTime({ ...headers, 'x-ratelimit-remaining': '0', 'ratelimit-remaining': '0' }, now);
    if (reset !== undefined) return clamp(reset - now);
  }
  return clamp(250 * 2 ** attempt);
}

function clamp(ms: number): number {
  return Math.min(Math.max(ms, 50), MAX_WAIT_MS);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
