/**
 * The Autotask mock's entity routes (facts A4, E3), after authentication: item GET, query (POST, or GET with
 * `search=`), query/count, query/next, create/patch/replace, entityInformation, fields, userDefinedFields,
 * child collections (Tickets/{id}/Notes, TicketWebhooks/{id}/Fields) and DELETE where the entity allows it.
 * Path segments and request keys match in any case; responses use Autotask's wrappers.
 */
import type { EntityTable } from './mock-entity';
import { type PageCursor, countMatches, decodeCursor, encodeCursor, parseQueryModel, projector, runPage } from './mock-query';
import type { MockState } from './mock-state';
import { MockApiError } from './mock-types';
import { type ParentLink, type WriteActor, createRow, deleteRow, notFound, updateRow } from './mock-writes';

export interface RouteRequest {
  method: string;
  /** Path segments after `V1.0/`, as sent. */
  segments: string[];
  query: URLSearchParams;
  body: unknown;
  /** The zone API base this request came in on, e.g. http://127.0.0.1:PORT/zone3/ATServicesRest/. */
  zoneBase: string;
  actor: WriteActor;
}

export interface RouteResponse {
  status: number;
  body: unknown;
}

/** Child collections: {parent}/{id}/{child} → the child entity and its parent-id field. */
const CHILDREN: Record<string, Record<string, { entity: string; field: string }>> = {
  tickets: { notes: { entity: 'TicketNotes', field: 'ticketID' } },
  ticketwebhooks: { fields: { entity: 'TicketWebhookFields', field: 'webhookID' } },
};

const ok = (body: unknown): RouteResponse => ({ status: 200, body });

export function methodNotAllowed(method: string): MockApiError {
  return new MockApiError(405, `The requested resource does not support http method '${method}'.`);
}

export function noResource(path: string): MockApiError {
  return new MockApiError(404, `No HTTP resource was found that matches the request URI '${path}'.`);
}

export function routeEntity(state: MockState, req: RouteRequest): RouteResponse {
  const [entityName, ...rest] = req.segments;
  const table = state.findTable(entityName ?? '');
  if (!table) throw noResource(req.segments.join('/'));
  const lower = rest.map((s) => s.toLowerCase());
  const m = req.method;

  if (lower.length === 0) {
    if (m === 'POST') return ok({ itemId: createRow(state, table, req.body, req.actor).id });
    if (m === 'PATCH' || m === 'PUT') return ok({ itemId: updateRow(state, table, req.body, req.actor, m === 'PATCH' ? 'patch' : 'replace').id });
    throw methodNotAllowed(m);
  }
  if (lower[0] === 'query') return routeQuery(table, req, lower.slice(1));
  if (lower[0] === 'entityinformation') return routeInfo(table, m, lower.slice(1));

  const id = parseId(rest[0]);
  if (lower.length === 1) {
    const row = table.get(id);
    if (m === 'GET') {
      if (!row) throw notFound(table, id);
      return ok({ item: projector(table, null)(row) });
    }
    if (m === 'DELETE') {
      deleteRow(state, table, id);
      return ok({ itemId: id });
    }
    throw methodNotAllowed(m);
  }

  const child = CHILDREN[table.meta.name.toLowerCase()]?.[lower[1]];
  if (!child || lower.length > 3) throw noResource(req.segments.join('/'));
  if (!table.get(id)) throw notFound(table, id);
  const childTable = state.table(child.entity);
  const parent: ParentLink = { field: child.field, id };
  if (lower.length === 3) {
    const cid = parseId(rest[2]);
    const row = childTable.get(cid);
    if (m === 'DELETE') {
      deleteRow(state, childTable, cid, parent);
      return ok({ itemId: cid });
    }
    if (m !== 'GET') throw methodNotAllowed(m);
    if (!row || row[child.field] !== id) throw notFound(childTable, cid);
    return ok({ item: projector(childTable, null)(row) });
  }
  if (m === 'POST') return ok({ itemId: createRow(state, childTable, req.body, req.actor, parent).id });
  if (m === 'PATCH' || m === 'PUT') return ok({ itemId: updateRow(state, childTable, req.body, req.actor, m === 'PATCH' ? 'patch' : 'replace', parent).id });
  if (m !== 'GET') throw methodNotAllowed(m);
  const project = projector(childTable, null);
  const items = childTable.rows.filter((r) => r[child.field] === id).map(project);
  return ok({ items, pageDetails: { count: items.length, requestCount: 500, prevPageUrl: null, nextPageUrl: null } });
}

function parseId(text: string): number {
  if (!/^\d+$/.test(text)) throw noResource(text);
  return Number(text);
}

/** GET queries carry the QueryModel JSON in `search`; POST queries in the body. */
function queryModelOf(req: RouteRequest): unknown {
  if (req.method === 'POST') return req.body;
  const search = req.query.get('search');
  if (search === null) throw new MockApiError(500, 'Invalid query syntax. A GET query needs a search parameter.');
  try {
    return JSON.parse(search);
  } catch {
    throw new MockApiError(500, 'Invalid query syntax. The search parameter is not valid JSON.');
  }
}

function routeQuery(table: EntityTable, req: RouteRequest, rest: string[]): RouteResponse {
  if (!table.meta.canQuery) throw methodNotAllowed(req.method);
  if (req.method !== 'GET' && req.method !== 'POST') throw methodNotAllowed(req.method);
  const sub = rest.join('/');
  if (sub === 'count') return ok({ queryCount: countMatches(table, parseQueryModel(queryModelOf(req)).filter) });
  if (sub !== '' && sub !== 'next') throw noResource(req.segments.join('/'));
  let cursor: PageCursor | null = null;
  if (sub === 'next') {
    // A POST-originated next page must be POSTed again with its body (facts A6): GET without search is refused.
    if (req.method === 'GET' && !req.query.has('search')) throw methodNotAllowed('GET');
    cursor = decodeCursor(req.query.get('paging'));
  }
  const model = parseQueryModel(queryModelOf(req));
  const page = runPage(table, model, cursor);
  const url = (c: PageCursor | null) => {
    if (!c) return null;
    const search = req.method === 'GET' ? `&search=${encodeURIComponent(req.query.get('search') ?? '')}` : '';
    return `${req.zoneBase}V1.0/${table.meta.name}/query/next?paging=${encodeCursor(c)}${search}`;
  };
  return ok({
    items: page.items,
    pageDetails: { count: page.items.length, requestCount: model.maxRecords, prevPageUrl: url(page.prev), nextPageUrl: url(page.next) },
  });
}

function routeInfo(table: EntityTable, method: string, rest: string[]): RouteResponse {
  if (method !== 'GET') throw methodNotAllowed(method);
  const sub = rest.join('/');
  const meta = table.meta;
  const access = (can: boolean) => (can ? 1 : 0);
  if (sub === '') {
    return ok({
      info: {
        name: meta.singular,
        canCreate: meta.canCreate,
        canDelete: meta.canDelete,
        canQuery: meta.canQuery,
        canUpdate: meta.canUpdate,
        userAccessForCreate: access(meta.canCreate),
        userAccessForDelete: access(meta.canDelete),
        userAccessForQuery: access(meta.canQuery),
        userAccessForUpdate: access(meta.canUpdate),
        hasUserDefinedFields: table.udfs.length > 0,
        supportsWebhookCallouts: meta.supportsWebhookCallouts,
      },
    });
  }
  if (sub === 'fields') {
    return ok({
      fields: table.fields.map((f) => ({
        name: f.name,
        dataType: f.dataType,
        length: f.length ?? 0,
        isRequired: !!f.isRequired,
        isReadOnly: !!f.isReadOnly,
        isQueryable: true,
        isReference: !!f.referenceEntityType,
        referenceEntityType: f.referenceEntityType ?? '',
        isPickList: !!f.picklist,
        picklistValues: f.picklist ? f.picklist.map((p) => ({ ...p })) : null,
        picklistParentValueField: f.picklistParentValueField ?? '',
        isSupportedWebhookField: meta.supportsWebhookCallouts,
      })),
    });
  }
  if (sub === 'userdefinedfields') {
    return ok({
      fields: table.udfs.map((u) => ({
        name: u.name,
        label: u.label,
        type: u.type,
        length: u.type === 'string' ? 100 : 0,
        description: '',
        isRequired: false,
        isReadOnly: false,
        isQueryable: true,
        isReference: false,
        referenceEntityType: '',
        isPickList: false,
        picklistValues: null,
        picklistParentValueField: '',
        defaultValue: null,
        isSupportedWebhookField: false,
      })),
    });
  }
  throw noResource(`${meta.name}/entityInformation/${sub}`);
}
