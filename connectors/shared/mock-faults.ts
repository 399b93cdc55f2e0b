/**
 * Fault injection both PSA mock servers share: a test queues faults and the next matching requests answer 429
 * with Retry-After, or 500, or answer late, or lose their connection halfway through the body. Faults apply in the
 * order injected, each to its next `count` requests whose path and query contain `match` (case-insensitively),
 * after letting `skip` of them through (a failure after the first page, say). How each fault is answered is the
 * mock server's own (each PSA's error shape).
 */

export type FaultKind = '429' | '500' | 'slow' | 'drop';

export interface FaultSpec {
  kind: FaultKind;
  /** How many matching requests it hits (default 1). */
  count?: number;
  /** Only requests whose path (with query string) contains this, case-insensitively. */
  match?: string;
  /** For 429: the Retry-After header in seconds (default 1). */
  retryAfterS?: number;
  /** For slow: how long the request stalls before it is handled (the mock's default when absent). */
  delayMs?: number;
  /** Matching requests to let through before the fault starts. */
  skip?: number;
}

export interface ActiveFault {
  kind: FaultKind;
  retryAfterS: number;
  delayMs: number;
}

export class MockFaults {
  private readonly queue: (FaultSpec & { remaining: number; toSkip: number })[] = [];
  /** Faults applied so far, by kind: tests check a fault really happened. */
  readonly fired: Record<FaultKind, number> = { '429': 0, '500': 0, slow: 0, drop: 0 };

  /** @param defaultDelayMs how long a 'slow' fault stalls when its spec does not say. */
  constructor(private readonly defaultDelayMs: number) {}

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

  /** The fault for this request, if any (consuming one of its count). */
  take(target: string): ActiveFault | null {
    const lower = target.toLowerCase();
    const i = this.queue.findIndex((f) => !f.match || lower.includes(f.match.toLowerCase()));
    if (i < 0) return null;
    const f = this.queue[i]!;
    if (f.toSkip > 0) {
      f.toSkip--;
      return null;
    }
    if (--f.remaining <= 0) this.queue.splice(i, 1);
    this.fired[f.kind]++;
    return { kind: f.kind, retryAfterS: f.retryAfterS ?? 1, delayMs: f.delayMs ?? this.defaultDelayMs };
  }
}
