import { api, followRun, type Run, type RunEvent } from '$lib/api';

/** The last progress a run reported: where it is, and how long it has left. */
export interface LiveProgress {
  progress: number;
  elapsedS: number | null;
  etaS: number | null;
  phase: string | null;
  field: string | null;
  epoch: number | null;
}

/**
 * One run as it happens: its stored events, then live ones over SSE, and the run row refreshed when it ends.
 * Components derive charts and the log from `events`.
 */
export class RunLive {
  run = $state() as Run;
  /** Replaced (never mutated) on each event, so derived charts recompute. */
  events = $state.raw<RunEvent[]>([]);
  connected = $state(false);
  error = $state<unknown>(null);

  constructor(
    readonly tenant: string,
    initial: Run,
  ) {
    this.run = initial;
  }

  readonly progress = $derived.by<LiveProgress>(() => {
    for (let i = this.events.length - 1; i >= 0; i--) {
      const e = this.events[i];
      if (e.kind !== 'progress') continue;
      const d = e.data as Record<string, unknown>;
      const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : null);
      return {
        progress: num(d.progress) ?? this.run.progress,
        elapsedS: num(d.elapsedS),
        etaS: num(d.etaS),
        phase: typeof d.phase === 'string' ? d.phase : null,
        field: typeof d.field === 'string' ? d.field : null,
        epoch: num(d.epoch),
      };
    }
    return { progress: this.run.progress, elapsedS: null, etaS: null, phase: null, field: null, epoch: null };
  });

  /** Follows until the run is done (or `signal` aborts); then reloads the run row. */
  async follow(signal: AbortSignal): Promise<void> {
    this.error = null;
    let pending: RunEvent[] = [];
    let scheduled = false;
    // Events can arrive by the hundred in one chunk: apply them in batches, not one by one.
    const flush = () => {
      scheduled = false;
      const seen = new Set(this.events.map((e) => e.seq));
      const fresh = pending.filter((e) => !seen.has(e.seq));
      pending = [];
      if (fresh.length) this.events = [...this.events, ...fresh].sort((a, b) => a.seq - b.seq);
    };
    try {
      await followRun(this.tenant, this.run.id, {
        signal,
        onConnection: (c) => (this.connected = c),
        onEvent: (e) => {
          pending.push(e);
          if (e.kind === 'progress') {
            if (typeof e.data.progress === 'number') this.run.progress = e.data.progress;
            if (this.run.status === 'queued') this.run.status = 'running';
          }
          if (!scheduled) {
            scheduled = true;
            setTimeout(flush, 50);
          }
        },
      });
      flush();
      this.connected = false;
      if (!signal.aborted) this.run = await api.getRun(this.tenant, this.run.id);
    } catch (err) {
      flush();
      this.connected = false;
      if (!signal.aborted) this.error = err;
    }
  }

  /** Reloads the run row (after cancel or resume). */
  async refresh(): Promise<void> {
    this.run = await api.getRun(this.tenant, this.run.id);
  }
}
