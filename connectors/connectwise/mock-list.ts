/**
 * The list behaviour every ConnectWise collection shares (facts B3, B4): `conditions`, `orderBy`, `fields`,
 * navigable `page`/`pageSize` with a Link header (first/prev/next/last), and forward-only paging (`pageId` acts
 * as `id > pageId`, results by id, an empty Link header on the last page).
 */
import { ConditionError, compileConditions, resolvePath, type Predicate } from './mock-conditions';
import { cwError, type MockResponse } from './mock-types';

export const MAX_PAGE_SIZE = 1000;

export interface ListContext {
  query: URLSearchParams;
  /** The request's own absolute URL, the base of the Link header's URLs. */
  self: URL;
  /** The client asked for forward-only and this endpoint does it. */
  forwardOnly: boolean;
  linkHeader: boolean;
  defaultPageSize: number;
}

/** Rows in ascending id order; `after` starts past an id cheaply when the source can (tickets: binary search). */
export interface ListSource<T> {
  rows(after?: number): Iterable<T>;
}

export const arraySource = <T extends { id: number }>(items: Iterable<T>): ListSource<T> => ({
  *rows(after) {
    const sorted = [...items].sort((a, b) => a.id - b.id);
    for (const r of sorted) if (after === undefined || r.id > after) yield r;
  },
});

class BadRequest extends Error {}

function intParam(q: URLSearchParams, name: string, min: number): number | undefined {
  const raw = q.get(name);
  if (raw === null || raw === '') return undefined;
  if (!/^-?\d+$/.test(raw) || Number(raw) < min) throw new BadRequest(`${name} must be an integer >= ${min}`);
  return Number(raw);
}

type Comparator = (a: unknown, b: unknown) => number;

function compareValues(a: unknown, b: unknown): number {
  if (a == null || b == null) return a == null ? (b == null ? 0 : -1) : 1;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const x = String(a).toLowerCase();
  const y = String(b).toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}

/** `id asc`, `_info/lastUpdated desc, summary`; null when it is the natural id order. */
export function parseOrderBy(spec: string | null): Comparator | null {
  if (!spec || !spec.trim()) return null;
  const keys = spec.split(',').map((part) => {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_/]*)(?:\s+(asc|desc))?\s*$/i.exec(part);
    if (!m) throw new BadRequest(`orderBy: cannot read "${part.trim()}"`);
    return { path: m[1].split('/'), dir: m[2]?.toLowerCase() === 'desc' ? -1 : 1 };
  });
  if (keys.length === 1 && keys[0].path.join('/') === 'id' && keys[0].dir === 1) return null;
  return (a, b) => {
    for (const k of keys) {
      const c = compareValues(resolvePath(a, k.path), resolvePath(b, k.path));
      if (c !== 0) return c * k.dir;
    }
    return 0;
  };
}

/** `fields=id,summary,board/name`: only those paths, nested as in the entity. */
export function projector(spec: string | null): ((row: unknown) => unknown) | null {
  if (!spec || !spec.trim()) return null;
  const paths = spec.split(',').map((p) => p.trim().split('/')).filter((p) => p[0]);
  return (row) => {
    const out: Record<string, unknown> = {};
    for (const path of paths) {
      let src: unknown = row;
      for (const key of path) src = src && typeof src === 'object' ? (src as Record<string, unknown>)[key] : undefined;
      if (src === undefined) continue;
      let dst = out;
      path.forEach((key, i) => {
        if (i === path.length - 1) dst[key] = src;
        else dst = (dst[key] ??= {}) as Record<string, unknown>;
      });
    }
    return out;
  };
}

function linkTo(self: URL, set: Record<string, string>, drop: string[] = []): string {
  const url = new URL(self);
  for (const k of drop) url.searchParams.delete(k);
  for (const [k, v] of Object.entries(set)) url.searchParams.set(k, v);
  return url.toString();
}

export function predicateOf(query: URLSearchParams): Predicate {
  return compileConditions(query.get('conditions'));
}

export function listResponse<T>(source: ListSource<T>, ctx: ListContext, extra: Predicate = () => true): MockResponse {
  try {
    const { query } = ctx;
    const match = predicateOf(query);
    const keep = (r: T) => extra(r) && match(r);
    const pageSize = Math.min(MAX_PAGE_SIZE, intParam(query, 'pageSize', 1) ?? ctx.defaultPageSize);
    const project = projector(query.get('fields'));
    const out = (rows: T[]) => (project ? rows.map(project) : rows);

    if (ctx.forwardOnly) {
      const pageId = intParam(query, 'pageId', 0);
      const rows: T[] = [];
      let more = false;
      for (const r of source.rows(pageId)) {
        if (!keep(r)) continue;
        if (rows.length === pageSize) {
          more = true;
          break;
        }
        rows.push(r);
      }
      const lastId = rows.length ? (rows[rows.length - 1] as { id: number }).id : undefined;
      const link = more && lastId !== undefined ? `<${linkTo(ctx.self, { pageId: String(lastId) }, ['page'])}>; rel="next"` : '';
      return { status: 200, body: out(rows), headers: { link } };
    }

    const page = intParam(query, 'page', 1) ?? 1;
    const order = parseOrderBy(query.get('orderBy'));
    const all: T[] = [];
    for (const r of source.rows()) if (keep(r)) all.push(r);
    if (order) all.sort(order);
    const last = Math.max(1, Math.ceil(all.length / pageSize));
    const rows = all.slice((page - 1) * pageSize, page * pageSize);
    const headers: Record<string, string> = {};
    if (ctx.linkHeader) {
      const at = (p: number) => linkTo(ctx.self, { pageSize: String(pageSize), page: String(p) }, ['pageId']);
      const links = [`<${at(1)}>; rel="first"`];
      if (page > 1) links.push(`<${at(Math.min(page - 1, last))}>; rel="prev"`);
      if (page < last) links.push(`<${at(page + 1)}>; rel="next"`);
      links.push(`<${at(last)}>; rel="last"`);
      headers.link = links.join(', ');
    }
    return { status: 200, body: out(rows), headers };
  } catch (err) {
    if (err instanceof BadRequest || err instanceof ConditionError) return cwError(400, 'InvalidObject', err.message);
    throw err;
  }
}

export function countResponse<T>(source: ListSource<T>, query: URLSearchParams, extra: Predicate = () => true): MockResponse {
  try {
    const match = predicateOf(query);
    let count = 0;
    for (const r of source.rows()) if (extra(r) && match(r)) count++;
    return { status: 200, body: { count } };
  } catch (err) {
    if (err instanceof ConditionError) return cwError(400, 'InvalidObject', err.message);
    throw err;
  }
}
