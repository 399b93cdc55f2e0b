import { createHash } from 'node:crypto';
import { and, count, desc, eq, or, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { imports, ticketLabels, tickets } from '../db/schema';
import type { FieldSchema, LabeledTicket } from '../triage/types';
import { fieldIds, mergeFieldSchemas } from './fields';

export interface ImportSummary {
  importId: number;
  tickets: number;
  inserted: number;
  updated: number;
  fields: string[];
}

export interface StoreImportInput {
  format: string;
  filename?: string;
  sha256: string;
  fields: string[];
  tickets: LabeledTicket[];
  schemas: FieldSchema[];
  warnings?: unknown[];
}

/**
 * Stores a validated import in one transaction: either every ticket, label and new choice lands, or nothing
 * does. Tickets are upserted by their external id, so importing the same file twice changes nothing.
 */
export function storeImport(db: Db, tenantId: string, input: StoreImportInput): ImportSummary {
  return db.transaction((tx) => {
    mergeFieldSchemas(tx as unknown as Db, tenantId, input.schemas);
    const ids = fieldIds(tx as unknown as Db, tenantId);
    const imp = tx
      .insert(imports)
      .values({
        tenantId,
        format: input.format,
        filename: input.filename ?? null,
        sha256: input.sha256,
        tickets: input.tickets.length,
        inserted: 0,
        updated: 0,
        warnings: input.warnings ?? [],
      })
      .returning()
      .get();
    const externalIds = assignExternalIds(input.tickets);
    // Raw prepared statements: tens of thousands of rows go through this loop, and the query builder's
    // per-call overhead would dominate. They run on the same connection, inside this transaction.
    const sqlite = db.$client;
    const findTicket = sqlite.prepare('SELECT id FROM tickets WHERE tenant_id = ? AND external_id = ?');
    const updateTicket = sqlite.prepare(
      'UPDATE tickets SET title = ?, description = ?, import_id = ?, updated_at = ? WHERE id = ?',
    );
    const clearLabels = sqlite.prepare('DELETE FROM ticket_labels WHERE ticket_id = ?');
    const insertTicket = sqlite.prepare(
      'INSERT INTO tickets (tenant_id, external_id, title, description, import_id) VALUES (?, ?, ?, ?, ?)',
    );
    const insertLabel = sqlite.prepare('INSERT INTO ticket_labels (ticket_id, field_id, value) VALUES (?, ?, ?)');
    const now = new Date().toISOString();
    let inserted = 0;
    let updated = 0;
    for (let i = 0; i < input.tickets.length; i++) {
      const t = input.tickets[i];
      const existing = findTicket.get(tenantId, externalIds[i]) as { id: number } | undefined;
      let ticketId: number;
      if (existing) {
        ticketId = existing.id;
        updateTicket.run(t.title, t.description, imp.id, now, ticketId);
        clearLabels.run(ticketId);
        updated++;
      } else {
        ticketId = Number(insertTicket.run(tenantId, externalIds[i], t.title, t.description, imp.id).lastInsertRowid);
        inserted++;
      }
      for (const [field, value] of Object.entries(t.fields)) {
        const fieldId = ids.get(field);
        if (fieldId !== undefined) insertLabel.run(ticketId, fieldId, value);
      }
    }
    tx.update(imports).set({ inserted, updated }).where(eq(imports.id, imp.id)).run();
    return { importId: imp.id, tickets: input.tickets.length, inserted, updated, fields: input.fields };
  });
}

/**
 * Uploads may omit ids. A content hash gives such tickets a stable id, so a re-import updates instead of
 * duplicating; identical tickets within one file get an occurrence suffix so none is lost.
 */
function assignExternalIds(list: LabeledTicket[]): string[] {
  const seen = new Map<string, number>();
  return list.map((t) => {
    if (t.id !== undefined && t.id !== '') return String(t.id);
    const base =
      'h:' +
      createHash('sha256')
        .update(JSON.stringify([t.title, t.description, t.fields]))
        .digest('hex')
        .slice(0, 24);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base}#${n}`;
  });
}

export interface TicketRow {
  id: string;
  title: string;
  description: string;
  fields: Record<string, string>;
  createdAt: string;
}

/** A page of a tenant's tickets, newest first, optionally filtered by a text search on title and description. */
export function listTickets(
  db: Db,
  tenantId: string,
  opts: { q?: string; limit?: number; offset?: number } = {},
): { total: number; tickets: TicketRow[] } {
  const limit = Math.min(Math.max(opts.limit ?? 50, 1), 500);
  const offset = Math.max(opts.offset ?? 0, 0);
  const pattern = opts.q ? `%${opts.q.replace(/[%_\\]/g, (c) => `\\${c}`)}%` : null;
  const where = pattern
    ? and(
        eq(tickets.tenantId, tenantId),
        or(sql`${tickets.title} LIKE ${pattern} ESCAPE '\\'`, sql`${tickets.description} LIKE ${pattern} ESCAPE '\\'`),
      )
    : eq(tickets.tenantId, tenantId);
  const total = db.select({ n: count() }).from(tickets).where(where).get()?.n ?? 0;
  const rows = db.select().from(tickets).where(where).orderBy(desc(tickets.id)).limit(limit).offset(offset).all();
  const names = new Map([...fieldIds(db, tenantId)].map(([name, id]) => [id, name]));
  const labels = rows.length
    ? db
        .select()
        .from(ticketLabels)
        .where(sql`${ticketLabels.ticketId} IN (${sql.join(rows.map((r) => sql`${r.id}`), sql`, `)})`)
        .all()
    : [];
  return {
    total,
    tickets: rows.map((r) => ({
      id: r.externalId,
      title: r.title,
      description: r.description,
      createdAt: r.createdAt,
      fields: Object.fromEntries(
        labels.filter((l) => l.ticketId === r.id).map((l) => [names.get(l.fieldId) ?? String(l.fieldId), l.value]),
      ),
    })),
  };
}

export function countTickets(db: Db, tenantId: string): number {
  return db.select({ n: count() }).from(tickets).where(eq(tickets.tenantId, tenantId)).get()?.n ?? 0;
}
