import type { Db } from '../db';
import { ApiError } from '../errors';
import {
  appendEvent,
  getRunById,
  listRuns,
  updateRun,
  type Run,
  type RunEventKind,
} from '../store/runs';
import type { RunEventBus } from './event-bus';

export interface RunContext {
  run: Run;
  /** Aborted on cancel and on engine shutdown; handlers pass it down to long work. */
  signal: AbortSignal;
  /** Stores an event and streams it to listeners. */
  emit(kind: RunEventKind, data: Record<string, unknown>): void;
  /** Records progress (0..1) with details such as step, loss and epoch; adds elapsed time and ETA. */
  progress(fraction: number, data?: Record<string, unknown>): void;
  /** The GPU indices this run holds (CUDA_VISIBLE_DEVICES for its processes); empty for a CPU run. */
  gpuDevices: number[];
}

export type RunHandler = (ctx: RunContext) => Promise<Record<string, unknown>>;

export interface RunnerOptions {
  maxConcurrent: number;
  /** GPUs this machine has; GPU runs share them (0: GPU runs wait forever, which the API refuses up front). */
  gpus?: number;
  /** GPUs a run needs (0 for CPU work). */
  gpusFor?: (run: Run) => number;
}

const SHUTDOWN = 'engine shutdown';

/**
 * Executes queued runs, at most `maxConcurrent` at a time, oldest first. The database is the queue: a run is
 * whatever its row says, so a restart finds every run where it was. A run that was running when the engine
 * died is marked interrupted and, when resumption is on, queued again.
 */
export class RunRunner {
  /** Runs in progress; `devices` are the GPU indices a GPU run holds (empty for a CPU run). */
  private readonly active = new Map<number, { controller: AbortController; done: Promise<void>; devices: number[]; tenantId: string }>();
  private stopping = false;

  constructor(
    private readonly db: Db,
    private readonly bus: RunEventBus,
    private readonly handlers: Partial<Record<Run['kind'], RunHandler>>,
    private readonly opts: RunnerOptions,
  ) {}

  private gpusOf(run: Run): number {
    return this.opts.gpusFor?.(run) ?? 0;
  }

  private gpusInUse(): number {
    let n = 0;
    for (const a of this.active.values()) n += a.devices.length;
    return n;
  }

  /** The lowest `n` GPU indices no running run holds: two runs that fit side by side never share a GPU. */
  private freeDevices(n: number): number[] {
    const held = new Set([...this.active.values()].flatMap((a) => a.devices));
    const out: number[] = [];
    for (let i = 0; i < (this.opts.gpus ?? 0) && out.length < n; i++) if (!held.has(i)) out.push(i);
    return out;
  }

  /**
   * The GPU queue: the GPU runs running now and those waiting, in the order they will get the GPUs. A run takes
   * the GPUs it needs (all of them by default) and keeps them until it ends: one training run at a time.
   */
  gpuQueue(): { running: { runId: number; tenantId: string; gpus: number; devices: number[] }[]; queued: { runId: number; tenantId: string; gpus: number }[]; gpus: number } {
    const running = [...this.active.entries()]
      .filter(([, a]) => a.devices.length > 0)
      .map(([runId, a]) => ({ runId, tenantId: a.tenantId, gpus: a.devices.length, devices: a.devices }));
    const queued = listRuns(this.db, { status: ['queued'], limit: 1000 })
      .filter((r) => this.gpusOf(r) > 0)
      .sort((a, b) => a.id - b.id)
      .map((r) => ({ runId: r.id, tenantId: r.tenantId, gpus: this.gpusOf(r) }));
    return { running, queued, gpus: this.opts.gpus ?? 0 };
  }

  /** Called once at start, before any run is started. Returns the ids it re-queued. */
  recover(resume: boolean): number[] {
    for (const run of listRuns(this.db, { status: ['running'], limit: 1000 })) {
      this.finish(run.id, 'interrupted', { error: 'the engine stopped while this run was running' });
    }
    if (!resume) return [];
    const requeued = listRuns(this.db, { status: ['interrupted'], limit: 1000 }).map((r) => this.resume(r).id);
    return requeued;
  }

  /** Queues the run (already stored as 'queued') and starts it when a slot is free. */
  submit(run: Run): void {
    const gpus = this.gpusOf(run);
    const ahead = gpus > 0 ? this.gpuQueue().running.length + this.gpuQueue().queued.filter((q) => q.runId < run.id).length : 0;
    this.emit(run.id, 'log', {
      message: `queued ${run.kind} run (${run.tier})${gpus > 0 ? `; needs ${gpus} GPU(s)${ahead ? `, ${ahead} GPU run(s) ahead of it` : ''}` : ''}`,
    });
    this.pump();
  }

  cancel(run: Run): Run {
    if (run.status === 'queued') {
      const done = this.finish(run.id, 'cancelled', { error: 'cancelled before it started' });
      // It may have been first in the GPU line, holding back smaller runs behind it.
      queueMicrotask(() => this.pump());
      return done;
    }
    const active = this.active.get(run.id);
    if (run.status === 'running' && active) {
      active.controller.abort('cancelled');
      return getRunById(this.db, run.id) ?? run;
    }
    throw new ApiError(409, 'run_not_cancellable', `run ${run.id} is ${run.status}; only queued or running runs can be cancelled`);
  }

  /** Queues an interrupted, failed or cancelled run again; handlers pick up from what the run already produced. */
  resume(run: Run): Run {
    if (!['interrupted', 'failed', 'cancelled'].includes(run.status)) {
      throw new ApiError(409, 'run_not_resumable', `run ${run.id} is ${run.status}; only interrupted, failed or cancelled runs can be resumed`);
    }
    const updated = updateRun(this.db, run.id, { status: 'queued', error: null, finishedAt: null });
    this.emit(run.id, 'log', { message: `resumed after it was ${run.status}` });
    queueMicrotask(() => this.pump());
    return updated;
  }

  /** Stops taking runs and interrupts the running ones, which resume at the next start. */
  async shutdown(): Promise<void> {
    this.stopping = true;
    for (const { controller } of this.active.values()) controller.abort(SHUTDOWN);
    await Promise.all([...this.active.values()].map((a) => a.done));
  }

  /** Resolves when nothing is running or queued (tests and the demo bootstrap wait on it). */
  async idle(): Promise<void> {
    while (this.active.size > 0 || listRuns(this.db, { status: ['queued'], limit: 1 }).length > 0) {
      await Promise.all([...this.active.values()].map((a) => a.done));
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  /**
   * Starts the oldest queued runs that fit. CPU runs take one of `maxConcurrent` slots; GPU runs take the GPUs they
   * need instead (their work is on the GPU, and a long training must not hold up syncs and fast training). A GPU
   * run that has to wait does not hold up CPU runs queued after it, but GPU runs keep their order among themselves.
   */
  private pump(): void {
    if (this.stopping) return;
    let gpuBlocked = false;
    for (const r of listRuns(this.db, { status: ['queued'], limit: 1000 }).sort((a, b) => a.id - b.id)) {
      if (this.active.has(r.id)) continue;
      const need = this.gpusOf(r);
      if (need === 0) {
        const cpuActive = [...this.active.values()].filter((a) => a.devices.length === 0).length;
        if (cpuActive < this.opts.maxConcurrent) this.start(r);
        continue;
      }
      if (gpuBlocked) continue;
      if (need <= (this.opts.gpus ?? 0) - this.gpusInUse()) this.start(r);
      else gpuBlocked = true;
    }
  }

  private start(run: Run): void {
    const controller = new AbortController();
    const gpus = this.gpusOf(run);
    const devices = gpus > 0 ? this.freeDevices(gpus) : [];
    const startedAt = Date.now();
    const started = updateRun(this.db, run.id, {
      status: 'running',
      startedAt: new Date(startedAt).toISOString(),
      attempts: run.attempts + 1,
    });
    const ctx: RunContext = {
      run: started,
      signal: controller.signal,
      gpuDevices: devices,
      emit: (kind, data) => this.emit(run.id, kind, data),
      progress: (fraction, data = {}) => {
        const p = Math.min(Math.max(fraction, 0), 1);
        const elapsedS = (Date.now() - startedAt) / 1000;
        const etaS = p > 0 && p < 1 ? (elapsedS * (1 - p)) / p : p >= 1 ? 0 : null;
        updateRun(this.db, run.id, { progress: p });
        this.emit(run.id, 'progress', { ...data, progress: round(p, 4), elapsedS: round(elapsedS, 2), etaS: etaS === null ? null : round(etaS, 1) });
      },
    };
    const handler = this.handlers[run.kind];
    const done = (async () => {
      try {
        if (!handler) throw new Error(`no handler for ${run.kind} runs`);
        const result = await handler(ctx);
        if (controller.signal.aborted) throw controller.signal.reason;
        updateRun(this.db, run.id, { result, progress: 1 });
        this.finish(run.id, 'succeeded', { result });
      } catch (err) {
        if (controller.signal.aborted) {
          const reason = String(controller.signal.reason);
          if (reason === SHUTDOWN) this.finish(run.id, 'interrupted', { error: 'the engine stopped while this run was running' });
          else this.finish(run.id, 'cancelled', { error: 'cancelled by request' });
        } else {
          this.finish(run.id, 'failed', { error: err instanceof Error ? err.message : String(err) });
        }
      } finally {
        this.active.delete(run.id);
        this.pump();
      }
    })();
    this.active.set(run.id, { controller, done, devices, tenantId: run.tenantId });
  }

  private finish(runId: number, status: Run['status'], info: { error?: string; result?: Record<string, unknown> }): Run {
    const run = updateRun(this.db, runId, {
      status,
      error: info.error ?? null,
      finishedAt: new Date().toISOString(),
    });
    // Every terminal state ends with one 'done' event, so a listener needs to watch for one kind only.
    if (status === 'failed') this.emit(runId, 'error', { message: info.error });
    this.emit(runId, 'done', {
      status,
      ...(info.error ? { message: info.error } : {}),
      ...(info.result ? { result: info.result } : {}),
    });
    return run;
  }

  private emit(runId: number, kind: RunEventKind, data: Record<string, unknown>): void {
    this.bus.publish(appendEvent(this.db, runId, kind, data));
  }
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
