/**
 * Walks a ConnectWise list endpoint page by page (facts B4).
 *
 * Forward-only (asked with `pagination-type: forward-only`): the Link header holds the next URL (with `pageId`)
 * and is empty on the last page. It reads by id, so rows that change during a long sweep are neither skipped nor
 * repeated. An endpoint that does not do forward-only ignores the header: its answer has either no Link header or
 * navigable `rel=` links; that first answer is then page 1 and we continue by `rel="next"`, or, with no Link header
 * at all, by asking page+1 until a short page.
 */
import { ConnectWiseSession } from './session';

export const MAX_PAGE_SIZE = 1000;

export interface PageOptions {
  forwardOnly: boolean;
  pageSize: number;
  signal?: AbortSignal;
}

/** `<url>; rel="next", <url>; rel="last"` → { next: url, last: url }; an unlabelled URL is stored under "". */
export function parseLinkHeader(value: string): Record<string, string> {
  const rels: Record<string, string> = {};
  for (const m of value.matchAll(/<([^>]*)>\s*((?:;[^,<]*)*)/g)) {
    const rel = /rel\s*=\s*"?([^";,\s]+)"?/i.exec(m[2] ?? '');
    rels[rel ? rel[1].toLowerCase() : ''] = m[1];
  }
  return rels;
}

export function withQuery(path: string, query: Record<string, string | number | undefined>): string {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) qs.set(k, String(v));
  const s = qs.toString();
  return s ? `${path}?${s}` : path;
}

/** A link we cannot follow would silently end the sweep early: fail loudly instead. */
function follow(url: string): string {
  const path = ConnectWiseSession.apiPathOf(url);
  if (!path) throw new Error(`ConnectWise sent a Link URL outside apis/3.0: ${url.slice(0, 200)}`);
  return path;
}

/** Yields the raw JSON array of each page; the caller validates rows with its own schema. */
export async function* paginate(
  session: ConnectWiseSession,
  path: string,
  query: Record<string, string | number | undefined>,
  opts: PageOptions,
): AsyncGenerator<unknown[]> {
  const pageSize = Math.max(1, Math.min(MAX_PAGE_SIZE, Math.floor(opts.pageSize)));
  let forward = opts.forwardOnly;
  let page = 1;
  let next: string | null = withQuery(path, { ...query, pageSize, page: forward ? undefined : 1 });
  const seen = new Set<string>();
  while (next) {
    // A server that links a page to itself would loop forever: stop instead.
    if (seen.has(next)) throw new Error(`ConnectWise paging repeated ${next.split('?')[0]}: stopping`);
    seen.add(next);
    const res = await session.send('GET', next, {
      headers: forward ? { 'pagination-type': 'forward-only' } : undefined,
      signal: opts.signal,
    });
    if (!Array.isArray(res.body)) throw new Error(`ConnectWise ${path} did not return a list`);
    const rows = res.body as unknown[];
    const link = res.headers.get('link');
    next = null;
    if (forward && link !== null) {
      const target = link.trim() ? Object.values(parseLinkHeader(link))[0] : undefined;
      if (link.trim() === '') {
        yield rows;
        return;
      }
      if (target && /[?&]pageId=/i.test(target)) {
        yield rows;
        next = follow(target);
        continue;
      }
    }
    // Navigable paging (asked for, or the endpoint ignored forward-only).
    forward = false;
    yield rows;
    const nextLink = link ? parseLinkHeader(link).next : undefined;
    if (nextLink) next = follow(nextLink);
    else if (link === null && rows.length >= pageSize) next = withQuery(path, { ...query, pageSize, page: ++page });
  }
}

/** Every row of a (small) reference list, with navigable paging. */
export async function listAll(
  session: ConnectWiseSession,
  path: string,
  query: Record<string, string | number | undefined>,
  signal?: AbortSignal,
): Promise<unknown[]> {
  const out: unknown[] = [];
  for await (const rows of paginate(session, path, query, { forwardOnly: false, pageSize: MAX_PAGE_SIZE, signal })) {
    out.push(...rows);
  }
  return out;
}
