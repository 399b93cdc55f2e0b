/**
 * The mock's reference data (facts B6): boards with their types, subtypes, items and
 * typeSubTypeItemAssociations, priorities; and /system/callbacks CRUD (facts B10, without callouts).
 * Reference data is read-only over HTTP here; tests change it through MockState's helpers.
 */
import { arraySource, countResponse, listResponse, type ListSource } from './mock-list';
import type { RouteRequest } from './mock-routes-tickets';
import type { MockState } from './mock-state';
import { cwError, type ChildKind, type MockCallback, type MockResponse } from './mock-types';

const notFound = (what: string) => cwError(404, 'NotFound', `${what} was not found`);
const methodNotAllowed = (method: string) => cwError(405, 'MethodNotAllowed', `${method} is not allowed on this resource`);

/** `list`, `list/count` and `list/{id}` over one collection, GET only. */
function collection<T extends { id: number }>(req: RouteRequest, source: ListSource<T>, rest: string[], what: string): MockResponse {
  if (req.method !== 'GET') return methodNotAllowed(req.method);
  if (rest.length === 0) return listResponse(source, { ...req.list, forwardOnly: false });
  if (rest.length === 1 && rest[0] === 'count') return countResponse(source, req.query);
  if (rest.length === 1 && /^\d+$/.test(rest[0])) {
    for (const row of source.rows(Number(rest[0]) - 1)) if (row.id === Number(rest[0])) return { status: 200, body: row };
  }
  return notFound(`${what} ${rest.join('/')}`);
}

const CHILD_PATHS: Record<string, ChildKind> = { types: 'type', subtypes: 'subtype', items: 'item' };

function boardRoutes(state: MockState, req: RouteRequest, rest: string[]): MockResponse {
  if (rest.length <= 1) return collection(req, arraySource(state.boards.values()), rest, 'board');
  const board = /^\d+$/.test(rest[0]) ? state.boards.get(Number(rest[0])) : undefined;
  if (!board) return notFound(`board ${rest[0]}`);
  const [sub, ...tail] = rest.slice(1);
  const kind = CHILD_PATHS[sub];
  if (kind) {
    const rows = [...state.childMap(kind).values()].filter((c) => c.board.id === board.id);
    const shown = kind === 'subtype' ? rows.map((s) => state.subtypeView(s)) : rows;
    return collection(req, arraySource(shown), tail, kind);
  }
  if (sub === 'typeSubTypeItemAssociations') {
    const rows = [...state.associations.values()].filter((a) => a.board.id === board.id);
    return collection(req, arraySource(rows), tail, 'association');
  }
  return notFound(`board resource ${sub}`);
}

function callbackRoutes(state: MockState, req: RouteRequest, rest: string[]): MockResponse {
  const source = arraySource(state.callbacks.values());
  if (req.method === 'GET') return collection(req, source, rest, 'callback');
  const required = ['url', 'objectId', 'type', 'level'] as const;
  const body = req.body && typeof req.body === 'object' && !Array.isArray(req.body) ? (req.body as Record<string, unknown>) : null;
  const invalid = (fields: string[]) =>
    cwError(400, 'InvalidObject', 'callbackEntry object is invalid', fields.map((field) => ({
      code: 'MissingRequiredField', message: `${field} is required`, resource: 'callbackEntry', field,
    })));
  if (req.method === 'POST' && rest.length === 0) {
    if (!body) return cwError(400, 'InvalidObject', 'The body must be a callback object');
    const missing = required.filter((f) => body[f] === undefined || body[f] === null || body[f] === '');
    if (missing.length) return invalid(missing);
    const entry: MockCallback = { inactiveFlag: false, ...body, id: state.nextCallbackId(), _info: state.info() } as MockCallback;
    state.callbacks.set(entry.id, entry);
    return { status: 201, body: entry };
  }
  const entry = rest.length === 1 ? state.callbacks.get(Number(rest[0])) : undefined;
  if (!entry) return rest.length === 0 ? methodNotAllowed(req.method) : notFound(`callback ${rest.join('/')}`);
  if (req.method === 'DELETE') {
    state.callbacks.delete(entry.id);
    return { status: 204 };
  }
  if (req.method === 'PUT') {
    if (!body) return cwError(400, 'InvalidObject', 'The body must be a callback object');
    const missing = required.filter((f) => body[f] === undefined);
    if (missing.length) return invalid(missing);
    const next = { ...body, id: entry.id, _info: state.info() } as MockCallback;
    state.callbacks.set(entry.id, next);
    return { status: 200, body: next };
  }
  if (req.method === 'PATCH') {
    if (!Array.isArray(req.body)) return cwError(400, 'InvalidObject', 'A PATCH body must be an array of {op, path, value}');
    const next: Record<string, unknown> = { ...entry };
    for (const op of req.body as { op?: string; path?: string; value?: unknown }[]) {
      const key = String(op.path ?? '').replace(/^\//, '');
      if (!key || key === 'id' || key === '_info') return cwError(400, 'InvalidObject', `${key || 'path'} cannot be written`);
      if (String(op.op).toLowerCase() === 'remove') delete next[key];
      else next[key] = op.value;
    }
    const updated = { ...next, _info: state.info() } as MockCallback;
    state.callbacks.set(entry.id, updated);
    return { status: 200, body: updated };
  }
  return methodNotAllowed(req.method);
}

/** Handles reference and callback paths; null when the path is none of them. */
export function referenceRoutes(state: MockState, req: RouteRequest): MockResponse | null {
  const [area, name, ...rest] = req.segments;
  if (area === 'service' && name === 'boards') return boardRoutes(state, req, rest);
  if (area === 'service' && name === 'priorities') return collection(req, arraySource(state.priorities.values()), rest, 'priority');
  if (area === 'system' && name === 'callbacks') return callbackRoutes(state, req, rest);
  return null;
}
