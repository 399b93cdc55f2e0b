/**
 * One entity's records in the Autotask mock: rows kept in ascending id order with an id index (so a page is a
 * binary search plus a short scan, never a full sort), case-insensitive field lookup, and the checks a write
 * goes through (types, lengths, picklist membership, dependent picklists, references).
 */
import { MockApiError, type MockFieldDef, type MockRow, type MockUdfDef, type MockUdfValue } from './mock-types';

export interface EntityMeta {
  /** The path segment, e.g. 'Tickets'. */
  name: string;
  /** The entity name in messages and entityInformation, e.g. 'Ticket'. */
  singular: string;
  canCreate: boolean;
  canUpdate: boolean;
  canDelete: boolean;
  canQuery: boolean;
  supportsWebhookCallouts: boolean;
}

/** Answers whether a referenced record exists and may be used (e.g. an active billing code). */
export type ReferenceCheck = (entityType: string, id: number) => 'ok' | 'missing' | 'inactive' | 'unchecked';

export class EntityTable {
  /** Ascending by id: ids are only ever appended above the current maximum. */
  readonly rows: MockRow[] = [];
  private readonly byId = new Map<number, MockRow>();
  private readonly byLower = new Map<string, MockFieldDef>();
  private lastId: number;

  constructor(
    readonly meta: EntityMeta,
    readonly fields: MockFieldDef[],
    readonly udfs: MockUdfDef[] = [],
    firstId = 1,
  ) {
    for (const f of fields) this.byLower.set(f.name.toLowerCase(), f);
    this.lastId = firstId - 1;
  }

  field(name: string): MockFieldDef | undefined {
    return this.byLower.get(name.toLowerCase());
  }

  udf(name: string): MockUdfDef | undefined {
    const lower = name.toLowerCase();
    return this.udfs.find((u) => u.name.toLowerCase() === lower);
  }

  get(id: number): MockRow | undefined {
    return this.byId.get(id);
  }

  /** The next id; `gap` leaves holes as real databases do after deletes. */
  allocateId(gap = 1): number {
    this.lastId += Math.max(1, gap);
    return this.lastId;
  }

  insert(row: MockRow): MockRow {
    if (row.id <= (this.rows.at(-1)?.id ?? 0)) throw new Error(`${this.meta.name}: ids must increase (${row.id})`);
    this.lastId = Math.max(this.lastId, row.id);
    this.rows.push(row);
    this.byId.set(row.id, row);
    return row;
  }

  remove(id: number): boolean {
    if (!this.byId.delete(id)) return false;
    this.rows.splice(this.indexAfter(id - 1), 1);
    return true;
  }

  /** Index of the first row whose id is greater than `id`. */
  indexAfter(id: number): number {
    let lo = 0;
    let hi = this.rows.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.rows[mid].id <= id) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * Checks a write body (keys in any case) and returns it with canonical names and coerced values. Read-only
   * fields are ignored, as the API ignores them; unknown fields and bad values are errors.
   */
  coerceWrite(body: Record<string, unknown>, check: ReferenceCheck): { values: Record<string, unknown>; udfs?: MockUdfValue[] } {
    const values: Record<string, unknown> = {};
    let udfs: MockUdfValue[] | undefined;
    for (const [key, raw] of Object.entries(body)) {
      if (key.toLowerCase() === 'userdefinedfields') {
        udfs = this.coerceUdfs(raw);
        continue;
      }
      const def = this.field(key);
      if (!def) throw new MockApiError(500, `Unable to find field '${key}' on entity ${this.meta.singular}.`);
      if (def.isReadOnly) continue;
      values[def.name] = this.coerceValue(def, raw, check);
    }
    return { values, udfs };
  }

  private coerceValue(def: MockFieldDef, raw: unknown, check: ReferenceCheck): unknown {
    if (raw === null || raw === undefined || raw === '') {
      if (def.isRequired) throw new MockApiError(500, `${def.name} is required.`);
      return null;
    }
    const bad = () => new MockApiError(500, `Value '${String(raw)}' is not valid for field ${def.name} (${def.dataType}).`);
    switch (def.dataType) {
      case 'integer':
      case 'long': {
        const n = typeof raw === 'number' ? raw : typeof raw === 'string' && /^-?\d+$/.test(raw.trim()) ? Number(raw) : NaN;
        if (!Number.isInteger(n)) throw bad();
        if (def.picklist) this.checkPicklist(def, n);
        if (def.referenceEntityType) {
          const state = check(def.referenceEntityType, n);
          if (state === 'missing') throw new MockApiError(500, `${def.name}: no ${def.referenceEntityType} with id ${n} exists.`);
          if (state === 'inactive') throw new MockApiError(500, `${def.name}: ${def.referenceEntityType} ${n} is inactive.`);
        }
        return n;
      }
      case 'double': {
        const n = typeof raw === 'number' ? raw : Number(raw);
        if (!Number.isFinite(n)) throw bad();
        return n;
      }
      case 'boolean':
        if (typeof raw !== 'boolean') throw bad();
        return raw;
      case 'datetime': {
        const ms = typeof raw === 'string' ? parseUtc(raw) : NaN;
        if (!Number.isFinite(ms)) throw bad();
        return new Date(ms).toISOString();
      }
      case 'string': {
        if (typeof raw !== 'string') throw bad();
        if (def.length && raw.length > def.length) {
          throw new MockApiError(500, `${def.name} exceeds its maximum length of ${def.length} characters.`);
        }
        return raw;
      }
    }
  }

  private checkPicklist(def: MockFieldDef, n: number): void {
    const entry = def.picklist!.find((p) => p.value === String(n));
    if (!entry) throw new MockApiError(500, `Value ${n} is not a valid picklist value for field ${def.name}.`);
    if (!entry.isActive) throw new MockApiError(500, `Value ${n} (${entry.label}) of field ${def.name} is inactive.`);
  }

  private coerceUdfs(raw: unknown): MockUdfValue[] {
    if (!Array.isArray(raw)) throw new MockApiError(500, 'userDefinedFields must be an array of {name, value}.');
    return raw.map((item) => {
      const entry = lowerKeys(item);
      const def = typeof entry.name === 'string' ? this.udf(entry.name) : undefined;
      if (!def) throw new MockApiError(500, `Unable to find user-defined field '${String(entry.name)}' on entity ${this.meta.singular}.`);
      const value = entry.value === null || entry.value === undefined ? null : String(entry.value);
      return { name: def.name, value };
    });
  }

  /** Dependent picklists: a child value must belong to the row's parent value (subIssueType under issueType). */
  checkParents(row: MockRow): void {
    for (const def of this.fields) {
      if (!def.picklistParentValueField || row[def.name] === null || row[def.name] === undefined) continue;
      const entry = def.picklist?.find((p) => p.value === String(row[def.name]));
      const parent = row[def.picklistParentValueField];
      if (entry && entry.parentValue !== String(parent ?? '')) {
        throw new MockApiError(500, `${def.name} ${row[def.name]} does not belong to ${def.picklistParentValueField} ${String(parent)}.`);
      }
    }
  }

  /** Merges UDF writes into a row's list, keeping every defined UDF present. */
  mergeUdfs(current: MockUdfValue[] | undefined, writes: MockUdfValue[] | undefined): MockUdfValue[] {
    const out = this.udfs.map((u) => ({ name: u.name, value: current?.find((c) => c.name === u.name)?.value ?? null }));
    for (const w of writes ?? []) out.find((o) => o.name === w.name)!.value = w.value;
    return out;
  }
}

/** Autotask stores UTC: a date-time without a zone designator is read as UTC. */
export function parseUtc(text: string): number {
  const t = text.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(t)) return Date.parse(`${t}T00:00:00Z`);
  const hasZone = /(Z|[+-]\d\d:?\d\d)$/i.test(t);
  return Date.parse(hasZone ? t : `${t}Z`);
}

/** Request keys are case-insensitive (facts A1): one helper lowercases an object's own keys. */
export function lowerKeys(value: unknown): Record<string, unknown> {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return {};
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k.toLowerCase()] = v;
  return out;
}
