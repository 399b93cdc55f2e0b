/**
 * The mock's data: the board reference data (MockReferenceData), tickets indexed by id (ids only grow, so
 * insertion order is id order and forward-only paging is a binary search), notes per ticket and callbacks, plus
 * the helpers tests use to change the tenant between syncs (add, touch and close tickets).
 */
import { MockReferenceData, cwTime } from './mock-reference-data';
import type { MockBoardChild, MockCallback, MockNote, MockRef, MockTicket, RefKind } from './mock-types';

export { cwTime };

export interface MockSettings {
  /** /service/tickets honours `pagination-type: forward-only` (other lists never do). */
  forwardOnly: boolean;
  /** Navigable lists send a Link header; off, clients must page until a short page. */
  linkHeader: boolean;
  /** Page size when the request names none (⚠️ 25 is the commonly seen default, unverified). */
  defaultPageSize: number;
}

export interface NewTicket {
  summary: string;
  description?: string;
  boardId?: number;
  typeId?: number | null;
  subTypeId?: number | null;
  itemId?: number | null;
  priorityId?: number | null;
  closed?: boolean;
}

export interface FinalValues {
  boardId?: number;
  typeId?: number | null;
  subTypeId?: number | null;
  itemId?: number | null;
  priorityId?: number | null;
}

const STATUS = {
  new: { id: 1, name: 'New', sort: 0 },
  inProgress: { id: 2, name: 'In Progress', sort: 1 },
  closed: { id: 6, name: '>Closed', sort: 6 },
} as const;

export class MockState extends MockReferenceData {
  readonly settings: MockSettings = { forwardOnly: true, linkHeader: true, defaultPageSize: 25 };
  readonly tickets = new Map<number, MockTicket>();
  /** Ticket ids in ascending order. */
  readonly ticketIds: number[] = [];
  readonly notes = new Map<number, MockNote[]>();
  readonly callbacks = new Map<number, MockCallback>();
  readonly companies: (MockRef & { identifier: string })[] = [
    { id: 250, identifier: 'ACME', name: 'Acme Corp' },
    { id: 251, identifier: 'GLOBEX', name: 'Globex Industries' },
    { id: 252, identifier: 'INITECH', name: 'Initech LLC' },
    { id: 253, identifier: 'UMBRELLA', name: 'Umbrella Dental' },
  ];
  private lastStamp = 0;
  private seq = { ticket: 1000, note: 5000, callback: 0 };

  constructor(
    public codebase: string,
    readonly apiVersion: string,
  ) {
    super();
  }

  /** A fresh lastUpdated: wall time, but always after every stamp already given, so `since` sweeps are exact. */
  now(): string {
    this.lastStamp = Math.max(Math.floor(Date.now() / 1000) * 1000, this.lastStamp + 1000);
    return cwTime(this.lastStamp);
  }

  /** Raises the clock past generated history (the tenant generator stamps the past). */
  noteStamp(iso: string): void {
    this.lastStamp = Math.max(this.lastStamp, Date.parse(iso));
  }

  /** Renames the entry and the reference on every ticket: ConnectWise joins reference names at read time. */
  override rename(kind: RefKind, id: number, name: string): void {
    super.rename(kind, id, name);
    const key = ({ board: 'board', type: 'type', subtype: 'subType', item: 'item', priority: 'priority' } as const)[kind];
    for (const t of this.tickets.values()) {
      const r = t[key] as MockRef | undefined;
      if (r?.id === id) r.name = name;
    }
  }

  // ---- tickets ----------------------------------------------------------------------------------------------

  nextTicketId(): number {
    return ++this.seq.ticket;
  }

  /** Stores a ticket built elsewhere (the tenant generator, POST); its id must be above every existing one. */
  insertTicket(ticket: MockTicket, description: string | null, noteAt?: string): MockTicket {
    const last = this.ticketIds[this.ticketIds.length - 1];
    if (last !== undefined && ticket.id <= last) throw new Error(`ticket ids must grow: ${ticket.id} after ${last}`);
    this.seq.ticket = Math.max(this.seq.ticket, ticket.id);
    this.tickets.set(ticket.id, ticket);
    this.ticketIds.push(ticket.id);
    if (description !== null) {
      this.addNote(ticket.id, { text: description, detailDescriptionFlag: true }, noteAt ?? ticket._info.dateEntered);
    }
    return ticket;
  }

  addTicket(input: NewTicket): MockTicket {
    const board = this.mustBoard(input.boardId ?? [...this.boards.values()].find((b) => !b.inactiveFlag)!.id);
    const at = this.now();
    const ticket: MockTicket = {
      id: this.nextTicketId(),
      summary: input.summary,
      recordType: 'ServiceTicket',
      board: { id: board.id, name: board.name },
      status: { ...STATUS.new },
      company: { ...this.companies[0] },
      severity: 'Medium',
      impact: 'Medium',
      closedFlag: false,
      _info: { lastUpdated: at, updatedBy: 'ZAdmin', dateEntered: at, enteredBy: 'ZAdmin' },
    };
    this.applyRefs(ticket, { typeId: input.typeId, subTypeId: input.subTypeId, itemId: input.itemId, priorityId: input.priorityId });
    if (input.closed) this.markClosed(ticket, at);
    return this.insertTicket(ticket, input.description ?? '', at);
  }

  mustTicket(id: number): MockTicket {
    const t = this.tickets.get(id);
    if (!t) throw new Error(`no ticket ${id}`);
    return t;
  }

  /** Sets references by id (null clears, undefined keeps) without validation: tests may build any state. */
  applyRefs(ticket: MockTicket, v: FinalValues): void {
    if (v.boardId !== undefined) {
      const b = this.mustBoard(v.boardId);
      ticket.board = { id: b.id, name: b.name };
    }
    const set = (key: 'type' | 'subType' | 'item', map: Map<number, MockBoardChild>, id: number | null | undefined) => {
      if (id === undefined) return;
      if (id === null) delete ticket[key];
      else {
        const c = map.get(id);
        if (!c) throw new Error(`no ${key} ${id}`);
        ticket[key] = { id: c.id, name: c.name };
      }
    };
    set('type', this.types, v.typeId);
    set('subType', this.subtypes, v.subTypeId);
    set('item', this.items, v.itemId);
    if (v.priorityId === null) delete ticket.priority;
    else if (v.priorityId !== undefined) {
      const p = this.priorities.get(v.priorityId);
      if (!p) throw new Error(`no priority ${v.priorityId}`);
      ticket.priority = { id: p.id, name: p.name, sort: p.sortOrder, level: p.level };
    }
  }

  /** A technician edits the ticket: only lastUpdated moves. */
  touchTicket(id: number): MockTicket {
    const t = this.mustTicket(id);
    t._info = { ...t._info, lastUpdated: this.now(), updatedBy: 'jsmith' };
    if (!t.closedFlag) t.status = { ...STATUS.inProgress };
    return t;
  }

  /** A technician closes the ticket with its final classification. */
  closeTicket(id: number, final: FinalValues = {}): MockTicket {
    const t = this.mustTicket(id);
    this.applyRefs(t, final);
    const at = this.now();
    this.markClosed(t, at);
    t._info = { ...t._info, lastUpdated: at, updatedBy: 'jsmith' };
    return t;
  }

  markClosed(t: MockTicket, at: string): void {
    t.closedFlag = true;
    t.closedDate = at;
    t.closedBy = 'jsmith';
    t.status = { ...STATUS.closed };
  }

  deleteTicket(id: number): boolean {
    if (!this.tickets.delete(id)) return false;
    this.notes.delete(id);
    const at = lowerBound(this.ticketIds, id);
    if (this.ticketIds[at] === id) this.ticketIds.splice(at, 1);
    return true;
  }

  addNote(ticketId: number, input: Partial<MockNote> & { text: string }, at = this.now()): MockNote {
    const note: MockNote = {
      id: ++this.seq.note,
      ticketId,
      text: input.text,
      detailDescriptionFlag: input.detailDescriptionFlag ?? false,
      internalAnalysisFlag: input.internalAnalysisFlag ?? false,
      resolutionFlag: input.resolutionFlag ?? false,
      issueFlag: input.issueFlag ?? false,
      internalFlag: input.internalFlag ?? Boolean(input.internalAnalysisFlag),
      externalFlag: input.externalFlag ?? Boolean(input.detailDescriptionFlag),
      customerUpdatedFlag: false,
      member: { id: 1, identifier: 'ZAdmin', name: 'Zed Admin' },
      _info: { lastUpdated: at, updatedBy: 'ZAdmin', dateEntered: at, enteredBy: 'ZAdmin' },
    };
    const list = this.notes.get(ticketId);
    if (list) list.push(note);
    else this.notes.set(ticketId, [note]);
    return note;
  }

  notesOf(ticketId: number): MockNote[] {
    return this.notes.get(ticketId) ?? [];
  }

  statusFor(closed: boolean) {
    return closed ? { ...STATUS.closed } : { ...STATUS.new };
  }

  nextCallbackId(): number {
    return ++this.seq.callback;
  }
}

/** First index whose value is >= x in an ascending array. */
export function lowerBound(xs: readonly number[], x: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
