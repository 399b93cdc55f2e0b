/**
 * Ticket descriptions. ConnectWise does not return `initialDescription` on reads (facts B5): the problem text is
 * the ticket's first note with detailDescriptionFlag=true.
 *
 * Cost: one extra GET per ticket (a 1,000-ticket page costs 1 + 1,000 requests; a 50,000-ticket backfill about
 * 50,050, i.e. five hours of the default 10,000-an-hour budget). Incremental syncs only pay for changed tickets.
 */
import { ConnectWiseError } from './errors';
import { withQuery } from './paging';
import { listOf, noteSchema, parseBody } from './schemas';
import type { ConnectWiseSession } from './session';

/** Runs `fn` over `items` with at most `limit` calls in flight, keeping the input order in the result. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

export async function fetchDescription(session: ConnectWiseSession, ticketId: number, signal?: AbortSignal): Promise<string> {
  const path = withQuery(`/service/tickets/${ticketId}/notes`, {
    conditions: 'detailDescriptionFlag=true',
    orderBy: 'id asc',
    pageSize: 1,
    fields: 'id,text,detailDescriptionFlag',
  });
  try {
    const res = await session.send('GET', path, { signal });
    const notes = parseBody(listOf(noteSchema), res.body, `GET /service/tickets/${ticketId}/notes`);
    return notes.find((n) => n.detailDescriptionFlag)?.text ?? '';
  } catch (err) {
    // Deleted between the list and this read: the ticket is still worth syncing, without its text.
    if (err instanceof ConnectWiseError && err.status === 404) return '';
    throw err;
  }
}
