import { describe, expect, it } from 'vitest';
import { createDataset, loadSplit } from '../../../../engine/store/datasets';
import { getFieldSchemas, mergeFieldSchemas } from '../../../../engine/store/fields';
import { countTickets, listTickets, storeImport } from '../../../../engine/store/tickets';
import { createTenant } from '../../../../engine/store/tenants';
import type { FieldSchema, LabeledTicket } from '../../../../engine/triage/types';
import { memoryDb } from '../../../helpers/memory-db';

const tickets = (n: number, prefix = ''): LabeledTicket[] =>
  Array.from({ length: n }, (_, i) => ({
    id: `${prefix}${i}`,
    title: `ticket ${i}`,
    description: `about ${i % 3}`,
    fields: { queue: `Q${i % 3}` },
  }));

const schemas = (list: LabeledTicket[]): FieldSchema[] => [
  { name: 'queue', label: 'queue', choices: [...new Set(list.map((t) => t.fields.queue))].map((v) => ({ value: v, label: v, active: true })) },
];

const store = (db: ReturnType<typeof memoryDb>, list: LabeledTicket[], tenant = 't1') =>
  storeImport(db, tenant, { format: 'json', sha256: 'x', fields: ['queue'], tickets: list, schemas: schemas(list) });

describe('storeImport', () => {
  it('upserts by external id, so a second import of the same tickets adds nothing', () => {
    const db = memoryDb();
    expect(store(db, tickets(10))).toMatchObject({ inserted: 10, updated: 0 });
    const relabelled = tickets(10).map((t) => ({ ...t, fields: { queue: 'Q9' } }));
    expect(store(db, relabelled)).toMatchObject({ inserted: 0, updated: 10 });
    expect(countTickets(db, 't1')).toBe(10);
    expect(listTickets(db, 't1', { limit: 100 }).tickets.every((t) => t.fields.queue === 'Q9')).toBe(true);
  });

  it('gives id-less tickets stable content ids and keeps identical ones apart', () => {
    const db = memoryDb();
    const same = { title: 'a', description: 'b', fields: { queue: 'Q1' } };
    expect(store(db, [same, same, { ...same, title: 'c' }])).toMatchObject({ inserted: 3 });
    expect(store(db, [same, same, { ...same, title: 'c' }])).toMatchObject({ inserted: 0, updated: 3 });
  });

  it('is all-or-nothing: a failure half way stores no ticket and no choice', () => {
    const db = memoryDb();
    const bad = tickets(5);
    (bad[3] as { title: unknown }).title = null; // violates NOT NULL inside the transaction
    expect(() => store(db, bad)).toThrow();
    expect(countTickets(db, 't1')).toBe(0);
    expect(getFieldSchemas(db, 't1')).toEqual([]);
  });

  it('keeps tenants apart: the same external id in two tenants is two tickets', () => {
    const db = memoryDb();
    createTenant(db, { id: 't2' });
    store(db, tickets(3));
    store(db, tickets(3), 't2');
    expect(countTickets(db, 't1')).toBe(3);
    expect(countTickets(db, 't2')).toBe(3);
  });

  it('searches title and description, with LIKE wildcards taken literally', () => {
    const db = memoryDb();
    store(db, [...tickets(5), { id: 'p', title: '100% CPU', description: 'x', fields: { queue: 'Q1' } }]);
    expect(listTickets(db, 't1', { q: 'about 2' }).total).toBe(1);
    expect(listTickets(db, 't1', { q: '100%' }).tickets.map((t) => t.id)).toEqual(['p']);
    expect(listTickets(db, 't1', { q: '%' }).total).toBe(1);
  });
});

describe('mergeFieldSchemas', () => {
  it('adds missing choices without overriding synced ones, and keeps parent links', () => {
    const db = memoryDb();
    mergeFieldSchemas(db, 't1', [
      { name: 'issue', label: 'Issue', choices: [{ value: '1', label: 'Hardware', active: true }] },
      { name: 'sub', label: 'Sub', parentField: 'issue', choices: [{ value: '10', label: 'Printer', active: false, parent: '1' }] },
    ], 'autotask');
    mergeFieldSchemas(db, 't1', [{ name: 'sub', label: 'sub', choices: [{ value: '10', label: 'changed', active: true }, { value: '11', label: '11', active: true }] }]);
    const sub = getFieldSchemas(db, 't1').find((f) => f.name === 'sub')!;
    expect(sub.parentField).toBe('issue');
    expect(sub.choices).toEqual([
      { value: '10', label: 'Printer', active: false, parent: '1' },
      { value: '11', label: '11', active: true, parent: null },
    ]);
  });
});

describe('createDataset', () => {
  it('freezes a deterministic split with the requested shares and reuses an identical dataset', () => {
    const db = memoryDb();
    store(db, tickets(2000));
    const a = createDataset(db, 't1', { seed: 5 });
    expect(a.counts.train + a.counts.validation + a.counts.test).toBe(2000);
    expect(a.counts.test).toBeGreaterThan(150);
    expect(a.counts.test).toBeLessThan(250);
    expect(a.counts.validation).toBeGreaterThan(150);
    expect(createDataset(db, 't1', { seed: 5 }).id).toBe(a.id);
    const b = createDataset(db, 't1', { seed: 6 });
    expect(b.id).not.toBe(a.id);
    expect(b.hash).not.toBe(a.hash);
  });

  it('does not change when tickets are relabelled later', () => {
    const db = memoryDb();
    store(db, tickets(50));
    const d = createDataset(db, 't1');
    const before = loadSplit(db, d.id, 'train');
    store(db, tickets(50).map((t) => ({ ...t, title: 'edited', fields: { queue: 'Q9' } })));
    expect(loadSplit(db, d.id, 'train')).toEqual(before);
    expect(createDataset(db, 't1').id).not.toBe(d.id);
  });

  it('time strategy: the newest tickets are the test split', () => {
    const db = memoryDb();
    store(db, tickets(100));
    const d = createDataset(db, 't1', { strategy: 'time', validation: 0.1, test: 0.2 });
    expect(d.counts).toEqual({ train: 70, validation: 10, test: 20 });
    const testTitles = loadSplit(db, d.id, 'test').map((t) => Number(t.title.split(' ')[1]));
    expect(Math.min(...testTitles)).toBe(80);
  });
});
