import { describe, expect, it } from 'vitest';
import { AutotaskError } from '../../../../connectors/autotask';
import { caught, connectorFor, startMock } from './helpers';

describe('Autotask client: updateTicket and addNote', () => {
  it('PATCHes only the given fields, as integers, with the impersonation header', async () => {
    const mock = await startMock({ tenant: { tickets: 30 } });
    const c = connectorFor(mock, { impersonationResourceId: 29684123 });
    const row = mock.state.tickets.rows[3];
    const before = { ...row };
    const queue = mock.state.valueOf('queueID', 'Network Operations');
    await c.updateTicket(String(row.id), { priority: '4', queue: String(queue) });

    const patch = mock.state.requests.find((r) => r.method === 'PATCH')!;
    expect(patch.path).toBe('/zone3/ATServicesRest/V1.0/Tickets');
    expect(patch.body).toEqual({ id: row.id, priority: 4, queueID: queue });
    expect(patch.headers.impersonationresourceid).toBe('29684123');
    const after = mock.state.ticket(row.id)!;
    expect(after).toMatchObject({ priority: 4, queueID: queue, issueType: before.issueType, subIssueType: before.subIssueType, title: before.title });
    expect(after.lastActivityDate! > (before.lastActivityDate as string)).toBe(true);
    // Reads never carry the impersonation header.
    expect(mock.state.requests.filter((r) => r.method === 'GET').every((r) => r.headers.impersonationresourceid === undefined)).toBe(true);
  });

  it('writes a sub-issue type together with its issue type; a mismatched pair is refused at once', async () => {
    const mock = await startMock({ tenant: { tickets: 30 } });
    const c = connectorFor(mock);
    const id = mock.state.tickets.rows[0].id;
    const { state } = mock;
    await c.updateTicket(String(id), { issue_type: String(state.valueOf('issueType', 'Hardware')), sub_issue_type: String(state.valueOf('subIssueType', 'Computer Failure')) });
    expect(state.ticket(id)!.subIssueType).toBe(state.valueOf('subIssueType', 'Computer Failure'));
    const err = await caught(c.updateTicket(String(id), { sub_issue_type: String(state.valueOf('subIssueType', 'Account Lockout')) }));
    expect((err as AutotaskError).code).toBe('api');
    expect(err.message).toMatch(/does not belong to issueType/);
    expect(mock.state.counters.byStatus[500]).toBe(1);
  });

  it('refuses unknown tenant fields and non-id values before sending anything', async () => {
    const mock = await startMock({ tenant: { tickets: 10 } });
    const c = connectorFor(mock);
    const id = String(mock.state.tickets.rows[0].id);
    expect(((await caught(c.updateTicket(id, { board: '3' }))) as AutotaskError).code).toBe('invalid-request');
    expect((await caught(c.updateTicket(id, { priority: 'High' }))).message).toMatch(/not an Autotask id/);
    expect((await caught(c.updateTicket('T2024.1', { priority: '1' }))).message).toMatch(/not an Autotask ticket id/);
    await c.updateTicket(id, {});
    expect(mock.state.requests).toHaveLength(0);
  });

  it('reports a missing ticket as not found', async () => {
    const mock = await startMock({ tenant: { tickets: 10 } });
    const err = await caught(connectorFor(mock).updateTicket('999999', { priority: '1' }));
    expect((err as AutotaskError).code).toBe('not-found');
    expect(err.message).toContain('update ticket 999999');
  });

  it('adds an internal note with the tenant’s default note type, reading the note picklists once', async () => {
    const mock = await startMock({ tenant: { tickets: 10 } });
    const c = connectorFor(mock, { impersonationResourceId: 29684123 });
    const id = mock.state.tickets.rows[2].id;
    await c.addNote(String(id), 'Triage: Hardware / Computer Failure (p=0.91)');
    await c.addNote(String(id), 'second');
    const notes = mock.state.notes.rows.filter((n) => n.ticketID === id);
    expect(notes).toHaveLength(2);
    // "Task Detail" is the default note type; "Internal Only" keeps it away from the customer.
    expect(notes[0]).toMatchObject({ title: 'Ticket triage', description: 'Triage: Hardware / Computer Failure (p=0.91)', noteType: 2, publish: 2, creatorResourceID: 29684123 });
    expect(mock.state.requests.filter((r) => r.path.endsWith('/TicketNotes/entityInformation/fields'))).toHaveLength(1);
    const post = mock.state.requests.find((r) => r.method === 'POST' && r.path.endsWith(`/Tickets/${id}/Notes`))!;
    expect(post.headers.impersonationresourceid).toBe('29684123');
    // TicketNotes/query finds them (filter on ticketID).
    const raw = await fetch(`${mock.zoneUrl}V1.0/TicketNotes/query`, {
      method: 'POST',
      headers: { ApiIntegrationCode: mock.credentials.integrationCode, UserName: mock.credentials.username, Secret: mock.credentials.secret, 'content-type': 'application/json' },
      body: JSON.stringify({ filter: [{ op: 'eq', field: 'ticketID', value: id }] }),
    });
    expect(((await raw.json()) as { items: unknown[] }).items).toHaveLength(2);
  });

  it('uses explicit note type and publish ids when configured', async () => {
    const mock = await startMock({ tenant: { tickets: 10 } });
    const c = connectorFor(mock, { noteType: 3, notePublish: 1, noteTitle: 'AI triage' });
    const id = mock.state.tickets.rows[0].id;
    await c.addNote(String(id), 'hello');
    expect(mock.state.notes.rows.at(-1)).toMatchObject({ ticketID: id, title: 'AI triage', noteType: 3, publish: 1 });
  });

  it('reports a note on a missing ticket as not found', async () => {
    const mock = await startMock({ tenant: { tickets: 10 } });
    const err = await caught(connectorFor(mock).addNote('424242', 'x'));
    expect((err as AutotaskError).code).toBe('not-found');
  });
});
