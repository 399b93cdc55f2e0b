import { describe, expect, it } from 'vitest';
import { STATUS_COMPLETE } from '../../../../connectors/autotask/mock-fields';
import { rawClient, startMock } from './helpers';

const ALL = [{ op: 'gte', field: 'id', value: 0 }];

describe('Autotask mock: discovery and auth (facts E1, E2)', () => {
  it('answers ZoneInformation without auth, pointing back at itself; an unknown user is a 500', async () => {
    const mock = await startMock({ tenant: { tickets: 5 } });
    const res = await fetch(`${mock.url}V1.0/ZoneInformation?user=${encodeURIComponent(mock.credentials.username.toUpperCase())}`);
    expect(res.status).toBe(200);
    const zone = (await res.json()) as { url: string; zoneName: string; ci: number; webUrl: string };
    expect(zone).toMatchObject({ url: mock.zoneUrl, zoneName: 'America East 3', ci: 3 });
    expect(zone.url.startsWith(mock.url.replace('/ATServicesRest/', ''))).toBe(true);
    const bad = await fetch(`${mock.url}v1.0/zoneinformation?user=nobody`);
    expect(bad.status).toBe(500);
    expect(await bad.json()).toEqual({ errors: ['Zone information could not be determined'] });
  });

  it('matches header names and paths case-insensitively', async () => {
    const mock = await startMock({ tenant: { tickets: 5 } });
    const { username, secret, integrationCode } = mock.credentials;
    const res = await fetch(`${mock.zoneUrl.toLowerCase()}v1.0/tickets/query/count`, {
      method: 'POST',
      headers: { APIIntegrationcode: integrationCode, Username: username, SECRET: secret, 'content-type': 'application/json' },
      body: JSON.stringify({ Filter: ALL }),
    });
    expect(await res.json()).toEqual({ queryCount: 5 });
  });

  it('refuses bad credentials with 401 and a bad integration code with 500, always as {errors:[…]}', async () => {
    const mock = await startMock({ tenant: { tickets: 5 } });
    const call = rawClient(mock);
    const noSecret = await call('GET', 'Tickets/entityInformation', undefined, { Secret: 'nope' });
    expect(noSecret.status).toBe(401);
    expect(noSecret.body).toEqual({ errors: [expect.any(String)] });
    const badCode = await call('GET', 'Tickets/entityInformation', undefined, { ApiIntegrationCode: 'XYZ' });
    expect(badCode).toMatchObject({ status: 500, body: { errors: ['IntegrationCode is invalid.'] } });
    const wrongZone = await fetch(`${mock.url}V1.0/Tickets/entityInformation`, {
      headers: { ApiIntegrationCode: mock.credentials.integrationCode, UserName: mock.credentials.username, Secret: mock.credentials.secret },
    });
    expect(wrongZone.status).toBe(401);
  });
});

describe('Autotask mock: entity routes (facts E3, E5-E9)', () => {
  it('serves {item}, 404 for unknown ids, {queryCount} and {info}', async () => {
    const mock = await startMock({ tenant: { tickets: 20 } });
    const call = rawClient(mock);
    const id = mock.state.tickets.rows[0].id;
    const item = await call('GET', `Tickets/${id}`);
    expect(item.body.item).toMatchObject({ id, title: mock.state.tickets.rows[0].title, userDefinedFields: [expect.any(Object), expect.any(Object)] });
    expect(await call('GET', 'Tickets/1')).toMatchObject({ status: 404, body: { errors: [expect.stringContaining('1')] } });
    const completed = mock.state.tickets.rows.filter((r) => r.status === STATUS_COMPLETE).length;
    expect((await call('POST', 'Tickets/query/count', { filter: [{ op: 'eq', field: 'status', value: STATUS_COMPLETE }] })).body).toEqual({ queryCount: completed });
    const search = encodeURIComponent(JSON.stringify({ filter: ALL }));
    expect((await call('GET', `Tickets/query/count?search=${search}`)).body).toEqual({ queryCount: 20 });
    expect((await call('GET', 'Tickets/entityInformation')).body.info).toMatchObject({ name: 'Ticket', canQuery: true, canUpdate: true, canDelete: false, hasUserDefinedFields: true });
  });

  it('serves fields with picklist values as strings, sub-issue types tied to issue types, and UDF definitions', async () => {
    const mock = await startMock({ tenant: { tickets: 5 } });
    const call = rawClient(mock);
    const { fields } = (await call('GET', 'Tickets/entityInformation/fields')).body as { fields: any[] };
    const field = (name: string) => fields.find((f) => f.name === name);
    for (const name of ['issueType', 'subIssueType', 'status', 'priority', 'queueID', 'ticketType', 'source']) {
      expect(field(name).isPickList).toBe(true);
      expect(field(name).picklistValues.every((v: { value: unknown }) => typeof v.value === 'string')).toBe(true);
    }
    expect(field('subIssueType').picklistParentValueField).toBe('issueType');
    const issueIds = new Set(field('issueType').picklistValues.map((v: { value: string }) => v.value));
    expect(field('subIssueType').picklistValues.every((v: { parentValue: string }) => issueIds.has(v.parentValue))).toBe(true);
    expect(field('status').picklistValues).toContainEqual(expect.objectContaining({ value: '5', label: 'Complete' }));
    expect(field('billingCodeID')).toMatchObject({ isPickList: false, isReference: true, referenceEntityType: 'BillingCode', picklistValues: null });
    const udfs = (await call('GET', 'Tickets/entityInformation/userDefinedFields')).body.fields;
    expect(udfs.map((u: { name: string }) => u.name)).toEqual(['Triage Confidence', 'Site Count']);
    const codes = (await call('POST', 'BillingCodes/query', { filter: ALL })).body.items;
    expect(codes.length).toBe(mock.state.billingCodes.rows.length);
  });

  it('pages with an opaque next link that accepts POST with the body, caps MaxRecords at 500, and projects IncludeFields', async () => {
    const mock = await startMock({ tenant: { tickets: 1100 } });
    const call = rawClient(mock);
    const body = { maxRecords: 9999, includeFields: ['TITLE', 'Site Count'], Filter: ALL };
    const first = await call('POST', 'Tickets/query', body);
    expect(first.body.pageDetails).toMatchObject({ count: 500, requestCount: 500, prevPageUrl: null });
    expect(first.body.pageDetails.nextPageUrl).toMatch(new RegExp(`^${mock.zoneUrl}V1\\.0/Tickets/query/next\\?paging=[\\w-]+$`));
    expect(Object.keys(first.body.items[0])).toEqual(['id', 'title', 'userDefinedFields']);
    expect(first.body.items[0].userDefinedFields.map((u: { name: string }) => u.name)).toEqual(['Site Count']);

    const second = await call('POST', first.body.pageDetails.nextPageUrl, body);
    expect(second.body.items[0].id).toBeGreaterThan(first.body.items.at(-1).id);
    expect(second.body.pageDetails.prevPageUrl).toContain('/query/next?paging=');
    const third = await call('POST', second.body.pageDetails.nextPageUrl, body);
    expect(third.body.pageDetails).toMatchObject({ count: 100, nextPageUrl: null });
    const back = await call('POST', third.body.pageDetails.prevPageUrl, body);
    expect(back.body.items.map((i: { id: number }) => i.id)).toEqual(second.body.items.map((i: { id: number }) => i.id));

    // A POST-originated next link fetched with GET is refused (facts A6); the default projection carries UDFs.
    expect((await call('GET', first.body.pageDetails.nextPageUrl)).status).toBe(405);
    const full = await call('POST', 'Tickets/query', { MaxRecords: 1, filter: ALL });
    expect(full.body.items[0].userDefinedFields).toHaveLength(2);
  });

  it('pages a GET search= query with GET next links', async () => {
    const mock = await startMock({ tenant: { tickets: 120 } });
    const call = rawClient(mock);
    const search = encodeURIComponent(JSON.stringify({ MaxRecords: 50, IncludeFields: ['id'], filter: ALL }));
    const seen: number[] = [];
    let next: string | null = `Tickets/query?search=${search}`;
    while (next) {
      const page = await call('GET', next);
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((i: { id: number }) => i.id));
      next = page.body.pageDetails.nextPageUrl;
    }
    expect(seen).toEqual(mock.state.tickets.rows.map((r) => r.id));
  });

  it('creates, patches and replaces tickets with validation, answering {itemId}', async () => {
    const mock = await startMock({ tenant: { tickets: 5 } });
    const call = rawClient(mock);
    const { state } = mock;
    const created = await call('POST', 'Tickets', { Title: 'VPN drops hourly', Status: 1, Priority: 2, CompanyID: 174, QueueID: state.valueOf('queueID', 'Tier 1 Support') });
    const id = created.body.itemId as number;
    expect(state.ticket(id)).toMatchObject({ title: 'VPN drops hourly', status: 1, ticketNumber: expect.stringMatching(/^T\d{8}\.\d{4}$/) });
    expect((await call('PATCH', 'Tickets', { id, status: STATUS_COMPLETE })).body).toEqual({ itemId: id });
    expect(state.ticket(id)!.completedDate).toBe(state.ticket(id)!.lastActivityDate);
    expect(await call('PATCH', 'Tickets', { id, queueID: 29682801 })).toMatchObject({ status: 500, body: { errors: [expect.stringContaining('inactive')] } });
    expect(await call('PATCH', 'Tickets', { id, queueID: 1 })).toMatchObject({ status: 500, body: { errors: [expect.stringContaining('not a valid picklist value')] } });
    expect(await call('PATCH', 'Tickets', { id, billingCodeID: 29683401 })).toMatchObject({ status: 500, body: { errors: [expect.stringContaining('inactive')] } });
    expect(await call('PATCH', 'Tickets', { id, colour: 'red' })).toMatchObject({ status: 500, body: { errors: [expect.stringContaining("'colour'")] } });
    expect((await call('PATCH', 'Tickets', { id: 1, status: 1 })).status).toBe(404);
    expect(await call('POST', 'Tickets', { Status: 1, Priority: 2, CompanyID: 174 })).toMatchObject({ status: 500, body: { errors: ['title is required.'] } });

    await call('PUT', 'Tickets', { id, title: 'Replaced', status: 1, priority: 3, companyID: 175 });
    expect(state.ticket(id)).toMatchObject({ title: 'Replaced', priority: 3, queueID: null, completedDate: null });
    expect((await call('DELETE', `Tickets/${id}`)).status).toBe(405);
  });

  it('serves notes under the ticket and through TicketNotes/query', async () => {
    const mock = await startMock({ tenant: { tickets: 5 } });
    const call = rawClient(mock);
    const id = mock.state.tickets.rows[1].id;
    const made = await call('POST', `Tickets/${id}/Notes`, { title: 'Call', description: 'Called the user', noteType: 1, publish: 1 });
    const noteId = made.body.itemId;
    expect((await call('GET', `Tickets/${id}/Notes/${noteId}`)).body.item).toMatchObject({ ticketID: id, description: 'Called the user' });
    expect((await call('GET', `Tickets/${id}/Notes`)).body.items).toHaveLength(1);
    expect((await call('POST', 'TicketNotes/query', { filter: [{ op: 'eq', field: 'TicketID', value: id }] })).body.items).toHaveLength(1);
    expect((await call('POST', `Tickets/${id}/Notes`, { ticketID: id + 1, title: 'x', description: 'y', noteType: 1, publish: 1 })).status).toBe(500);
    expect((await call('POST', 'Tickets/1/Notes', { title: 'x', description: 'y', noteType: 1, publish: 1 })).status).toBe(404);
  });

  it('keeps webhooks with their fields; a webhook is ready once a field is subscribed', async () => {
    const mock = await startMock({ tenant: { tickets: 1 } });
    const call = rawClient(mock);
    const hook = await call('POST', 'TicketWebhooks', { name: 'Triage hook', webhookUrl: 'https://example.test/h', deactivationUrl: 'https://example.test/d', secretKey: 'k', isActive: true, isSubscribedToCreateEvents: true });
    const id = hook.body.itemId;
    expect((await call('GET', `TicketWebhooks/${id}`)).body.item).toMatchObject({ isReady: false, webhookGUID: expect.any(String) });
    await call('POST', `TicketWebhooks/${id}/Fields`, { fieldID: 7, isSubscribedField: true, isDisplayAlwaysField: false });
    expect((await call('GET', `TicketWebhooks/${id}`)).body.item.isReady).toBe(true);
    expect((await call('DELETE', `TicketWebhooks/${id}`)).body).toEqual({ itemId: id });
  });

  it('counts requests for ThresholdInformation and refuses past the hourly threshold', async () => {
    const mock = await startMock({ tenant: { tickets: 1 }, hourlyThreshold: 3 });
    const call = rawClient(mock);
    expect((await call('GET', 'ThresholdInformation')).body).toEqual({ externalRequestThreshold: 3, requestThresholdTimeframe: 60, currentTimeframeRequestCount: 1 });
    expect((await call('GET', 'ThresholdInformation')).body.currentTimeframeRequestCount).toBe(2);
    await call('GET', 'Tickets/entityInformation');
    expect(await call('GET', 'ThresholdInformation')).toMatchObject({ status: 429, body: { errors: [expect.stringContaining('threshold')] } });
  });

  it('allows 3 concurrent requests per endpoint and answers the 4th with the thread-threshold 429', async () => {
    const mock = await startMock({ tenant: { tickets: 5 }, latencyMs: 60 });
    const call = rawClient(mock);
    const results = await Promise.all([
      ...Array.from({ length: 4 }, () => call('GET', 'Tickets/entityInformation')),
      call('GET', 'ThresholdInformation'),
    ]);
    const statuses = results.map((r) => r.status);
    expect(statuses.filter((s) => s === 429)).toHaveLength(1);
    expect(statuses[4]).toBe(200); // a different endpoint has its own threads
    expect(results.find((r) => r.status === 429)!.body.errors[0]).toMatch(/^Thread Threshold Exceeded/);
  });

  it('serves faults in order, only on matching paths, and keeps a redacted request log', async () => {
    const mock = await startMock({ tenant: { tickets: 1 } });
    const call = rawClient(mock);
    mock.faults.inject({ kind: '500', match: 'threshold' });
    mock.faults.inject({ kind: '429', retryAfterS: 7 });
    expect((await call('GET', 'Tickets/entityInformation')).headers.get('retry-after')).toBe('7');
    expect((await call('GET', 'ThresholdInformation')).status).toBe(500);
    expect((await call('GET', 'ThresholdInformation')).status).toBe(200);
    expect(JSON.stringify(mock.state.requests)).not.toContain(mock.credentials.secret);
    expect(JSON.stringify(mock.state.requests)).not.toContain(mock.credentials.integrationCode);
  });
});
