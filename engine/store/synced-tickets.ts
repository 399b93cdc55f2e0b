import type { PsaTicket } from '../../connectors/types';
import type { Db } from '../db';
import { fieldIds } from './fields';

/** A ticket as a connector delivers it. */
export type SyncedTicket = PsaTicket;

export interface UpsertResult {
  inserted: number;
  updated: number;
  /** Row ids of tickets seen for the first time and still open: the ones to triage. */
  newOpen: number[];
  /** Row ids of tickets that are completed now and were not before: their final values score predictions. */
  completedNow: number[];
}

/**
 * Upserts a page of synced tickets with their current values, by (tenant, external id): a ticket read twice
 * (an overlapping or resumed sync) is updated, never duplicated. Runs inside the caller's transaction, which
 * also advances the sync cursor, so a page is either fully stored with its cursor or not at all.
 */
export function upsertSyncedTickets(db: Db, tenantId: string, source: string, page: SyncedTicket[]): UpsertResult {
  const ids = fieldIds(db, tenantId);
  const sqlite = db.$client;
  const find = sqlite.prepare('SELECT id, completed FROM tickets WHERE tenant_id = ? AND external_id = ?');
  const insert = sqlite.prepare(
    `INSERT INTO tickets (tenant_id, external_id, title, description, source, opened_at, source_updated_at, completed)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const update = sqlite.prepare(
    `UPDATE tickets SET title = ?, description = ?, source_updated_at = ?, completed = ?, updated_at = ? WHERE id = ?`,
  );
  const clearLabels = sqlite.prepare('DELETE FROM ticket_labels WHERE ticket_id = ?');
  const insertLabel = sqlite.prepare('INSERT INTO ticket_labels (ticket_id, field_id, value) VALUES (?, ?, ?)');
  const now = new Date().toISOString();
  const result: UpsertResult = { inserted: 0, updated: 0, newOpen: [], completedNow: [] };
  for (const t of page) {
    const existing = find.get(tenantId, t.externalId) as { id: number; completed: number } | undefined;
    let id: number;
    if (existing) {
      id = existing.id;
      update.run(t.title, t.description, t.updatedAt, t.completed ? 1 : 0, now, id);
      clearLabels.run(id);
      result.updated++;
      if (t.completed && !existing.completed) result.completedNow.push(id);
    } else {
      id = Number(insert.run(tenantId, t.externalId, t.title, t.description, source, t.createdAt, t.updatedAt, t.completed ? 1 : 0).lastInsertRowid);
      result.inserted++;
      if (t.completed) result.completedNow.push(id);
      else result.newOpen.push(id);
    }
    for (const [field, value] of Object.entries(t.fields)) {
      const fieldId = ids.get(field);
      if (fieldId !== undefined && value !== null && value !== '') insertLabel.run(id, fieldId, value);
    }
  }
  return result;
}

export interface StoredTicket {
  id: number;
  externalId: string;
  title: string;
  description: string;
  fields: Record<string, string>;
}

/** Tickets by row id with their current labels (for triage and scoring). */
export function loadTickets(db: Db, tenantId: string, rowIds: number[]): StoredTicket[] {
  if (rowIds.length === 0) return [];
  const names = new Map([...fieldIds(db, tenantId)].map(([name, id]) => [id, name]));
  const placeholders = rowIds.map(() => '?').join(',');
  const rows = db.$client
    .prepare(`SELECT id, external_id, title, description FROM tickets WHERE tenant_id = ? AND id IN (${placeholders})`)
    .all(tenantId, ...rowIds) as { id: number; external_id: string; title: string; description: string }[];
  const labels = db.$client
    .prepare(`SELECT ticket_id, field_id, value FROM ticket_labels WHERE ticket_id IN (${placeholders})`)
    .all(...rowIds) as { ticket_id: number; field_id: number; value: string }[];
  const byTicket = new Map<number, Record<string, string>>();
  for (const l of labels) {
    const name = names.get(l.field_id);
    if (!name) continue;
    (byTicket.get(l.ticket_id) ?? byTicket.set(l.ticket_id, {}).get(l.ticket_id)!)[name] = l.value;
  }
  return rows.map((r) => ({ id: r.id, externalId: r.external_id, title: r.title, description: r.description, fields: byTicket.get(r.id) ?? {} }));
}
