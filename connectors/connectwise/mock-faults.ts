/**
 * Fault injection for the mock: the next N requests (optionally only those whose path and query contain
 * `match`) answer 429 with Retry-After, or 500, or answer late, or drop the connection halfway through the body.
 * Plus an optional token bucket that answers 429 like a throttled tenant (facts B9; the 429 shape is invented).
 */

export type FaultKind = '429' | '500' | 'slow' | 'drop';

export interface FaultSpec {
  kind: FaultKind;
  /** How many matching requests it hits (default 1). */
  count?: number;
  /** Substring of the request's path + query. */
  match?: string;
  /** Retry-After for 429 (default 1). */
  retryAfterS?: number;
  /** Delay for 'slow' (default 5000). */
  delayMs?: number;
  /** Matching requests to let through before the fault starts (a failure after the first page, say). */
  skip?: number;
}

interface ActiveFault extends Required<Omit<FaultSpec, 'match'>> {
  match?: string;
}

export class MockFaults {
  private queue: ActiveFault[] = [];
  /** Faults applied so far, by kind: tests check a fault really happened. */
  readonly fired: Record<FaultKind, number> = { '429': 0, '500': 0, slow: 0, drop: 0 };

  inject(spec: FaultSpec): void {
    this.queue.push({ count: 1, retryAfterS: 1, delayMs: 5000, skip: 0, ...spec });
  }

  clear(): void {
    this.queue = [];
  }

  /** Faults still waiting to fire. */
  pending(): number {
    return this.queue.reduce((n, f) => n + f.count, 0);
  }

  /** The fault for this request, if any (consumes one of its count). */
  take(target: string): ActiveFault | null {
    const f = this.queue.find((x) => x.count > 0 && (x.match === undefined || target.includes(x.match)));
    if (!f) return null;
    if (f.skip > 0) {
      f.skip--;
      return null;
    }
    f.count--;
    this.queue = this.queue.filter((x) => x.count > 0);
    this.fired[f.kind]++;
    return f;
  }
}

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
