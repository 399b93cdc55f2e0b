/**
 * The Autotask mock's limits, the service's own (facts A10): at most N requests in flight per (integration code,
 * endpoint) and a rolling hourly request count per database. Injected faults: ../shared/mock-faults.ts.
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
