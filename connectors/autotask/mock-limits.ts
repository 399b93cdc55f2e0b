/**
 * The Autotask mock's limits and faults. Limits are the service's own (facts A10): at most N requests in
 * flight per (integration code, endpoint) and a rolling hourly request count per database. Faults are what a
 * test injects at runtime: the next requests answer 429 or 500, stall, or lose their connection mid-body.
 */

export class ThreadLimiter {
  private readonly inFlight = new Map<string, number>();

  constructor(readonly limit: number) {}

  /** A release function, or null when the key is already at its limit. */
  tryAcquire(key: string): (() => void) | null {
    const n = this.inFlight.get(key) ?? 0;
    if (n >= this.limit) return null;
    this.inFlight.set(key, n + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inFlight.set(key, (this.inFlight.get(key) ?? 1) - 1);
    };
  }
}

/** Requests counted over a rolling 60 minutes, as ThresholdInformation reports them. */
export class HourlyCounter {
  private readonly stamps: number[] = [];
  private head = 0;

  constructor(public threshold: number) {}

  current(now = Date.now()): number {
    while (this.head < this.stamps.length && this.stamps[this.head] <= now - 3_600_000) this.head++;
    if (this.head > 1024 && this.head * 2 > this.stamps.length) {
      this.stamps.splice(0, this.head);
      this.head = 0;
    }
    return this.stamps.length - this.head;
  }

  /** Counts one request, or answers false when the hour's threshold is already reached. */
  tryCount(now = Date.now()): boolean {
    if (this.current(now) >= this.threshold) return false;
    this.stamps.push(now);
    return true;
  }
}

export type FaultKind = '429' | '500' | 'slow' | 'drop';

export interface FaultSpec {
  kind: FaultKind;
  /** How many matching requests it hits (default 1). */
  count?: number;
  /** Only requests whose path (with query string) contains this, case-insensitively. */
  match?: string;
  /** For 429: the Retry-After header in seconds (default 1). */
  retryAfterS?: number;
  /** For slow: how long the request stalls before it is handled (default 1000). */
  delayMs?: number;
  /** Matching requests to let through before the fault starts (a failure after the first page, say). */
  skip?: number;
}

export interface ActiveFault {
  kind: FaultKind;
  retryAfterS: number;
  delayMs: number;
}

export class MockFaults {
  private readonly queue: (FaultSpec & { remaining: number; toSkip: number })[] = [];

  /** Queues a fault; faults apply in the order injected, each to its next `count` matching requests. */
  inject(spec: FaultSpec): void {
    this.queue.push({ ...spec, remaining: spec.count ?? 1, toSkip: spec.skip ?? 0 });
  }

  clear(): void {
    this.queue.length = 0;
  }

  /** Faults not yet used up. */
  get pending(): number {
    return this.queue.reduce((n, f) => n + f.remaining, 0);
  }

  take(path: string): ActiveFault | null {
    const lower = path.toLowerCase();
    const i = this.queue.findIndex((f) => !f.match || lower.includes(f.match.toLowerCase()));
    if (i < 0) return null;
    const f = this.queue[i];
    if (f.toSkip > 0) {
      f.toSkip--;
      return null;
    }
    if (--f.remaining <= 0) this.queue.splice(i, 1);
    return { kind: f.kind, retryAfterS: f.retryAfterS ?? 1, delayMs: f.delayMs ?? 1000 };
  }
}
