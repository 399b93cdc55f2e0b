import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConnectWiseMock, type ConnectWiseMock } from '../../../../connectors/connectwise/mock-server';
import { api, authHeaders, startMock } from './helpers';

let mock: ConnectWiseMock;
beforeAll(async () => {
  mock = await startMock({ tenant: { tickets: 120 } });
});
afterAll(() => mock.close());

const links = (h: Headers) =>
  Object.fromEntries([...(h.get('link') ?? '').matchAll(/<([^>]*)>; rel="(\w+)"/g)].map((m) => [m[2], new URL(m[1]).searchParams.get('page')]));

describe('mock: discovery, auth and headers', () => {
  it('serves companyinfo without auth', async () => {
    const res = await fetch(`${mock.url}/login/companyinfo/${mock.credentials.companyId}`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ Codebase: 'v4_6_release/', CompanyID: 'examplemsp' });
    const unknown = await fetch(`${mock.url}/login/companyinfo/nobody`);
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({ code: 'NotFound', message: expect.any(String) });
  });

  it('answers 401 in the ConnectWise shape without echoing what was sent', async () => {
    const url = `${mock.url}/${mock.codebase}apis/3.0/service/tickets`;
    const wrongKey = `Basic ${Buffer.from('examplemsp+pub:SeeMeNot999').toString('base64')}`;
    const rightKey = authHeaders(mock).authorization;
    const attempts: Record<string, string>[] = [
      {},
      { authorization: wrongKey, clientId: mock.credentials.clientId },
      { authorization: rightKey },
      { authorization: rightKey, clientId: 'SeeMeNot999' },
    ];
    for (const headers of attempts) {
      const res = await fetch(url, { headers });
      expect(res.status).toBe(401);
      const text = await res.text();
      expect(JSON.parse(text)).toEqual({ code: 'Unauthorized', message: expect.any(String) });
      expect(text).not.toContain('SeeMeNot999');
    }
  });

  it('404s an old codebase and sends the versioned content type', async () => {
    const old = await fetch(`${mock.url}/v2019_1/apis/3.0/service/boards`);
    expect(old.status).toBe(404);
    const res = await api(mock, 'GET', '/service/boards', { headers: { accept: 'application/vnd.connectwise.com+json; version=2024.1' } });
    expect(res.headers.get('content-type')).toBe('application/vnd.connectwise.com+json; version=2024.1');
    expect(res.headers.get('api-current-version')).toBe('2025.8');
  });
});

describe('mock: ticket lists', () => {
  it('pages navigably with first/prev/next/last links, 1-based', async () => {
    const total = mock.state.tickets.size;
    const mid = await api(mock, 'GET', '/service/tickets?pageSize=10&page=2');
    expect(mid.body.map((t: { id: number }) => t.id)).toEqual(mock.state.ticketIds.slice(10, 20));
    expect(links(mid.headers)).toEqual({ first: '1', prev: '1', next: '3', last: String(Math.ceil(total / 10)) });
    const first = await api(mock, 'GET', '/service/tickets?pageSize=10');
    expect(links(first.headers).prev).toBeUndefined();
    const lastPage = Math.ceil(total / 10);
    const last = await api(mock, 'GET', `/service/tickets?pageSize=10&page=${lastPage}`);
    expect(links(last.headers).next).toBeUndefined();
  });

  it('pages forward-only by pageId and sends an empty Link on the last page', async () => {
    const fo = { 'pagination-type': 'forward-only' };
    const one = await api(mock, 'GET', '/service/tickets?pageSize=100&fields=id&conditions=id>1010', { headers: fo });
    const next = /^<([^>]+)>; rel="next"$/.exec(one.headers.get('link')!)![1];
    expect(new URL(next).searchParams.get('pageId')).toBe(String(one.body.at(-1).id));
    expect(new URL(next).searchParams.get('conditions')).toBe('id>1010');
    const two = await fetch(next, { headers: { ...fo, ...authHeaders(mock) } });
    expect(two.headers.get('link')).toBe('');
    const rows = (await two.json()) as { id: number }[];
    expect(rows[0].id).toBeGreaterThan(one.body.at(-1).id);
  });

  it('filters, counts, orders and projects', async () => {
    const closed = [...mock.state.tickets.values()].filter((t) => t.closedFlag && t.board.id === 1).length;
    const count = await api(mock, 'GET', `/service/tickets/count?conditions=${encodeURIComponent('closedFlag=true and board/id=1')}`);
    expect(count.body).toEqual({ count: closed });
    const sorted = await api(mock, 'GET', `/service/tickets?orderBy=${encodeURIComponent('_info/lastUpdated desc')}&pageSize=5&fields=id,board/name,_info/lastUpdated`);
    expect(sorted.body[0]).toEqual({ id: mock.state.ticketIds.at(-1), board: { name: expect.any(String) }, _info: { lastUpdated: expect.any(String) } });
    expect(sorted.body[0]._info.lastUpdated >= sorted.body[1]._info.lastUpdated).toBe(true);
    const big = await api(mock, 'GET', '/service/tickets?pageSize=5000');
    expect(big.body).toHaveLength(mock.state.tickets.size);
    expect((await api(mock, 'GET', '/service/tickets?pageSize=0')).status).toBe(400);
    const bad = await api(mock, 'GET', `/service/tickets?conditions=${encodeURIComponent('id = = 3')}`);
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({ code: 'InvalidObject', message: expect.stringMatching(/expected a value/) });
  });
});

describe('mock: ticket writes', () => {
  const ticketOnBoard1 = () => [...mock.state.tickets.values()].find((t) => t.board.id === 1 && t.type && !t.item)!;

  it('patches with and without a leading slash and stamps lastUpdated', async () => {
    const t = ticketOnBoard1();
    const before = t._info.lastUpdated;
    const res = await api(mock, 'PATCH', `/service/tickets/${t.id}`, {
      body: [
        { op: 'replace', path: '/priority', value: { id: 1 } },
        { op: 'replace', path: 'summary', value: 'Renamed by PATCH' },
      ],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: t.id, summary: 'Renamed by PATCH', priority: { id: 1, name: expect.stringMatching(/^Priority 1/) } });
    expect(res.body._info.lastUpdated > before).toBe(true);
  });

  it('refuses a triple outside the associations, an inactive type and a board the type is not on', async () => {
    const t = ticketOnBoard1();
    const snapshot = structuredClone(t);
    const items = [...mock.state.associations.values()].filter((a) => a.board.id === 1 && a.item);
    const validForOther = items.find((a) => a.type.id !== t.type!.id || a.subType?.id !== t.subType?.id)!;
    const bad = await api(mock, 'PATCH', `/service/tickets/${t.id}`, { body: [{ op: 'replace', path: 'item', value: { id: validForOther.item!.id } }] });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ code: 'InvalidObject', errors: [{ code: 'InvalidField', field: 'item', message: expect.any(String) }] });
    const legacy = [...mock.state.types.values()].find((x) => x.inactiveFlag && x.board.id === 1)!;
    const inactive = await api(mock, 'PATCH', `/service/tickets/${t.id}`, {
      body: [{ op: 'replace', path: 'type', value: { id: legacy.id } }, { op: 'remove', path: 'subType' }],
    });
    expect(inactive.status).toBe(400);
    expect(inactive.body.errors[0].message).toMatch(/inactive/);
    const moved = await api(mock, 'PATCH', `/service/tickets/${t.id}`, { body: [{ op: 'replace', path: 'board', value: { id: 2 } }] });
    expect(moved.body.errors.map((e: { field: string }) => e.field)).toContain('type');
    expect(mock.state.tickets.get(t.id)).toEqual(snapshot);
    expect((await api(mock, 'PATCH', `/service/tickets/${t.id}`, { body: { summary: 'x' } })).status).toBe(400);
  });

  it('creates (201, description as a detail note), replaces, deletes (204)', async () => {
    const created = await api(mock, 'POST', '/service/tickets', {
      body: { summary: 'New laptop', board: { id: 1 }, company: { id: 250 }, initialDescription: 'Please order a laptop.' },
    });
    expect(created.status).toBe(201);
    expect(created.body.initialDescription).toBeUndefined();
    const id = created.body.id;
    expect(id).toBeGreaterThan(mock.state.ticketIds.at(-2)!);
    const notes = await api(mock, 'GET', `/service/tickets/${id}/notes`);
    expect(notes.body).toEqual([expect.objectContaining({ text: 'Please order a laptop.', detailDescriptionFlag: true })]);
    expect((await api(mock, 'POST', '/service/tickets', { body: { board: { id: 1 }, company: { id: 250 } } })).body.errors[0].field).toBe('summary');
    const put = await api(mock, 'PUT', `/service/tickets/${id}`, { body: { summary: 'New laptop (replaced)', board: { id: 1 }, company: { id: 251 } } });
    expect(put.body).toMatchObject({ id, summary: 'New laptop (replaced)', company: { id: 251 } });
    expect((await api(mock, 'DELETE', `/service/tickets/${id}`)).status).toBe(204);
    expect((await api(mock, 'GET', `/service/tickets/${id}`)).body).toEqual({ code: 'NotFound', message: expect.any(String) });
  });

  it('posts notes (201) and refuses one without a flag', async () => {
    const t = ticketOnBoard1();
    const ok = await api(mock, 'POST', `/service/tickets/${t.id}/notes`, { body: { text: 'Called the user', internalAnalysisFlag: true } });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ ticketId: t.id, internalAnalysisFlag: true });
    const bad = await api(mock, 'POST', `/service/tickets/${t.id}/notes`, { body: { text: 'No flag' } });
    expect(bad.status).toBe(400);
    expect(bad.body.code).toBe('InvalidObject');
  });
});

describe('mock: reference data and callbacks', () => {
  it('serves boards, types, subtypes with typeAssociationIds, items, associations and priorities', async () => {
    const boards = await api(mock, 'GET', '/service/boards');
    expect(boards.body.length).toBe(mock.state.boards.size);
    expect(boards.body.some((b: { inactiveFlag: boolean }) => b.inactiveFlag)).toBe(true);
    const subs = await api(mock, 'GET', '/service/boards/1/subtypes?pageSize=1000');
    expect(subs.body.some((s: { typeAssociationIds: number[] }) => s.typeAssociationIds.length > 1)).toBe(true);
    const assoc = await api(mock, 'GET', '/service/boards/1/typeSubTypeItemAssociations?pageSize=1000');
    expect(assoc.body[0]).toMatchObject({ id: expect.any(Number), type: { id: expect.any(Number) }, board: { id: 1 } });
    expect(assoc.body.some((a: { item: unknown }) => a.item === null)).toBe(true);
    for (const path of ['/service/boards/1/types/count', '/service/boards/1/items/count', '/service/priorities/count']) {
      expect((await api(mock, 'GET', path)).body.count).toBeGreaterThan(0);
    }
    const prio = await api(mock, 'GET', '/service/priorities/1');
    expect(prio.body).toMatchObject({ id: 1, name: 'Priority 1 - Emergency Response', level: 'High' });
    expect((await api(mock, 'POST', '/service/boards', { body: {} })).status).toBe(405);
  });

  it('does /system/callbacks CRUD', async () => {
    const bad = await api(mock, 'POST', '/system/callbacks', { body: { url: 'https://example.test/hook' } });
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['level', 'objectId', 'type']);
    const made = await api(mock, 'POST', '/system/callbacks', { body: { url: 'https://example.test/hook', objectId: 1, type: 'ticket', level: 'board' } });
    expect(made.status).toBe(201);
    const patched = await api(mock, 'PATCH', `/system/callbacks/${made.body.id}`, { body: [{ op: 'replace', path: 'inactiveFlag', value: true }] });
    expect(patched.body.inactiveFlag).toBe(true);
    expect((await api(mock, 'GET', '/system/callbacks')).body).toHaveLength(1);
    expect((await api(mock, 'DELETE', `/system/callbacks/${made.body.id}`)).status).toBe(204);
  });
});

describe('mock: generated tenant', () => {
  it('is deterministic, closes about the asked share, and orders dates with ids', async () => {
    const other = await startConnectWiseMock({ tenant: { tickets: 120, completedShare: 0.3 } });
    const twin = await startConnectWiseMock({ tenant: { tickets: 120, completedShare: 0.3 } });
    try {
      const shape = (m: ConnectWiseMock) => [...m.state.tickets.values()].map((t) => [t.summary, t.type?.id, t.subType?.id, t.item?.id, t.board.id, t.closedFlag]);
      expect(shape(twin)).toEqual(shape(other));
      const share = [...other.state.tickets.values()].filter((t) => t.closedFlag).length / 120;
      expect(share).toBeGreaterThan(0.15);
      expect(share).toBeLessThan(0.45);
      const t = [...other.state.tickets.values()];
      for (let i = 1; i < t.length; i++) {
        expect(t[i]._info.lastUpdated > t[i - 1]._info.lastUpdated).toBe(true);
        expect(t[i]._info.dateEntered! > t[i - 1]._info.dateEntered!).toBe(true);
      }
    } finally {
      await Promise.all([other.close(), twin.close()]);
    }
  });

  it('handles 50,000 tickets: a forward-only sweep and a filtered count', async () => {
    const big = await startConnectWiseMock({ tenant: { tickets: 50_000 } });
    try {
      const headers = { 'pagination-type': 'forward-only' };
      let path: string | null = '/service/tickets?pageSize=1000&fields=id&orderBy=id%20asc';
      let n = 0;
      let last = 0;
      while (path) {
        const res: { headers: Headers; body: { id: number }[] } = await api(big, 'GET', path, { headers });
        for (const row of res.body) {
          expect(row.id > last).toBe(true);
          last = row.id;
        }
        n += res.body.length;
        const link = res.headers.get('link')!;
        path = link ? new URL(/<([^>]+)>/.exec(link)![1]).pathname.replace(/^.*apis\/3\.0/, '') + new URL(/<([^>]+)>/.exec(link)![1]).search : null;
      }
      expect(n).toBe(50_000);
      const count = await api(big, 'GET', `/service/tickets/count?conditions=${encodeURIComponent('closedFlag=false and lastUpdated>=[2024-06-01T00:00:00Z]')}`);
      expect(count.body.count).toBeGreaterThan(0);
    } finally {
      await big.close();
    }
  });

  it('rate-limits with a token bucket when asked', async () => {
    const limited = await startConnectWiseMock({ tenant: { tickets: 5 }, rateLimit: { perSecond: 0.5, burst: 2 } });
    try {
      const statuses = [];
      for (let i = 0; i < 3; i++) statuses.push(await api(limited, 'GET', '/service/boards'));
      expect(statuses.map((s) => s.status)).toEqual([200, 200, 429]);
      expect(statuses[2].body.code).toBe('TooManyRequests');
      expect(Number(statuses[2].headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    } finally {
      await limited.close();
    }
  });
});
