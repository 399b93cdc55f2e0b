import { and, desc, eq } from 'drizzle-orm';
import type { Db } from '../db';
import { deployments } from '../db/schema';

export type Deployment = typeof deployments.$inferSelect;

export function activeDeployment(db: Db, tenantId: string): Deployment | null {
  return (
    db
      .select()
      .from(deployments)
      .where(and(eq(deployments.tenantId, tenantId), eq(deployments.active, true)))
      .get() ?? null
  );
}

export function allActiveDeployments(db: Db): Deployment[] {
  return db.select().from(deployments).where(eq(deployments.active, true)).all();
}

export function listDeployments(db: Db, tenantId: string): Deployment[] {
  return db.select().from(deployments).where(eq(deployments.tenantId, tenantId)).orderBy(desc(deployments.id)).all();
}

export function getDeployment(db: Db, tenantId: string, id: number): Deployment | null {
  return (
    db
      .select()
      .from(deployments)
      .where(and(eq(deployments.tenantId, tenantId), eq(deployments.id, id)))
      .get() ?? null
  );
}

/**
 * Retires the active deployment and makes a new one active in one transaction: a crash leaves either the old
 * or the new deployment live, never none and never both (a partial unique index also forbids two active rows).
 */
export function recordDeployment(
  db: Db,
  tenantId: string,
  input: { checkpointId: number; reason: Deployment['reason']; previousId: number | null },
): Deployment {
  return db.transaction((tx) => {
    tx.update(deployments)
      .set({ active: false, retiredAt: new Date().toISOString() })
      .where(and(eq(deployments.tenantId, tenantId), eq(deployments.active, true)))
      .run();
    return tx
      .insert(deployments)
      .values({ tenantId, checkpointId: input.checkpointId, reason: input.reason, previousId: input.previousId, active: true })
      .returning()
      .get();
  });
}
