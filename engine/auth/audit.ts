import { and, desc, inArray, type SQL } from 'drizzle-orm';
import type { Db } from '../db';
import { auditLog } from '../db/schema';

export type AuditAction =
  | 'deploy'
  | 'rollback'
  | 'psa.write_back'
  | 'token.create'
  | 'token.revoke'
  | 'connector.set'
  | 'connector.delete'
  | 'triage_settings.set';

/** Appends one entry; the table refuses updates and deletes (triggers in the migration). */
export function audit(db: Db, entry: { actor: string; action: AuditAction; tenantId?: string | null; detail?: Record<string, unknown> }): void {
  db.insert(auditLog).values({ actor: entry.actor, action: entry.action, tenantId: entry.tenantId ?? null, detail: entry.detail ?? {} }).run();
}

export function listAudit(db: Db, filter: { tenantIds?: string[]; limit?: number } = {}) {
  const where: SQL[] = [];
  if (filter.tenantIds) where.push(inArray(auditLog.tenantId, filter.tenantIds));
  return db
    .select()
    .from(auditLog)
    .where(where.length ? and(...where) : undefined)
    .orderBy(desc(auditLog.id))
    .limit(Math.min(filter.limit ?? 200, 1000))
    .all();
}

