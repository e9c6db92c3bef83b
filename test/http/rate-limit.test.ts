import { describe, expect, it } from 'vitest';
import { MAX_TRANSIENT_RETRIES, MAX_WAIT_MS, RateLimiter, parseRate, quotaResetTime, rateLimitHeaders, transientDelayMs } from '../../src/http/rate-limit.ts';

describe('parseRate', () => {
  it('reads requests per second and per minute', () => {
    expect(parseRate('10')).toBe(10);
    expect(parseRate('10/s')).toBe(10);
    expect(parseRate('600/min')).toBe(10);
    expect(parseRate('0.5/s')).toBe(0.5);
  });

  it('refuses what is not a rate', () => {
    for (const bad of ['', 'fast', '0', '-1/s', '10/h', '10 per s']) expect(parseRate(bad), bad).toBeUndefined();
  });
});

describe('transientDelayMs', () => {
  const now = Date.parse('2026-11-25T12:00:00Z');

  it('leaves other statuses alone', () => {
    expect(transientDelayMs(200, {}, 0, now)).toBeUndefined();
    expect(transientDelayMs(500, { 'retry-after': '1' }, 0, now)).toBeUndefined();
  });

  it('honours Retry-After in seconds and as an HTTP date', () => {
    expect(transientDelayMs(429, { 'retry-after': '2' }, 0, now)).toBe(2000);
    expect(transientDelayMs(503, { 'retry-after': new Date(now + 3000).toUTCString() }, 0, now)).toBe(3000);
  });

  it('waits for X-RateLimit-Reset when a 429 says the quota is spent, as seconds from now or epoch seconds', () => {
    expect(transientDelayMs(429, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '4' }, 0, now)).toBe(4000);
    expect(transientDelayMs(429, { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now / 1000 + 5) }, 0, now)).toBe(5000);
  });

  it('backs off exponentially without hints, and ignores a reset time on a 503', () => {
    expect(transientDelayMs(503, {}, 0, now)).toBe(250);
    expect(transientDelayMs(503, {}, 2, now)).toBe(1000);
    expect(transientDelayMs(503, { 'x-ratelimit-reset': '60' }, 0, now)).toBe(250);
  });

  it('caps each wait and stops after the retry budget', () => {
    expect(transientDelayMs(429, { 'retry-after': '86400' }, 0, now)).toBe(MAX_WAIT_MS);
    expect(transientDelayMs(429, { 'retry-after': '1' }, MAX_TRANSIENT_RETRIES, now)).toBeUndefined();
  });
});

describe('rate-limit headers', () => {
  it('picks the X-RateLimit-* and RateLimit-* headers', () => {
    expect(rateLimitHeaders({ 'x-ratelimit-limit': '10', 'ratelimit-remaining': '3', 'content-type': 'application/json' })).toEqual({ 'x-ratelimit-limit': '10', 'ratelimit-remaining': '3' });
  });

  it('reports a refill time only when the quota is spent', () => {
    const now = 1_000_000;
    expect(quotaResetTime({ 'x-ratelimit-remaining': '5', 'x-ratelimit-reset': '2' }, now)).toBeUndefined();
    expect(quotaResetTime({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': '2' }, now)).toBe(now + 2000);
    expect(quotaResetTime({ 'x-ratelimit-remaining': '0' }, now)).toBeUndefined();
  });
});

describe('RateLimiter', () => {
  it('spaces requests to the rate: 6 requests at 20/s take at least 250 ms', async () => {
    const limiter = new RateLimiter(20);
    const started = Date.now();
    for (let i = 0; i < 6; i++) await limiter.acquire();
    expect(Date.now() - started).toBeGreaterThanOrEqual(240);
  });

  it('holds every request while paused', async () => {
    const limiter = new RateLimiter();
    limiter.pauseUntil(Date.now() + 150);
    const started = Date.now();
    await limiter.acquire();
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
  });
});

describe('RateLimiter.holdForQuota', () => {
  it('holds requests until a spent quota resets, but waits at most its total budget in a run, and says so once', async () => {
    const limiter = new RateLimiter(undefined, 300);
    const now = Date.now();
    expect(limiter.holdForQuota(now + 200, now)).toBe(false);
    let t = performance.now();
    await limiter.acquire();
    expect(performance.now() - t).toBeGreaterThanOrEqual(150);
    // A reset far away (a mock that always says the quota is spent): past the budget it is not waited for.
    expect(limiter.holdForQuota(Date.now() + 3_600_000)).toBe(true);
    expect(limiter.holdForQuota(Date.now() + 3_600_000)).toBe(false);
    t = performance.now();
    await limiter.acquire();
    expect(performance.now() - t).toBeLessThan(100);
  });
});

describe('a quota still spent right after its reset', () => {
  it('is not believed: the second wait is refused at once', () => {
    const limiter = new RateLimiter();
    const now = 1_000_000;
    expect(limiter.holdForQuota(now + 1000, now)).toBe(false);
    // Right after the reset the answers say the quota is spent again, with a reset an hour away.
    expect(limiter.holdForQuota(now + 3_600_000, now + 1100)).toBe(true);
    expect(limiter.holdForQuota(now + 3_600_000, now + 1200)).toBe(false);
  });

  it('a quota spent again long after its reset is waited for again', () => {
    const limiter = new RateLimiter();
    const now = 1_000_000;
    expect(limiter.holdForQuota(now + 1000, now)).toBe(false);
    expect(limiter.holdForQuota(now + 20_000, now + 15_000)).toBe(false);
  });
});
