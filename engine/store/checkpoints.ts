import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../db';
import { checkpoints, evaluations } from '../db/schema';
import { notFound } from '../errors';

export type Checkpoint = typeof checkpoints.$inferSelect;
export type Evaluation = typeof evaluations.$inferSelect;

export function createCheckpoint(db: Db, input: typeof checkpoints.$inferInsert): Checkpoint {
  return db.insert(checkpoints).values(input).returning().get();
}

export function listCheckpoints(db: Db, tenantId: string): Checkpoint[] {
  return db.select().from(checkpoints).where(eq(checkpoints.tenantId, tenantId)).orderBy(desc(checkpoints.id)).all();
}

export function requireCheckpoint(db: Db, tenantId: string, id: number): Checkpoint {
  const c = db
    .select()
    .from(checkpoints)
    .where(and(eq(checkpoints.tenantId, tenantId), eq(checkpoints.id, id)))
    .get();
  if (!c) throw notFound('checkpoint', id);
  return c;
}

export function findCheckpointByRun(db: Db, runId: number): Checkpoint | null {
  return db.select().from(checkpoints).where(eq(checkpoints.runId, runId)).get() ?? null;
}

export function addEvaluation(db: Db, input: typeof evaluations.$inferInsert): Evaluation {
  return db.insert(evaluations).values(input).returning().get();
}

export function listEvaluations(db: Db, tenantId: string, checkpointId: number): Evaluation[] {
  return db
    .select()
    .from(evaluations)
    .where(and(eq(evaluations.tenantId, tenantId), eq(evaluations.checkpointId, checkpointId)))
    .orderBy(desc(evaluations.id))
    .all();
}
