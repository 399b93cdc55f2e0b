import { eq } from 'drizzle-orm';
import type { Db } from '../db';
import { connectors } from '../db/schema';
import { ApiError } from '../errors';

export type ConnectorRow = typeof connectors.$inferSelect;
export type SyncCursor = ConnectorRow['cursor'];

export function findConnector(db: Db, tenantId: string): ConnectorRow | null {
  return db.select().from(connectors).where(eq(connectors.tenantId, tenantId)).get() ?? null;
}

export function requireConnector(db: Db, tenantId: string): ConnectorRow {
  const row = findConnector(db, tenantId);
  if (!row) throw new ApiError(404, 'no_connector', `tenant "${tenantId}" has no PSA connection; set one with PUT /api/tenants/${tenantId}/connector`);
  return row;
}

export function listConnectors(db: Db): ConnectorRow[] {
  return db.select().from(connectors).all();
}

/** Creates or replaces a tenant's connection; a new connection starts with a fresh cursor (a full first sync). */
export function upsertConnector(
  db: Db,
  tenantId: string,
  input: { kind: ConnectorRow['kind']; config: Record<string, unknown>; secrets: string; scheduleMinutes: number },
): ConnectorRow {
  const existing = findConnector(db, tenantId);
  const sameSource = existing && existing.kind === input.kind && JSON.stringify(existing.config) === JSON.stringify(input.config);
  return db
    .insert(connectors)
    .values({ tenantId, ...input, cursor: sameSource ? existing.cursor : { since: null, afterId: null } })
    .onConflictDoUpdate({
      target: connectors.tenantId,
      set: { ...input, cursor: sameSource ? existing.cursor : { since: null, afterId: null } },
    })
    .returning()
    .get();
}

export function updateConnector(db: Db, tenantId: string, patch: Partial<Omit<ConnectorRow, 'tenantId'>>): void {
  db.update(connectors).set(patch).where(eq(connectors.tenantId, tenantId)).run();
}

export function deleteConnector(db: Db, tenantId: string): void {
  db.delete(connectors).where(eq(connectors.tenantId, tenantId)).run();
}
