import { createHash } from 'node:crypto';
import { and, asc, desc, eq } from 'drizzle-orm';
import type { Db } from '../db';
import { datasetItems, datasets } from '../db/schema';
import { notFound } from '../errors';
import type { LabeledTicket } from '../triage/types';

export type Dataset = typeof datasets.$inferSelect;
export type Split = 'train' | 'validation' | 'test';

export interface DatasetOptions {
  name?: string;
  seed?: number;
  strategy?: 'hash' | 'time';
  /** Shares of validation and test; the rest trains. */
  validation?: number;
  test?: number;
}

interface Row {
  id: number;
  external_id: string;
  title: string;
  description: string;
  field: string;
  value: string;
}

/**
 * Freezes the tenant's completed, labelled tickets (open tickets' labels are not final yet) into a dataset with a train/validation/test split.
 * The same tickets, labels and options give the same hash, and an existing dataset with that hash is reused,
 * so training twice on unchanged data does not pile up copies.
 */
export function createDataset(db: Db, tenantId: string, opts: DatasetOptions = {}): Dataset {
  const seed = opts.seed ?? 1;
  const strategy = opts.strategy ?? 'hash';
  const validationShare = opts.validation ?? 0.1;
  const testShare = opts.test ?? 0.1;
  const rows = db.$client
    .prepare(
      `SELECT t.id, t.external_id, t.title, t.description, f.name AS field, l.value
         FROM tickets t JOIN ticket_labels l ON l.ticket_id = t.id JOIN fields f ON f.id = l.field_id
        WHERE t.tenant_id = ? AND t.completed = 1
        ORDER BY coalesce(t.opened_at, t.created_at), t.id`,
    )
    .all(tenantId) as Row[];
  const byTicket = new Map<number, { externalId: string; title: string; description: string; labels: Record<string, string> }>();
  for (const r of rows) {
    let t = byTicket.get(r.id);
    if (!t) byTicket.set(r.id, (t = { externalId: r.external_id, title: r.title, description: r.description, labels: {} }));
    t.labels[r.field] = r.value;
  }
  const items = [...byTicket.entries()];
  const splitOf = splitter(strategy, seed, items.length, validationShare, testShare);
  const assigned = items.map(([ticketId, t], i) => ({ ticketId, ...t, split: splitOf(t.externalId, i) }));
  const fieldNames = [...new Set(rows.map((r) => r.field))].sort();
  const hash = createHash('sha256');
  hash.update(JSON.stringify({ strategy, seed, validationShare, testShare }));
  for (const a of [...assigned].sort((x, y) => (x.externalId < y.externalId ? -1 : 1))) {
    hash.update(JSON.stringify([a.externalId, a.split, a.title, a.description, a.labels]));
  }
  const digest = hash.digest('hex');
  const existing = db
    .select()
    .from(datasets)
    .where(and(eq(datasets.tenantId, tenantId), eq(datasets.hash, digest)))
    .get();
  if (existing) return existing;
  const counts = { train: 0, validation: 0, test: 0 };
  for (const a of assigned) counts[a.split]++;
  return db.transaction((tx) => {
    const dataset = tx
      .insert(datasets)
      .values({
        tenantId,
        name: opts.name ?? `${tenantId} ${new Date().toISOString().slice(0, 19).replace('T', ' ')}`,
        hash: digest,
        fields: fieldNames,
        splitSeed: seed,
        strategy,
        counts,
      })
      .returning()
      .get();
    const insert = db.$client.prepare(
      'INSERT INTO dataset_items (dataset_id, ticket_id, split, title, description, labels) VALUES (?, ?, ?, ?, ?, ?)',
    );
    for (const a of assigned) {
      insert.run(dataset.id, a.ticketId, a.split, a.title, a.description, JSON.stringify(a.labels));
    }
    return dataset;
  });
}

function splitter(
  strategy: 'hash' | 'time',
  seed: number,
  n: number,
  validationShare: number,
  testShare: number,
): (externalId: string, index: number) => Split {
  if (strategy === 'time') {
    // Items arrive oldest first: the newest tickets are the honest test of a model trained on the past.
    const testStart = Math.floor(n * (1 - testShare));
    const validationStart = Math.floor(n * (1 - testShare - validationShare));
    return (_id, i) => (i >= testStart ? 'test' : i >= validationStart ? 'validation' : 'train');
  }
  return (externalId) => {
    const h = createHash('sha256').update(`${seed}:${externalId}`).digest().readUInt32BE(0) / 2 ** 32;
    return h < testShare ? 'test' : h < testShare + validationShare ? 'validation' : 'train';
  };
}

export function listDatasets(db: Db, tenantId: string): Dataset[] {
  return db.select().from(datasets).where(eq(datasets.tenantId, tenantId)).orderBy(desc(datasets.id)).all();
}

export function requireDataset(db: Db, tenantId: string, id: number): Dataset {
  const d = db
    .select()
    .from(datasets)
    .where(and(eq(datasets.tenantId, tenantId), eq(datasets.id, id)))
    .get();
  if (!d) throw notFound('dataset', id);
  return d;
}

/** The frozen tickets of one split, in a stable order. */
export function loadSplit(db: Db, datasetId: number, split: Split): LabeledTicket[] {
  return db
    .select()
    .from(datasetItems)
    .where(and(eq(datasetItems.datasetId, datasetId), eq(datasetItems.split, split)))
    .orderBy(asc(datasetItems.ticketId))
    .all()
    .map((r) => ({ title: r.title, description: r.description, fields: r.labels }));
}
