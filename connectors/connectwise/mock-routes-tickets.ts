/** The mock's /service/tickets routes: list, count, CRUD by id, and the ticket's notes (facts B3, B5, B7). */
import { arraySource, countResponse, listResponse, projector, type ListContext, type ListSource } from './mock-list';
import { applyOperations, bodyAsOperations, invalidTicket, patchTicket, replaceTicket } from './mock-patch';
import { lowerBound, type MockState } from './mock-state';
import { cwError, type MockResponse, type MockTicket } from './mock-types';

export interface RouteRequest {
  method: string;
  /** Path segments after `apis/3.0/`. */
  segments: string[];
  query: URLSearchParams;
  body: unknown;
  list: ListContext;
  forwardOnlyAsked: boolean;
}

const notFound = (what: string) => cwError(404, 'NotFound', `${what} was not found`);
const methodNotAllowed = (method: string) => cwError(405, 'MethodNotAllowed', `${method} is not allowed on this resource`);

/** Tickets by ascending id; `after` jumps in by binary search, so a forward-only page never rescans the start. */
function ticketSource(state: MockState): ListSource<MockTicket> {
  return {
    *rows(after) {
      const ids = state.ticketIds;
      for (let i = after === undefined ? 0 : lowerBound(ids, after + 1); i < ids.length; i++) {
        const t = state.tickets.get(ids[i]);
        if (t) yield t;
      }
    },
  };
}

function one(row: unknown, query: URLSearchParams): MockResponse {
  const project = projector(query.get('fields'));
  return { status: 200, body: project ? project(row) : row };
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function createTicket(state: MockState, body: unknown): MockResponse {
  if (!isObject(body)) return cwError(400, 'InvalidObject', 'The body must be a ticket object');
  if (!isObject(body.company)) {
    return invalidTicket([{ code: 'MissingRequiredField', message: 'company is required', resource: 'ticket', field: 'company' }]);
  }
  const board = [...state.boards.values()].find((b) => !b.inactiveFlag);
  if (!board) return cwError(400, 'InvalidObject', 'no active board to file the ticket on');
  const at = state.now();
  const skeleton: MockTicket = {
    id: 0,
    summary: '',
    recordType: 'ServiceTicket',
    board: { id: board.id, name: board.name },
    status: state.statusFor(false),
    company: { ...state.companies[0] },
    severity: 'Medium',
    impact: 'Medium',
    closedFlag: false,
    _info: { lastUpdated: at, updatedBy: 'api', dateEntered: at, enteredBy: 'api' },
  };
  const result = applyOperations(state, skeleton, bodyAsOperations(body));
  if ('status' in result) return result;
  if (result.errors.length) return invalidTicket(result.errors);
  const ticket = { ...result.next, id: state.nextTicketId() };
  const description = typeof body.initialDescription === 'string' ? body.initialDescription : null;
  state.insertTicket(ticket, description, at);
  return { status: 201, body: ticket };
}

function putTicket(state: MockState, ticket: MockTicket, body: unknown): MockResponse {
  if (!isObject(body)) return cwError(400, 'InvalidObject', 'The body must be a ticket object');
  // PUT replaces every writable field: start from the server-owned ones only.
  const base: MockTicket = { ...structuredClone(ticket) };
  for (const key of ['type', 'subType', 'item', 'priority', 'closedDate', 'closedBy'] as const) delete base[key];
  const result = applyOperations(state, base, bodyAsOperations(body));
  if ('status' in result) return result;
  if (result.errors.length) return invalidTicket(result.errors);
  replaceTicket(ticket, { ...result.next, id: ticket.id, _info: { ...ticket._info, lastUpdated: state.now(), updatedBy: 'api' } });
  return { status: 200, body: ticket };
}

function notesRoute(state: MockState, req: RouteRequest, ticket: MockTicket, rest: string[]): MockResponse {
  const notes = state.notesOf(ticket.id);
  if (rest.length === 0) {
    if (req.method === 'GET') return listResponse(arraySource(notes), { ...req.list, forwardOnly: false });
    if (req.method !== 'POST') return methodNotAllowed(req.method);
    const b = req.body;
    if (!isObject(b) || typeof b.text !== 'string' || !b.text.trim()) {
      return cwError(400, 'InvalidObject', 'note object is invalid', [
        { code: 'MissingRequiredField', message: 'text is required', resource: 'ticketNote', field: 'text' },
      ]);
    }
    const flags = ['detailDescriptionFlag', 'internalAnalysisFlag', 'resolutionFlag'] as const;
    if (!flags.some((f) => b[f] === true)) {
      return cwError(400, 'InvalidObject', 'note object is invalid', [
        { code: 'InvalidField', message: 'One of detailDescriptionFlag, internalAnalysisFlag or resolutionFlag must be true', resource: 'ticketNote', field: 'detailDescriptionFlag' },
      ]);
    }
    const note = state.addNote(ticket.id, {
      text: b.text,
      detailDescriptionFlag: b.detailDescriptionFlag === true,
      internalAnalysisFlag: b.internalAnalysisFlag === true,
      resolutionFlag: b.resolutionFlag === true,
      issueFlag: b.issueFlag === true,
    });
    return { status: 201, body: note };
  }
  if (req.method !== 'GET') return methodNotAllowed(req.method);
  if (rest[0] === 'count' && rest.length === 1) return countResponse(arraySource(notes), req.query);
  const note = rest.length === 1 ? notes.find((n) => String(n.id) === rest[0]) : undefined;
  return note ? one(note, req.query) : notFound(`note ${rest.join('/')}`);
}

/** Handles segments `service/tickets/...`; null when the path is not a ticket route. */
export function ticketRoutes(state: MockState, req: RouteRequest): MockResponse | null {
  const [service, tickets, idPart, ...rest] = req.segments;
  if (service !== 'service' || tickets !== 'tickets') return null;
  if (idPart === undefined) {
    if (req.method === 'GET') {
      const forwardOnly = req.forwardOnlyAsked && state.settings.forwardOnly;
      return listResponse(ticketSource(state), { ...req.list, forwardOnly });
    }
    if (req.method === 'POST') return createTicket(state, req.body);
    return methodNotAllowed(req.method);
  }
  if (idPart === 'count' && rest.length === 0) {
    return req.method === 'GET' ? countResponse(ticketSource(state), req.query) : methodNotAllowed(req.method);
  }
  if (!/^\d+$/.test(idPart)) return notFound(`ticket ${idPart}`);
  const ticket = state.tickets.get(Number(idPart));
  if (!ticket) return notFound(`ticket ${idPart}`);
  if (rest[0] === 'notes') return notesRoute(state, req, ticket, rest.slice(1));
  if (rest.length) return notFound(req.segments.join('/'));
  switch (req.method) {
    case 'GET':
      return one(ticket, req.query);
    case 'PATCH':
      return patchTicket(state, ticket, req.body);
    case 'PUT':
      return putTicket(state, ticket, req.body);
    case 'DELETE':
      state.deleteTicket(ticket.id);
      return { status: 204 };
    default:
      return methodNotAllowed(req.method);
  }
}
