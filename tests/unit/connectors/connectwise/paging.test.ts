import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectWiseMock } from '../../../../connectors/connectwise/mock-server';
import { parseLinkHeader, withQuery } from '../../../../connectors/connectwise/paging';
import type { PsaTicket } from '../../../../connectors/types';
import { collect, connectorFor, startMock } from './helpers';

let mock: ConnectWiseMock;
beforeAll(async () => {
  mock = await startMock({ tenant: { tickets: 120 } });
});
afterAll(() => mock.close());
afterEach(() => {
  mock.state.settings.forwardOnly = true;
  mock.state.settings.linkHeader = true;
});

/** Ids of the tickets a default connector syncs (active boards), ascending. */
const syncedIds = () =>
  [...mock.state.tickets.values()]
    .filter((t) => !mock.state.boards.get(t.board.id)!.inactiveFlag)
    .map((t) => String(t.id));

function expectStrictlyIncreasing(pages: PsaTicket[][]) {
  const ids = pages.flat().map((t) => Number(t.externalId));
  for (let i = 1; i < ids.length; i++) expect(ids[i]).toBeGreaterThan(ids[i - 1]);
}

const listCalls = (from: number) =>
  mock.requests.slice(from).filter((r) => r.method === 'GET' && /\/service\/tickets(\?|$)/.test(r.target));

describe('parseLinkHeader', () => {
  it('reads rel values, unlabelled URLs and an empty header', () => {
    expect(parseLinkHeader('<https://h/a?page=2>; rel="next", <https://h/a?page=9>; rel="last"')).toEqual({
      next: 'https://h/a?page=2',
      last: 'https://h/a?page=9',
    });
    expect(parseLinkHeader('<https://h/a?pageId=12>')).toEqual({ '': 'https://h/a?pageId=12' });
    expect(parseLinkHeader('')).toEqual({});
    expect(withQuery('/x', { a: 'b c', skip: undefined })).toBe('/x?a=b+c');
  });
});

describe('forward-only paging', () => {
  it('reads every ticket once, in id order, across several pages', async () => {
    const from = mock.requests.length;
    const pages = await collect(connectorFor(mock), { pageSize: 25 });
    expect(pages.length).toBeGreaterThanOrEqual(4);
    expectStrictlyIncreasing(pages);
    expect(pages.flat().map((t) => t.externalId)).toEqual(syncedIds());
    const calls = listCalls(from);
    expect(calls.every((r) => r.headers['pagination-type'] === 'forward-only')).toBe(true);
    expect(calls.slice(1).every((r) => /[?&]pageId=\d+/.test(r.target))).toBe(true);
    expect(calls[0].target).toContain('orderBy=id+asc');
  });

  it('resumes after a crash from the last stored id without loss or repeats', async () => {
    const firstRun: PsaTicket[][] = [];
    for await (const page of connectorFor(mock).fetchTickets({ since: null, afterId: null, pageSize: 20 })) {
      firstRun.push(page);
      if (firstRun.length === 2) break;
    }
    const cursor = firstRun[1].at(-1)!.externalId;
    const rest = await collect(connectorFor(mock), { afterId: cursor, pageSize: 20 });
    const ids = [...firstRun, ...rest].flat().map((t) => t.externalId);
    expect(ids).toEqual(syncedIds());
  });

  it('neither repeats nor skips when tickets change during the sweep', async () => {
    const seen: string[] = [];
    let added = 0;
    for await (const page of connectorFor(mock).fetchTickets({ since: null, afterId: null, pageSize: 30 })) {
      seen.push(...page.map((t) => t.externalId));
      if (added === 0) {
        mock.state.touchTicket(Number(page[0].externalId));
        added = mock.state.addTicket({ summary: 'Arrived mid-sweep', boardId: 1 }).id;
      }
    }
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen).toEqual(syncedIds());
    expect(seen.at(-1)).toBe(String(added));
  });
});

describe('fallback to navigable paging', () => {
  it('follows rel="next" when the endpoint ignores forward-only', async () => {
    mock.state.settings.forwardOnly = false;
    const from = mock.requests.length;
    const pages = await collect(connectorFor(mock), { pageSize: 25 });
    expectStrictlyIncreasing(pages);
    expect(pages.flat().map((t) => t.externalId)).toEqual(syncedIds());
    const calls = listCalls(from);
    expect(calls.slice(1).every((r) => /[?&]page=\d+/.test(r.target) && !r.target.includes('pageId'))).toBe(true);
    expect(calls.slice(1).every((r) => r.headers['pagination-type'] === undefined)).toBe(true);
  });

  it('asks page after page until a short one when there is no Link header at all', async () => {
    mock.state.settings.forwardOnly = false;
    mock.state.settings.linkHeader = false;
    const from = mock.requests.length;
    const pages = await collect(connectorFor(mock), { pageSize: 25 });
    expect(pages.flat().map((t) => t.externalId)).toEqual(syncedIds());
    expect(listCalls(from).map((r) => new URL(r.target, 'http://x').searchParams.get('page'))).toEqual(
      [null, ...Array.from({ length: listCalls(from).length - 1 }, (_, i) => String(i + 2))],
    );
  });
});
