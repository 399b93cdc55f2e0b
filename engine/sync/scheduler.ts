import type { EngineContext } from '../context';
import { listConnectors } from '../store/connectors';
import { listRuns } from '../store/runs';
import { startRun } from '../services/start-run';

/**
 * Starts scheduled syncs: every tenant whose connection has `scheduleMinutes` gets a sync run once that much
 * time has passed since its last one, unless one is already queued or running.
 */
export class SyncScheduler {
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly ctx: EngineContext,
    private readonly everyMs = 30_000,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.tick(), this.everyMs);
    this.timer.unref(); // the schedule never keeps a stopping process alive
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One pass; returns the tenants it started a sync for. */
  tick(now = Date.now()): string[] {
    const started: string[] = [];
    for (const c of listConnectors(this.ctx.db)) {
      if (c.scheduleMinutes <= 0) continue;
      const last = c.lastSyncAt ? Date.parse(c.lastSyncAt) : 0;
      if (now - last < c.scheduleMinutes * 60_000) continue;
      const busy = listRuns(this.ctx.db, { tenantIds: [c.tenantId], kind: 'sync', status: ['queued', 'running'], limit: 1 }).length > 0;
      if (busy) continue;
      startRun(this.ctx, c.tenantId, { kind: 'sync' });
      started.push(c.tenantId);
    }
    return started;
  }
}
