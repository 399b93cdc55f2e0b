import { describe, expect, it } from 'vitest';
import { STATUS_COMPLETE, STATUS_NEW } from '../../../../connectors/autotask/mock-fields';
import { collect, connectorFor, startMock } from './helpers';

const ids = (pages: { externalId: string }[][]) => pages.flat().map((t) => Number(t.externalId));

describe('Autotask client: fetchTickets', () => {
  it('pages through every ticket in id order, following nextPageUrl with POST and the same body', async () => {
    const mock = await startMock({ tenant: { tickets: 1100 } });
    const c = connectorFor(mock);
    const pages = await collect(c, { pageSize: 200 });
    expect(pages.map((p) => p.length)).toEqual([200, 200, 200, 200, 200, 100]);
    const all = ids(pages);
    expect(all).toEqual(mock.state.tickets.rows.map((r) => r.id));
    expect(new Set(all).size).toBe(all.length);
    for (const page of pages) expect(page.map((t) => Number(t.externalId))).toEqual([...page.map((t) => Number(t.externalId))].sort((a, b) => a - b));

    const queries = mock.state.requests.filter((r) => r.path.includes('/Tickets/query'));
    expect(queries.map((r) => r.method)).toEqual(Array(6).fill('POST'));
    expect(queries[0].path).toBe('/zone3/ATServicesRest/V1.0/Tickets/query');
    for (const q of queries.slice(1)) expect(q.path).toMatch(/^\/zone3\/ATServicesRest\/V1\.0\/Tickets\/query\/next\?paging=/);
    for (const q of queries) expect(q.body).toEqual(queries[0].body);
    expect(queries[0].body).toEqual({
      MaxRecords: 200,
      IncludeFields: ['id', 'title', 'description', 'createDate', 'lastActivityDate', 'status', 'ticketType', 'issueType', 'subIssueType', 'priority', 'queueID', 'billingCodeID'],
      filter: [{ op: 'gte', field: 'id', value: 0 }],
    });
  });

  it('caps the page size at 500', async () => {
    const mock = await startMock({ tenant: { tickets: 1200 } });
    const pages = await collect(connectorFor(mock), { pageSize: 5000 });
    expect(pages.map((p) => p.length)).toEqual([500, 500, 200]);
  });

  it('resumes after a cursor without losing or repeating a ticket', async () => {
    const mock = await startMock({ tenant: { tickets: 700 } });
    const c = connectorFor(mock);
    const first: number[] = [];
    for await (const page of c.fetchTickets({ since: null, afterId: null, pageSize: 150 })) {
      first.push(...page.map((t) => Number(t.externalId)));
      if (first.length >= 300) break; // "crash" after two pages
    }
    const rest = ids(await collect(c, { afterId: String(first.at(-1)), pageSize: 150 }));
    expect([...first, ...rest]).toEqual(mock.state.tickets.rows.map((r) => r.id));
    expect(mock.state.requests.at(-1)!.body).toMatchObject({ filter: [{ op: 'gt', field: 'id', value: first.at(-1) }] });
  });

  it('filters on lastActivityDate >= since, and sees touched tickets in the next incremental pull', async () => {
    const mock = await startMock({ tenant: { tickets: 400 } });
    const c = connectorFor(mock);
    const sorted = mock.state.tickets.rows.map((r) => r.lastActivityDate as string).sort();
    const since = sorted[300];
    const got = ids(await collect(c, { since }));
    const expected = mock.state.tickets.rows.filter((r) => (r.lastActivityDate as string) >= since).map((r) => r.id);
    expect(got).toEqual(expected);
    expect(got).toHaveLength(100);

    const latest = sorted.at(-1)!;
    const touched = mock.state.tickets.rows[5].id;
    const stamp = mock.state.touchTicket(touched);
    const added = mock.state.addTicket({ title: 'Scanner jams on every page', description: 'The HP scanner in reception jams.' }).id;
    const incremental = (await collect(c, { since: new Date(Date.parse(latest) + 1).toISOString() })).flat();
    expect(incremental.map((t) => Number(t.externalId))).toEqual([touched, added]);
    expect(incremental[0].updatedAt).toBe(stamp);
    expect(incremental[1]).toMatchObject({ title: 'Scanner jams on every page', completed: false });
  });

  it('maps each ticket: ids as strings, nulls for unset fields, dates, and Complete by the status picklist', async () => {
    const mock = await startMock({ tenant: { tickets: 300 } });
    const tickets = (await collect(connectorFor(mock))).flat();
    const byId = new Map(tickets.map((t) => [Number(t.externalId), t]));
    for (const row of mock.state.tickets.rows) {
      const t = byId.get(row.id)!;
      expect(t).toMatchObject({ title: row.title, description: row.description, createdAt: row.createDate, updatedAt: row.lastActivityDate });
      expect(t.completed).toBe(row.status === STATUS_COMPLETE);
      expect(t.fields).toEqual({
        ticket_type: String(row.ticketType),
        issue_type: row.issueType === null ? null : String(row.issueType),
        sub_issue_type: row.subIssueType === null ? null : String(row.subIssueType),
        priority: String(row.priority),
        queue: String(row.queueID),
        billing_code: row.billingCodeID === null ? null : String(row.billingCodeID),
      });
    }
    const fresh = tickets.find((t) => mock.state.ticket(Number(t.externalId))!.status === STATUS_NEW)!;
    expect(fresh.fields.issue_type).toBeNull();
    expect(tickets.filter((t) => t.completed).length).toBeGreaterThan(150);
    expect(tickets.filter((t) => !t.completed).length).toBeGreaterThan(50);
  });

  it('reads which status means Complete from the picklist, not from a constant', async () => {
    const mock = await startMock({ tenant: { tickets: 50 } });
    mock.state.renamePicklistValue('status', STATUS_COMPLETE, 'Resolved (legacy)');
    const complete = mock.state.addPicklistValue('status', { label: 'Complete', value: 14 });
    const open = mock.state.tickets.rows.find((r) => r.status !== STATUS_COMPLETE)!.id;
    mock.state.completeTicket(open); // status 5, now labelled "Resolved (legacy)"
    const closed = mock.state.tickets.rows.find((r) => r.status === STATUS_COMPLETE && r.id !== open)!.id;
    mock.state.tickets.get(closed)!.status = complete;
    const tickets = (await collect(connectorFor(mock))).flat();
    expect(tickets.filter((t) => t.completed).map((t) => Number(t.externalId))).toEqual([closed]);
  });

  it('completing a ticket gives it the final values and brings it back as completed', async () => {
    const mock = await startMock({ tenant: { tickets: 100 } });
    const c = connectorFor(mock);
    const open = mock.state.tickets.rows.find((r) => r.status === STATUS_NEW)!;
    const truth = mock.state.finalValues.get(open.id)!;
    const before = (await collect(c)).flat().find((t) => Number(t.externalId) === open.id)!;
    mock.state.completeTicket(open.id);
    const after = (await collect(c, { since: before.updatedAt })).flat().find((t) => Number(t.externalId) === open.id)!;
    expect(after.completed).toBe(true);
    expect(after.fields.issue_type).toBe(String(truth.issueType));
    expect(after.fields.sub_issue_type).toBe(String(truth.subIssueType));
    expect(after.updatedAt > before.updatedAt).toBe(true);
  });
});
