/**
 * The Autotask mock's filter engine (facts A5): comparison, string, existence and list operators, and/or
 * groups, UDF lookups, case-insensitive field names and string matching, strict booleans, and the 500 'OR'
 * limit. A filter compiles once into a predicate, so a page of a 50,000-ticket query stays a cheap scan.
 */
import { type EntityTable, lowerKeys, parseUtc } from './mock-entity';
import { MockApiError, type MockDataType, type MockRow } from './mock-types';

export type RowPredicate = (row: MockRow) => boolean;

export interface CompiledFilter {
  test: RowPredicate;
  /** Rows with an id at or below this cannot match (from a top-level `id gt/gte/eq`): where a scan may start. */
  startAfterId: number;
}

const MAX_OR_CONDITIONS = 500;
const COMPARISONS = new Set(['eq', 'noteq', 'gt', 'gte', 'lt', 'lte']);
const STRINGS = new Set(['beginswith', 'endswith', 'contains']);

type Kind = 'number' | 'string' | 'date' | 'boolean';

const kindOf = (t: MockDataType): Kind =>
  t === 'integer' || t === 'long' || t === 'double' ? 'number' : t === 'datetime' ? 'date' : t === 'boolean' ? 'boolean' : 'string';

const syntax = (message: string) => new MockApiError(500, `Invalid query syntax. ${message}`);

export function compileFilter(table: EntityTable, filter: unknown): CompiledFilter {
  const list = Array.isArray(filter) ? filter : filter && typeof filter === 'object' ? [filter] : [];
  // ⚠️ The API refuses a query without a filter; clients use {"op":"gte","field":"id","value":0} to select all.
  if (list.length === 0) throw syntax('A query must contain at least one filter expression.');
  const orCount = countOrItems(list);
  if (orCount > MAX_OR_CONDITIONS) {
    throw new MockApiError(500, "Invalid query syntax. Queries are limited to 500 or fewer 'OR' conditions.");
  }
  const parts = list.map((node) => compileNode(table, node));
  return { test: (row) => parts.every((p) => p(row)), startAfterId: startAfter(list) };
}

function countOrItems(nodes: unknown[]): number {
  let n = 0;
  for (const raw of nodes) {
    const node = lowerKeys(raw);
    const items = Array.isArray(node.items) ? node.items : [];
    if (String(node.op ?? '').toLowerCase() === 'or') n += items.length;
    n += countOrItems(items);
  }
  return n;
}

function compileNode(table: EntityTable, raw: unknown): RowPredicate {
  const node = lowerKeys(raw);
  if (typeof node.op !== 'string') throw syntax('Every filter expression needs an "op".');
  const op = node.op.toLowerCase();
  if (op === 'and' || op === 'or') {
    if (!Array.isArray(node.items) || node.items.length === 0) throw syntax(`"${node.op}" needs a non-empty "items" array.`);
    const parts = node.items.map((item) => compileNode(table, item));
    return op === 'and' ? (row) => parts.every((p) => p(row)) : (row) => parts.some((p) => p(row));
  }
  if (typeof node.field !== 'string' || !node.field) throw syntax(`Operator "${node.op}" needs a "field".`);
  if (node.udf !== undefined && typeof node.udf !== 'boolean') throw syntax('"udf" must be true or false.');
  const { get, kind } = accessor(table, node.field, node.udf === true);
  return compileLeaf(op, node.op, node.field, kind, get, node.value);
}

function accessor(table: EntityTable, field: string, udf: boolean): { get: (row: MockRow) => unknown; kind: Kind } {
  if (udf) {
    const def = table.udf(field);
    if (!def) throw new MockApiError(500, `Unable to find user-defined field '${field}' in the ${table.meta.singular} entity.`);
    const kind: Kind = def.type === 'number' ? 'number' : 'string';
    return { kind, get: (row) => row.userDefinedFields?.find((u) => u.name === def.name)?.value ?? null };
  }
  const def = table.field(field);
  if (!def) throw new MockApiError(500, `Unable to find field '${field}' in the ${table.meta.singular} entity.`);
  return { kind: kindOf(def.dataType), get: (row) => row[def.name] ?? null };
}

/** Brings a filter value and a row value to one comparable form: numbers, lowercased strings, ISO dates. */
function normalize(kind: Kind, value: unknown, field: string): number | string | boolean {
  switch (kind) {
    case 'boolean':
      // Facts A5: anything but a JSON boolean, null included, is an error.
      if (typeof value !== 'boolean') throw syntax(`The value for boolean field '${field}' must be true or false.`);
      return value;
    case 'number': {
      const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
      if (!Number.isFinite(n)) throw syntax(`'${String(value)}' is not a number (field '${field}').`);
      return n;
    }
    case 'date': {
      const ms = typeof value === 'string' ? parseUtc(value) : NaN;
      if (!Number.isFinite(ms)) throw syntax(`'${String(value)}' is not a date-time (field '${field}').`);
      return new Date(ms).toISOString();
    }
    case 'string':
      return String(value).toLowerCase();
  }
}

/** Row values: numeric UDFs arrive as strings; stored dates are already ISO strings. */
function rowValue(kind: Kind, value: unknown): number | string | boolean | null {
  if (value === null || value === undefined) return null;
  if (kind === 'number') {
    const n = Number(value);
    return Number.isFinite(n) ? n : null;
  }
  if (kind === 'string') return String(value).toLowerCase();
  return value as string | boolean;
}

function compileLeaf(op: string, rawOp: string, field: string, kind: Kind, get: (row: MockRow) => unknown, value: unknown): RowPredicate {
  const read = (row: MockRow) => rowValue(kind, get(row));
  if (op === 'exist') return (row) => read(row) !== null && read(row) !== '';
  if (op === 'notexist') return (row) => read(row) === null || read(row) === '';
  if (op === 'in' || op === 'notin') {
    if (!Array.isArray(value)) throw syntax(`Operator "${rawOp}" needs an array value.`);
    const set = new Set(value.map((v) => normalize(kind, v, field)));
    // SQL semantics (⚠️ assumed): a row without a value matches neither in nor notIn.
    return op === 'in' ? (row) => set.has(read(row) as never) : (row) => read(row) !== null && !set.has(read(row) as never);
  }
  if (STRINGS.has(op)) {
    const needle = String(value ?? '').toLowerCase();
    const text = (row: MockRow) => {
      const v = get(row);
      return v === null || v === undefined ? null : String(v).toLowerCase();
    };
    if (op === 'beginswith') return (row) => text(row)?.startsWith(needle) ?? false;
    if (op === 'endswith') return (row) => text(row)?.endsWith(needle) ?? false;
    return (row) => text(row)?.includes(needle) ?? false;
  }
  if (!COMPARISONS.has(op)) throw syntax(`Unknown operator "${rawOp}".`);
  if (kind === 'boolean' && op !== 'eq' && op !== 'noteq') throw syntax(`Operator "${rawOp}" does not apply to boolean field '${field}'.`);
  // eq/noteq null reads as (not) exist, except on booleans, where null is an error (facts A5).
  if (value === null && kind !== 'boolean' && (op === 'eq' || op === 'noteq')) {
    return op === 'eq' ? (row) => read(row) === null : (row) => read(row) !== null;
  }
  const target = normalize(kind, value, field);
  // SQL semantics (⚠️ assumed): a row without a value matches no comparison, noteq included.
  const cmp = (row: MockRow, test: (a: number | string | boolean) => boolean) => {
    const v = read(row);
    return v !== null && test(v);
  };
  switch (op) {
    case 'eq':
      return (row) => cmp(row, (v) => v === target);
    case 'noteq':
      return (row) => cmp(row, (v) => v !== target);
    case 'gt':
      return (row) => cmp(row, (v) => v > target);
    case 'gte':
      return (row) => cmp(row, (v) => v >= target);
    case 'lt':
      return (row) => cmp(row, (v) => v < target);
    default:
      return (row) => cmp(row, (v) => v <= target);
  }
}

/** A top-level `id gt|gte|eq N` bounds where matching rows can start; used to skip a binary-searched prefix. */
function startAfter(list: unknown[]): number {
  let bound = -Infinity;
  for (const raw of list) {
    const node = lowerKeys(raw);
    if (node.udf === true || String(node.field ?? '').toLowerCase() !== 'id') continue;
    const n = Number(node.value);
    if (!Number.isFinite(n)) continue;
    const op = String(node.op ?? '').toLowerCase();
    if (op === 'gt') bound = Math.max(bound, Math.floor(n));
    if (op === 'gte' || op === 'eq') bound = Math.max(bound, Math.ceil(n) - 1);
  }
  return bound;
}
