import type { MiddlewareHandler } from 'hono';
import { ApiError } from '../errors';
import type { AppEnv } from './app-types';

/**
 * A token bucket per principal: `perSecond` requests a second on average, bursts up to twice that. A caller over
 * the limit gets 429 with Retry-After, so well-behaved clients slow down instead of failing.
 */
export function rateLimit(perSecond: () => number): MiddlewareHandler<AppEnv> {
  const buckets = new Map<string, { tokens: number; at: number }>();
  return async (c, next) => {
    const rate = perSecond();
    if (rate > 0) {
      const key = c.get('principal').actor;
      const now = Date.now();
      const capacity = rate * 2;
      const b = buckets.get(key) ?? { tokens: capacity, at: now };
      b.tokens = Math.min(capacity, b.tokens + ((now - b.at) / 1000) * rate);
      b.at = now;
      if (b.tokens < 1) {
        buckets.set(key, b);
        const waitS = Math.ceil((1 - b.tokens) / rate);
        throw new ApiError(429, 'rate_limited', `more than ${rate} predict requests a second for this token; retry in ${waitS}s`, undefined, {
          'Retry-After': String(waitS),
        });
      }
      b.tokens -= 1;
      buckets.set(key, b);
    }
    await next();
  };
}
