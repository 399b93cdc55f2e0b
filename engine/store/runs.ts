import { and, asc, desc, eq, gt, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { runEvents, runs, type RunStatus } from '../db/schema';
import { notFound } from '../errors';

export type Run = typeof runs.$inferSelect;
export type RunEvent = typeof runEvents.$inferSelect;
export type RunEventKind = RunEvent['kind'];

export interface NewRun {
  tenantId: string;
  kind: Run['kind'];
  tier: string;
  params: Record<string, unknown>;
  datasetId?: number | null;
  checkpointId?: number | null;
}

export function createRun(db: Db, input: NewRun): Run {
  return db
    .insert(runs)
    .values({ ...input, datasetId: input.datasetId ?? null, checkpointId: input.checkpointId ?? null })
    .returning()
    .get();
}

export function getRunById(db: Db, id: number): Run | null {
  return db.select().from(runs).where(eq(runs.id, id)).get() ?? null;
}

/** Scoped by tenant: a run of another tenant is reported as not found, never as forbidden. */
export function requireRun(db: Db, tenantId: string, id: number): Run {
  const run = db
    .select()
    .from(runs)
    .where(and(eq(runs.tenantId, tenantId), eq(runs.id, id)))
    .get();
  if (!run) throw notFound('run', id);
  return run;
}

export function listRuns(
  db: Db,
  filter: { tenantIds?: string[]; status?: RunStatus[]; kind?: Run['kind']; limit?: number } = {},
): Run[] {
  const conditions = [];
  if (filter.tenantIds) conditions.push(inArray(runs.tenantId, filter.tenantIds));
  if (filter.status?.length) conditions.push(inArray(runs.status, filter.status));
  if (filter.kind) conditions.push(eq(runs.kind, filter.kind));
  return db
    .select()
    .from(runs)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(runs.id))
    .limit(Math.min(filter.limit ?? 100, 1000))
    .all();
}

export function updateRun(db: Db, id: number, patch: Partial<Omit<Run, 'id'>>): Run {
  return db.update(runs).set(patch).where(eq(runs.id, id)).returning().get();
}

/** Appends an event with the next sequence number; seq is per run and gap-free, so clients resume with `after`. */
export function appendEvent(db: Db, runId: number, kind: RunEventKind, data: Record<string, unknown>): RunEvent {
  return db.transaction((tx) => {
    const last = tx
      .select({ seq: sql<number>`coalesce(max(${runEvents.seq}), 0)` })
      .from(runEvents)
      .where(eq(runEvents.runId, runId))
      .get();
    return tx
      .insert(runEvents)
      .values({ runId, seq: (last?.seq ?? 0) + 1, at: new Date().toISOString(), kind, data })
      .returning()
      .get();
  });
}

export function listEvents(db: Db, runId: number, afterSeq = 0, limit = 5000): RunEvent[] {
  return db
    .select()
    .from(runEvents)
    .where(and(eq(runEvents.runId, runId), gt(runEvents.seq, afterSeq)))
    .orderBy(asc(runEvents.seq))
    .limit(limit)
    .all();
}
