/**
 * The ticket sweep behind `fetchTickets`: conditions, forward-only paging by id, descriptions from notes, and
 * the mapping of each row onto a PsaTicket.
 */
import type { PsaTicket, TicketQuery } from '../types';
import { and, compare, cwDate, inList, type Condition } from './conditions';
import { fetchDescription, mapLimit } from './descriptions';
import { ticketFieldValues } from './field-mapping';
import { MAX_PAGE_SIZE, paginate } from './paging';
import { listOf, parseBody, ticketSchema, type CwTicketRow } from './schemas';
import type { ConnectWiseSession } from './session';

/** Only what the mapping reads: keeps pages of 1,000 tickets small. */
const TICKET_FIELDS = 'id,summary,board,type,subType,item,priority,closedFlag,_info';

/** Description reads in flight per page; HttpClient's own cap still applies on top. */
const DESCRIPTION_CONCURRENCY = 4;

export function ticketConditions(query: TicketQuery, boardIds: number[] | null): string | null {
  let afterId: Condition | null = null;
  if (query.afterId !== null) {
    if (!/^\d+$/.test(query.afterId)) throw new Error(`afterId must be a ConnectWise ticket id, got ${JSON.stringify(query.afterId)}`);
    afterId = compare('id', '>', Number(query.afterId));
  }
  const cond = and(
    query.since !== null ? compare('lastUpdated', '>=', cwDate(query.since)) : null,
    afterId,
    boardIds ? inList('board/id', boardIds) : null,
  );
  return cond?.text ?? null;
}

const iso = (cw: string) => {
  const ms = Date.parse(cw);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : cw;
};

export function toPsaTicket(row: CwTicketRow, description: string): PsaTicket {
  const updatedAt = iso(row._info.lastUpdated);
  return {
    externalId: String(row.id),
    title: row.summary ?? '',
    description,
    fields: ticketFieldValues(row),
    createdAt: row._info.dateEntered ? iso(row._info.dateEntered) : updatedAt,
    updatedAt,
    completed: row.closedFlag,
  };
}

export async function* sweepTickets(
  session: ConnectWiseSession,
  query: TicketQuery,
  boardIds: number[] | null,
  signal?: AbortSignal,
): AsyncGenerator<PsaTicket[]> {
  // No board in scope means no ticket; `board/id in ()` is not valid syntax, so stop here.
  if (boardIds && boardIds.length === 0) return;
  const conditions = ticketConditions(query, boardIds);
  const params = { conditions: conditions ?? undefined, orderBy: 'id asc', fields: TICKET_FIELDS };
  let lastId = query.afterId === null ? -Infinity : Number(query.afterId);
  const pages = paginate(session, '/service/tickets', params, {
    forwardOnly: true,
    pageSize: query.pageSize ?? MAX_PAGE_SIZE,
    signal,
  });
  for await (const raw of pages) {
    const rows = parseBody(listOf(ticketSchema), raw, 'GET /service/tickets').sort((a, b) => a.id - b.id);
    // The contract promises ids above the previous page's; navigable paging can shift, so enforce it here.
    const fresh = rows.filter((r) => r.id > lastId);
    if (fresh.length === 0) continue;
    lastId = fresh[fresh.length - 1].id;
    const descriptions = await mapLimit(fresh, DESCRIPTION_CONCURRENCY, (r) => fetchDescription(session, r.id, signal));
    yield fresh.map((r, i) => toPsaTicket(r, descriptions[i]));
  }
}
