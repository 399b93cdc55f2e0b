import { beforeAll, describe, expect, it } from 'vitest';
import { type AutotaskMock, startAutotaskMock } from '../../../../connectors/autotask/mock-server';
import type { MockRow } from '../../../../connectors/autotask/mock-types';
import { rawClient } from './helpers';

let mock: AutotaskMock;
let rows: MockRow[];

/** All ids a filter matches, across pages, via the real HTTP API. */
async function ids(filter: unknown): Promise<number[]> {
  const call = rawClient(mock);
  const out: number[] = [];
  let target: string | null = 'Tickets/query';
  while (target) {
    const res = await call('POST', target, { IncludeFields: ['id'], filter });
    if (res.status !== 200) throw new Error(JSON.stringify(res.body));
    out.push(...res.body.items.map((i: { id: number }) => i.id));
    target = res.body.pageDetails.nextPageUrl;
  }
  return out;
}

const where = (test: (r: MockRow) => boolean) => rows.filter(test).map((r) => r.id);
const siteCount = (r: MockRow) => r.userDefinedFields?.find((u) => u.name === 'Site Count')?.value ?? null;

describe('Autotask mock filter engine (facts A5, E4)', () => {
  beforeAll(async () => {
    // One mock for the whole file (startMock's would close after each test); read-only queries only.
    mock = await startAutotaskMock({ tenant: { tickets: 600 } });
    rows = mock.state.tickets.rows;
    return () => mock.close();
  });

  it('compares numbers with eq, noteq, gt, gte, lt, lte (rows without a value match no comparison)', async () => {
    const p = 2;
    expect(await ids([{ op: 'eq', field: 'priority', value: p }])).toEqual(where((r) => r.priority === p));
    expect(await ids([{ op: 'noteq', field: 'issueType', value: 2 }])).toEqual(where((r) => r.issueType !== null && r.issueType !== 2));
    const mid = rows[300].id;
    expect(await ids([{ op: 'gt', field: 'id', value: mid }])).toEqual(where((r) => r.id > mid));
    expect(await ids([{ op: 'gte', field: 'id', value: mid }])).toEqual(where((r) => r.id >= mid));
    expect(await ids([{ op: 'lt', field: 'id', value: mid }])).toEqual(where((r) => r.id < mid));
    expect(await ids([{ op: 'lte', field: 'id', value: String(mid) }])).toEqual(where((r) => r.id <= mid));
  });

  it('compares date-times, with or without a zone designator (UTC)', async () => {
    const at = rows[200].lastActivityDate as string;
    expect(await ids([{ op: 'gte', field: 'lastActivityDate', value: at }])).toEqual(where((r) => (r.lastActivityDate as string) >= at));
    expect(await ids([{ op: 'lt', field: 'lastactivitydate', value: at.replace('.000Z', '') }])).toEqual(where((r) => (r.lastActivityDate as string) < at));
  });

  it('matches strings case-insensitively with beginsWith, endsWith, contains and eq', async () => {
    const lower = (r: MockRow) => String(r.title).toLowerCase();
    expect(await ids([{ op: 'contains', field: 'title', value: 'OUTLOOK' }])).toEqual(where((r) => lower(r).includes('outlook')));
    expect(await ids([{ op: 'beginsWith', field: 'Title', value: 'printer' }])).toEqual(where((r) => lower(r).startsWith('printer')));
    const suffix = String(rows[10].title).slice(-6).toUpperCase();
    expect(await ids([{ op: 'endsWith', field: 'title', value: suffix }])).toEqual(where((r) => lower(r).endsWith(suffix.toLowerCase())));
    expect(await ids([{ op: 'eq', field: 'ticketNumber', value: String(rows[3].ticketNumber).toLowerCase() }])).toEqual([rows[3].id]);
    expect(where((r) => lower(r).includes('outlook')).length).toBeGreaterThan(0);
  });

  it('tests existence with exist and notExist', async () => {
    expect(await ids([{ op: 'exist', field: 'issueType' }])).toEqual(where((r) => r.issueType !== null));
    expect(await ids([{ op: 'notExist', field: 'completedDate' }])).toEqual(where((r) => r.completedDate === null));
  });

  it('tests lists with in and notIn', async () => {
    expect(await ids([{ op: 'in', field: 'priority', value: [1, 4] }])).toEqual(where((r) => r.priority === 1 || r.priority === 4));
    expect(await ids([{ op: 'notIn', field: 'status', value: [1, 5] }])).toEqual(where((r) => r.status !== 1 && r.status !== 5));
  });

  it('groups with nested and/or; top-level entries are ANDed', async () => {
    const filter = [
      { op: 'eq', field: 'status', value: 5 },
      { op: 'or', items: [{ op: 'eq', field: 'priority', value: 4 }, { op: 'and', items: [{ op: 'eq', field: 'priority', value: 1 }, { op: 'contains', field: 'title', value: 'e' }] }] },
    ];
    expect(await ids(filter)).toEqual(where((r) => r.status === 5 && (r.priority === 4 || (r.priority === 1 && String(r.title).toLowerCase().includes('e')))));
  });

  it('looks up UDFs by name with udf:true', async () => {
    expect(await ids([{ op: 'gt', field: 'Site Count', udf: true, value: 3 }])).toEqual(where((r) => siteCount(r) !== null && Number(siteCount(r)) > 3));
    expect(await ids([{ op: 'exist', field: 'site count', udf: true }])).toEqual(where((r) => siteCount(r) !== null));
  });

  it('accepts field names, operators and keys in any case', async () => {
    expect(await ids([{ Op: 'EQ', Field: 'QUEUEID', Value: 29682833 }])).toEqual(where((r) => r.queueID === 29682833));
  });

  it('insists on JSON booleans for boolean fields', async () => {
    const call = rawClient(mock);
    expect(await ids([{ op: 'eq', field: 'serviceLevelAgreementHasBeenMet', value: false }])).toEqual(where((r) => r.serviceLevelAgreementHasBeenMet === false));
    for (const value of ['true', 1, null]) {
      const res = await call('POST', 'Tickets/query', { filter: [{ op: 'eq', field: 'serviceLevelAgreementHasBeenMet', value }] });
      expect(res.status).toBe(500);
      expect(res.body.errors[0]).toMatch(/must be true or false/);
    }
  });

  it('refuses more than 500 OR conditions, unknown fields and operators, and an empty filter', async () => {
    const call = rawClient(mock);
    const items = Array.from({ length: 501 }, (_, i) => ({ op: 'eq', field: 'id', value: i }));
    const many = await call('POST', 'Tickets/query', { filter: [{ op: 'or', items }] });
    expect(many).toMatchObject({ status: 500, body: { errors: ["Invalid query syntax. Queries are limited to 500 or fewer 'OR' conditions."] } });
    expect((await call('POST', 'Tickets/query', { filter: [{ op: 'or', items: items.slice(0, 500) }] })).status).toBe(200);
    expect((await call('POST', 'Tickets/query', { filter: [{ op: 'eq', field: 'colour', value: 1 }] })).body.errors[0]).toMatch(/colour/);
    expect((await call('POST', 'Tickets/query', { filter: [{ op: 'like', field: 'title', value: 'x' }] })).body.errors[0]).toMatch(/Unknown operator/);
    expect((await call('POST', 'Tickets/query', { filter: [] })).status).toBe(500);
  });
});
