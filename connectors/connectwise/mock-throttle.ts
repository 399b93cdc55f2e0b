/**
 * The ConnectWise mock's throttling: an optional token bucket that answers 429 like a throttled tenant (facts B9;
 * the 429 shape is invented). Injected faults: ../shared/mock-faults.ts.
 */

export interface RateLimit {
  /** Tokens added per second. */
  perSecond: number;
  /** Bucket size. */
  burst: number;
}

export class TokenBucket {
  private tokens: number;
  private at = Date.now();

  constructor(private readonly limit: RateLimit) {
    this.tokens = limit.burst;
  }

  /** 0 when the request may pass, else the whole seconds to wait. */
  take(): number {
    const now = Date.now();
    this.tokens = Math.min(this.limit.burst, this.tokens + ((now - this.at) / 1000) * this.limit.perSecond);
    this.at = now;
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - this.tokens) / this.limit.perSecond));
  }
}
