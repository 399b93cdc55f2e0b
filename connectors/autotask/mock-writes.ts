/**
 * Create, update (PATCH merges, PUT replaces) and delete for any entity of the Autotask mock, plus the side
 * effects the real service applies: ticket numbers and activity dates, completedDate on Complete, note
 * authorship under impersonation, webhook readiness.
 */
import { randomUUID } from 'node:crypto';
import { type EntityTable, lowerKeys, type ReferenceCheck } from './mock-entity';
import { STATUS_COMPLETE } from './mock-fields';
import { MockApiError, type MockRow } from './mock-types';

export interface WriteContext {
  /** A strictly increasing ISO timestamp. */
  now(): string;
  table(name: string): EntityTable;
  checkReference: ReferenceCheck;
}

export interface WriteActor {
  /** The API user's own resource id. */
  resourceId: number;
  /** From the ImpersonationResourceId header, when sent. */
  impersonationResourceId: number | null;
}

/** A child collection's parent, e.g. POST /Tickets/{id}/Notes → ticketID = id. */
export interface ParentLink {
  field: string;
  id: number;
}

export function createRow(ctx: WriteContext, table: EntityTable, body: unknown, actor: WriteActor, parent?: ParentLink): MockRow {
  if (!table.meta.canCreate) throw new MockApiError(405, `The ${table.meta.singular} entity does not support create.`);
  const input = asObject(body);
  const { values, udfs } = table.coerceWrite(withoutId(input), ctx.checkReference);
  applyParent(values, parent);
  for (const f of table.fields) {
    if (f.isRequired && !f.isReadOnly && (values[f.name] === null || values[f.name] === undefined)) {
      throw new MockApiError(500, `${f.name} is required.`);
    }
  }
  const row: MockRow = { id: table.allocateId() };
  for (const f of table.fields) if (f.name !== 'id') row[f.name] = values[f.name] ?? null;
  if (table.udfs.length) row.userDefinedFields = table.mergeUdfs(undefined, udfs);
  HOOKS[table.meta.name]?.create?.(ctx, row, actor);
  table.checkParents(row);
  table.insert(row);
  HOOKS[table.meta.name]?.after?.(ctx, row);
  return row;
}

export function updateRow(
  ctx: WriteContext,
  table: EntityTable,
  body: unknown,
  actor: WriteActor,
  mode: 'patch' | 'replace',
  parent?: ParentLink,
): MockRow {
  if (!table.meta.canUpdate) throw new MockApiError(405, `The ${table.meta.singular} entity does not support update.`);
  const input = asObject(body);
  const id = Number(lowerKeys(input).id);
  if (!Number.isInteger(id)) throw new MockApiError(500, `An update of a ${table.meta.singular} requires its id.`);
  const existing = table.get(id);
  if (!existing || (parent && existing[parent.field] !== parent.id)) throw notFound(table, id);
  const { values, udfs } = table.coerceWrite(withoutId(input), ctx.checkReference);
  applyParent(values, parent);
  const next: MockRow = { ...existing };
  if (mode === 'replace') {
    for (const f of table.fields) {
      if (f.isReadOnly || f.name === 'id' || (parent && f.name === parent.field)) continue;
      if (f.isRequired && (values[f.name] === null || values[f.name] === undefined)) throw new MockApiError(500, `${f.name} is required.`);
      next[f.name] = values[f.name] ?? null;
    }
  } else {
    Object.assign(next, values);
  }
  if (table.udfs.length) next.userDefinedFields = table.mergeUdfs(mode === 'replace' ? undefined : existing.userDefinedFields, udfs);
  table.checkParents(next);
  HOOKS[table.meta.name]?.update?.(ctx, next, existing, actor);
  // Keep the row object (the id index and the ordered array both point at it).
  Object.assign(existing, next);
  HOOKS[table.meta.name]?.after?.(ctx, existing);
  return existing;
}

export function deleteRow(ctx: WriteContext, table: EntityTable, id: number, parent?: ParentLink): void {
  if (!table.meta.canDelete) throw new MockApiError(405, `The ${table.meta.singular} entity does not support delete.`);
  const row = table.get(id);
  if (!row || (parent && row[parent.field] !== parent.id)) {
    throw new MockApiError(404, 'No matching records found. The logged in Resource may not have the required permissions to delete the data.');
  }
  table.remove(id);
  HOOKS[table.meta.name]?.after?.(ctx, row);
}

export function notFound(table: EntityTable, id: number): MockApiError {
  // ⚠️ The real 404 body is undocumented (facts F3); the shape is always {"errors":[...]}.
  return new MockApiError(404, `No ${table.meta.singular} with id ${id} was found.`);
}

function asObject(body: unknown): Record<string, unknown> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw new MockApiError(500, 'The request body must be a JSON object.');
  return body as Record<string, unknown>;
}

function withoutId(input: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(input)) if (k.toLowerCase() !== 'id') out[k] = v;
  return out;
}

function applyParent(values: Record<string, unknown>, parent?: ParentLink): void {
  if (!parent) return;
  const given = values[parent.field];
  if (given !== undefined && given !== null && given !== parent.id) {
    throw new MockApiError(500, `${parent.field} ${String(given)} does not match the parent id ${parent.id} in the URL.`);
  }
  values[parent.field] = parent.id;
}

interface Hooks {
  create?(ctx: WriteContext, row: MockRow, actor: WriteActor): void;
  update?(ctx: WriteContext, next: MockRow, prev: MockRow, actor: WriteActor): void;
  after?(ctx: WriteContext, row: MockRow): void;
}

const HOOKS: Record<string, Hooks> = {
  Tickets: {
    create(ctx, row) {
      const now = ctx.now();
      row.createDate = now;
      row.lastActivityDate = now;
      row.ticketNumber = `T${now.slice(0, 10).replaceAll('-', '')}.${String(row.id % 10000).padStart(4, '0')}`;
      row.ticketCategory ??= 3;
      row.completedDate = row.status === STATUS_COMPLETE ? now : null;
    },
    update(ctx, next, prev) {
      // Every edit is activity: the incremental-sync field moves (facts A8, DJAT syncs on lastActivityDate).
      next.lastActivityDate = ctx.now();
      if (next.status === STATUS_COMPLETE && prev.status !== STATUS_COMPLETE) next.completedDate = next.lastActivityDate;
      if (next.status !== STATUS_COMPLETE) next.completedDate = null;
    },
  },
  TicketNotes: {
    create(ctx, row, actor) {
      const ticket = ctx.table('tickets').get(row.ticketID as number);
      if (!ticket) throw new MockApiError(404, `No Ticket with id ${String(row.ticketID)} was found.`);
      const now = ctx.now();
      row.createDateTime = now;
      row.lastActivityDate = now;
      row.creatorResourceID = actor.impersonationResourceId ?? actor.resourceId;
      row.impersonatorCreatorResourceID = actor.impersonationResourceId === null ? null : actor.resourceId;
      // ⚠️ Assumed: a note counts as ticket activity, so the ticket comes back in the next incremental sync.
      ticket.lastActivityDate = now;
    },
  },
  TicketWebhooks: {
    create(_ctx, row, actor) {
      row.webhookGUID = randomUUID();
      row.ownerResourceID = actor.resourceId;
      row.isActive ??= false;
      row.isReady = false;
    },
  },
  TicketWebhookFields: {
    create(ctx, row) {
      if (!ctx.table('ticketwebhooks').get(row.webhookID as number)) {
        throw new MockApiError(404, `No Webhook with id ${String(row.webhookID)} was found.`);
      }
    },
    after(ctx, row) {
      // A webhook is ready once at least one field is subscribed (facts A12).
      const hook = ctx.table('ticketwebhooks').get(row.webhookID as number);
      if (!hook) return;
      hook.isReady = ctx.table('ticketwebhookfields').rows.some((f) => f.webhookID === hook.id && f.isSubscribedField === true);
    },
  },
};
