/**
 * The mock's board reference data (facts B6): boards, their types, subtypes and items, the
 * typeSubTypeItemAssociations that say which (type, subtype, item) combinations are valid, and priorities; with
 * the helpers tests use to add, rename and retire entries. MockState builds the tickets on top of it.
 */
import type { ChildKind, MockAssociation, MockBoard, MockBoardChild, MockInfo, MockPriority, MockRef, RefKind } from './mock-types';

/** ConnectWise writes whole seconds without milliseconds. */
export const cwTime = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');

export class MockReferenceData {
  readonly boards = new Map<number, MockBoard>();
  readonly types = new Map<number, MockBoardChild>();
  readonly subtypes = new Map<number, MockBoardChild>();
  readonly items = new Map<number, MockBoardChild>();
  readonly associations = new Map<number, MockAssociation>();
  readonly priorities = new Map<number, MockPriority>();
  // Each table numbers its own rows, as ConnectWise does: a board, a type and a priority may share an id, which
  // catches a client that mixes them up.
  protected readonly refSeq = { board: 0, type: 0, subtype: 0, item: 0, priority: 0, association: 0 };

  /** Reference data needs no strict ordering: wall time, without advancing the ticket clock. */
  info(at = cwTime(Date.now())): MockInfo {
    return { lastUpdated: at, updatedBy: 'ZAdmin' };
  }


  addBoard(name: string, inactive = false): MockBoard {
    const at = cwTime(Date.now());
    const board: MockBoard = {
      id: ++this.refSeq.board,
      name,
      inactiveFlag: inactive,
      location: { id: 2, name: 'Main' },
      department: { id: 10, name: 'Services' },
      _info: { lastUpdated: at, updatedBy: 'ZAdmin', dateEntered: at },
    };
    this.boards.set(board.id, board);
    return board;
  }

  private addChild(kind: ChildKind, boardId: number, name: string, inactive: boolean): MockBoardChild {
    const board = this.mustBoard(boardId);
    const child: MockBoardChild = {
      id: ++this.refSeq[kind],
      name,
      inactiveFlag: inactive,
      board: { id: board.id, name: board.name },
      _info: this.info(),
    };
    this.childMap(kind).set(child.id, child);
    return child;
  }

  addType(boardId: number, name: string, opts: { inactive?: boolean } = {}): MockBoardChild {
    return this.addChild('type', boardId, name, opts.inactive ?? false);
  }

  /** A subtype valid for the given types (one association row each, without item). */
  addSubType(boardId: number, name: string, typeIds: number[], opts: { inactive?: boolean } = {}): MockBoardChild {
    const sub = this.addChild('subtype', boardId, name, opts.inactive ?? false);
    for (const t of typeIds) this.associate(boardId, t, sub.id, null);
    return sub;
  }

  /** An item valid for the given (type, subtype) pairs. */
  addItem(boardId: number, name: string, pairs: [number, number][], opts: { inactive?: boolean } = {}): MockBoardChild {
    const item = this.addChild('item', boardId, name, opts.inactive ?? false);
    for (const [t, s] of pairs) this.associate(boardId, t, s, item.id);
    return item;
  }

  associate(boardId: number, typeId: number, subTypeId: number | null, itemId: number | null): MockAssociation {
    const board = this.mustBoard(boardId);
    const pick = (map: Map<number, MockBoardChild>, id: number, what: string): MockRef => {
      const c = map.get(id);
      if (!c || c.board.id !== boardId) throw new Error(`board ${boardId} has no ${what} ${id}`);
      return { id: c.id, name: c.name };
    };
    const row: MockAssociation = {
      id: ++this.refSeq.association,
      board: { id: board.id, name: board.name },
      type: pick(this.types, typeId, 'type'),
      subType: subTypeId === null ? null : pick(this.subtypes, subTypeId, 'subtype'),
      item: itemId === null ? null : pick(this.items, itemId, 'item'),
    };
    this.associations.set(row.id, row);
    return row;
  }

  addPriority(name: string, level: string, sortOrder: number, defaultFlag = false): MockPriority {
    const p: MockPriority = { id: ++this.refSeq.priority, name, color: 'Green', sortOrder, defaultFlag, level, _info: this.info() };
    this.priorities.set(p.id, p);
    return p;
  }

  private refMap(kind: RefKind): Map<number, { id: number; name: string; _info: MockInfo }> {
    return { board: this.boards, type: this.types, subtype: this.subtypes, item: this.items, priority: this.priorities }[kind];
  }

  /** Renames the entry and every association row and child that shows its name. */
  rename(kind: RefKind, id: number, name: string): void {
    const entity = this.refMap(kind).get(id);
    if (!entity) throw new Error(`no ${kind} ${id}`);
    entity.name = name;
    entity._info = this.info();
    for (const a of this.associations.values()) {
      const r = { board: a.board, type: a.type, subtype: a.subType, item: a.item, priority: null }[kind];
      if (r?.id === id) r.name = name;
    }
    if (kind === 'board') {
      for (const c of [...this.types.values(), ...this.subtypes.values(), ...this.items.values()]) {
        if (c.board.id === id) c.board.name = name;
      }
    }
  }

  setInactive(kind: Exclude<RefKind, 'priority'>, id: number, inactive = true): void {
    const entity = (this.refMap(kind) as unknown as Map<number, { inactiveFlag: boolean; _info: MockInfo }>).get(id);
    if (!entity) throw new Error(`no ${kind} ${id}`);
    entity.inactiveFlag = inactive;
    entity._info = this.info();
  }

  childMap(kind: ChildKind): Map<number, MockBoardChild> {
    return { type: this.types, subtype: this.subtypes, item: this.items }[kind];
  }

  /** A subtype as the API shows it: with the ids of the types it is associated with. */
  subtypeView(sub: MockBoardChild): MockBoardChild & { typeAssociationIds: number[]; addAllTypesFlag: boolean; removeAllTypesFlag: boolean } {
    const ids = new Set<number>();
    for (const a of this.associations.values()) if (a.subType?.id === sub.id) ids.add(a.type.id);
    return { ...sub, typeAssociationIds: [...ids].sort((x, y) => x - y), addAllTypesFlag: false, removeAllTypesFlag: false };
  }

  mustBoard(id: number): MockBoard {
    const b = this.boards.get(id);
    if (!b) throw new Error(`no board ${id}`);
    return b;
  }
}
