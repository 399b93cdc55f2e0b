/**
 * Query execution for the Autotask mock: the QueryModel (MaxRecords, IncludeFields, filter; keys in any case),
 * keyset pages in id order behind opaque paging tokens, counts and IncludeFields projection (facts A5, A6).
 */
import { type EntityTable, lowerKeys } from './mock-entity';
import { compileFilter } from './mock-filters';
import { MockApiError, type MockRow } from './mock-types';

export const PAGE_MAX = 500;

export interface QueryModel {
  maxRecords: number;
  includeFields: string[] | null;
  filter: unknown;
}

/** Where a page starts: after an id (next pages) or before one (previous pages). */
export type PageCursor = { after: number } | { before: number };

export interface PageResult {
  items: Record<string, unknown>[];
  next: PageCursor | null;
  prev: PageCursor | null;
}

export function parseQueryModel(body: unknown): QueryModel {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new MockApiError(500, 'Invalid query syntax. The query must be a JSON object.');
  }
  const m = lowerKeys(body);
  let maxRecords = PAGE_MAX;
  if (m.maxrecords !== undefined && m.maxrecords !== null) {
    const n = Number(m.maxrecords);
    if (!Number.isInteger(n) || n < 1) throw new MockApiError(500, 'Invalid query syntax. MaxRecords must be between 1 and 500.');
    maxRecords = Math.min(n, PAGE_MAX);
  }
  let includeFields: string[] | null = null;
  if (Array.isArray(m.includefields) && m.includefields.length > 0) {
    if (!m.includefields.every((f) => typeof f === 'string')) throw new MockApiError(500, 'Invalid query syntax. IncludeFields must be strings.');
    includeFields = m.includefields as string[];
  }
  return { maxRecords, includeFields, filter: m.filter };
}

/** The paging token is ours to shape (clients treat nextPageUrl as opaque): base64url JSON of the cursor. */
export function encodeCursor(cursor: PageCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

export function decodeCursor(token: string | null): PageCursor {
  try {
    const c = JSON.parse(Buffer.from(token ?? '', 'base64url').toString()) as Record<string, unknown>;
    if (Number.isInteger(c.after)) return { after: c.after as number };
    if (Number.isInteger(c.before)) return { before: c.before as number };
  } catch {
    // fall through to the error below
  }
  throw new MockApiError(500, 'The paging token is invalid or has expired.');
}

export function runPage(table: EntityTable, model: QueryModel, cursor: PageCursor | null): PageResult {
  const filter = compileFilter(table, model.filter);
  const n = model.maxRecords;
  const rows = table.rows;
  const project = projector(table, model.includeFields);
  if (cursor && 'before' in cursor) {
    // Walk backwards from the cursor, stopping at the filter's lower id bound.
    const found: MockRow[] = [];
    let more = false;
    for (let i = table.indexAfter(cursor.before - 1) - 1; i >= 0 && rows[i].id > filter.startAfterId; i--) {
      if (!filter.test(rows[i])) continue;
      if (found.length === n) {
        more = true;
        break;
      }
      found.push(rows[i]);
    }
    found.reverse();
    return {
      items: found.map(project),
      next: found.length ? { after: found.at(-1)!.id } : null,
      prev: more ? { before: found[0].id } : null,
    };
  }
  const start = Math.max(cursor?.after ?? -Infinity, filter.startAfterId);
  const found: MockRow[] = [];
  let more = false;
  for (let i = Number.isFinite(start) ? table.indexAfter(start) : 0; i < rows.length; i++) {
    if (!filter.test(rows[i])) continue;
    if (found.length === n) {
      more = true;
      break;
    }
    found.push(rows[i]);
  }
  return {
    items: found.map(project),
    next: more ? { after: found.at(-1)!.id } : null,
    prev: cursor && found.length ? { before: found[0].id } : null,
  };
}

export function countMatches(table: EntityTable, filter: unknown): number {
  const compiled = compileFilter(table, filter);
  let count = 0;
  for (let i = Number.isFinite(compiled.startAfterId) ? table.indexAfter(compiled.startAfterId) : 0; i < table.rows.length; i++) {
    if (compiled.test(table.rows[i])) count++;
  }
  return count;
}

/**
 * Full rows carry every defined field (null when unset). With IncludeFields only those fields (names in any
 * case) plus `id`; `userDefinedFields` is always there, holding just the UDFs that were listed (facts A5).
 */
export function projector(table: EntityTable, include: string[] | null): (row: MockRow) => Record<string, unknown> {
  if (!include) {
    return (row) => {
      const out: Record<string, unknown> = {};
      for (const f of table.fields) out[f.name] = row[f.name] ?? null;
      if (table.udfs.length) out.userDefinedFields = table.mergeUdfs(row.userDefinedFields, undefined);
      return out;
    };
  }
  const names = new Set<string>(['id']);
  const udfNames = new Set<string>();
  for (const name of include) {
    const def = table.field(name);
    if (def) names.add(def.name);
    const udf = table.udf(name);
    if (udf) udfNames.add(udf.name);
    // ⚠️ Unknown names are ignored here; the real API may refuse them.
  }
  const ordered = table.fields.filter((f) => names.has(f.name)).map((f) => f.name);
  return (row) => {
    const out: Record<string, unknown> = {};
    for (const name of ordered) out[name] = row[name] ?? null;
    out.userDefinedFields = table.udfs.length
      ? table.mergeUdfs(row.userDefinedFields, undefined).filter((u) => udfNames.has(u.name))
      : [];
    return out;
  };
}
