/**
 * ConnectWise classification ⇄ the tenant's fields, both directions, in one place.
 *
 * Fields: board; type (parent board); subtype (parent type); item (parent subtype); priority.
 * A Choice has one parent, but a ConnectWise subtype may belong to several types and an item to several
 * (type, subtype) pairs: the valid combinations are the board's typeSubTypeItemAssociations. So values are
 * composite and every choice is one valid combination:
 *   board    = "{boardId}"
 *   type     = "{typeId}"                        parent = board id
 *   subtype  = "{typeId}:{subTypeId}"            parent = type id
 *   item     = "{typeId}:{subTypeId}:{itemId}"   parent = "{typeId}:{subTypeId}"
 *   priority = "{priorityId}"
 * Type, subtype and item ids are unique across boards in ConnectWise, so a type id alone names its board.
 */
import type { Choice, FieldSchema } from '../../engine/triage/types';

export const CW_FIELDS = ['board', 'type', 'subtype', 'item', 'priority'] as const;
export type CwField = (typeof CW_FIELDS)[number];

export interface CwNamed {
  id: number;
  name: string;
  inactive: boolean;
}

export interface CwAssociation {
  typeId: number;
  subTypeId: number | null;
  itemId: number | null;
  /** Names carried by the association row, used when the entity is missing from its own list. */
  typeName?: string | null;
  subTypeName?: string | null;
  itemName?: string | null;
}

export interface BoardReferenceData {
  board: CwNamed;
  types: CwNamed[];
  subtypes: CwNamed[];
  items: CwNamed[];
  associations: CwAssociation[];
}

export interface ReferenceData {
  boards: BoardReferenceData[];
  priorities: { id: number; name: string }[];
}

export const subtypeValue = (typeId: number, subTypeId: number) => `${typeId}:${subTypeId}`;
export const itemValue = (typeId: number, subTypeId: number, itemId: number) => `${typeId}:${subTypeId}:${itemId}`;

/**
 * A choice is active only when it and everything above it is: a subtype under a retired type, or any child of
 * a retired board, can no longer be picked in ConnectWise, so offering it would only get the write-back refused.
 */
export function buildFieldSchemas(ref: ReferenceData): FieldSchema[] {
  const boards: Choice[] = [];
  const types: Choice[] = [];
  const subtypes: Choice[] = [];
  const items: Choice[] = [];
  for (const b of ref.boards) {
    const boardActive = !b.board.inactive;
    boards.push({ value: String(b.board.id), label: b.board.name, active: boardActive, parent: null });
    const typeById = new Map(b.types.map((t) => [t.id, t]));
    const subById = new Map(b.subtypes.map((s) => [s.id, s]));
    const itemById = new Map(b.items.map((i) => [i.id, i]));
    const typeActive = new Map<number, boolean>();
    const addType = (id: number, name: string, inactive: boolean) => {
      if (typeActive.has(id)) return;
      typeActive.set(id, boardActive && !inactive);
      types.push({ value: String(id), label: name, active: boardActive && !inactive, parent: String(b.board.id) });
    };
    for (const t of b.types) addType(t.id, t.name, t.inactive);
    const pairActive = new Map<string, boolean>();
    const seenItems = new Set<string>();
    for (const a of b.associations) {
      const type = typeById.get(a.typeId);
      if (!type) addType(a.typeId, a.typeName ?? `Type ${a.typeId}`, false);
      // A row without a subtype names no subtype choice; one with an item but no subtype has no subtype to hang
      // the item from, so it cannot be encoded and is left out.
      if (a.subTypeId === null) continue;
      const pair = subtypeValue(a.typeId, a.subTypeId);
      if (!pairActive.has(pair)) {
        const sub = subById.get(a.subTypeId);
        const active = (typeActive.get(a.typeId) ?? false) && !(sub?.inactive ?? false);
        pairActive.set(pair, active);
        const label = sub?.name ?? a.subTypeName ?? `Subtype ${a.subTypeId}`;
        subtypes.push({ value: pair, label, active, parent: String(a.typeId) });
      }
      if (a.itemId === null) continue;
      const triple = itemValue(a.typeId, a.subTypeId, a.itemId);
      if (seenItems.has(triple)) continue;
      seenItems.add(triple);
      const item = itemById.get(a.itemId);
      const active = (pairActive.get(pair) ?? false) && !(item?.inactive ?? false);
      items.push({ value: triple, label: item?.name ?? a.itemName ?? `Item ${a.itemId}`, active, parent: pair });
    }
  }
  const priorities: Choice[] = ref.priorities.map((p) => ({ value: String(p.id), label: p.name, active: true, parent: null }));
  return [
    { name: 'board', label: 'Board', parentField: null, choices: boards },
    { name: 'type', label: 'Type', parentField: 'board', choices: types },
    { name: 'subtype', label: 'Subtype', parentField: 'type', choices: subtypes },
    { name: 'item', label: 'Item', parentField: 'subtype', choices: items },
    { name: 'priority', label: 'Priority', parentField: null, choices: priorities },
  ];
}

interface RefLike {
  id: number;
}

export interface TicketClassification {
  board?: RefLike | null;
  type?: RefLike | null;
  subType?: RefLike | null;
  item?: RefLike | null;
  priority?: RefLike | null;
}

/** A ticket's values in the same encoding as the schema; a level is null when it or a level above is absent. */
export function ticketFieldValues(t: TicketClassification): Record<CwField, string | null> {
  const type = t.type?.id ?? null;
  const sub = type !== null && t.subType ? t.subType.id : null;
  const item = sub !== null && t.item ? t.item.id : null;
  return {
    board: t.board ? String(t.board.id) : null,
    type: type === null ? null : String(type),
    subtype: type !== null && sub !== null ? subtypeValue(type, sub) : null,
    item: type !== null && sub !== null && item !== null ? itemValue(type, sub, item) : null,
    priority: t.priority ? String(t.priority.id) : null,
  };
}

export interface PatchOperation {
  op: 'replace';
  path: 'board' | 'type' | 'subType' | 'item' | 'priority';
  value: { id: number };
}

const ID = /^\d+$/;
const PAIR = /^(\d+):(\d+)$/;
const TRIPLE = /^(\d+):(\d+):(\d+)$/;

function parse(field: string, value: string, re: RegExp, shape: string): number[] {
  const m = re.exec(value);
  if (!m) throw new Error(`ConnectWise field "${field}" expects ${shape}, got ${JSON.stringify(value)}`);
  return m.slice(m.length > 1 ? 1 : 0).map(Number);
}

/**
 * Values (as in the schema) → JSON-Patch `replace` operations with `{id}` references, only for the fields given,
 * board first (ConnectWise checks type/subtype/item against the board). Composite values must agree with each
 * other when several levels are given; a subtype alone patches only `subType` (its type part is the caller's claim
 * about the ticket's type, which ConnectWise itself checks against the associations).
 */
export function patchOperations(values: Record<string, string>): PatchOperation[] {
  for (const key of Object.keys(values)) {
    if (!(CW_FIELDS as readonly string[]).includes(key)) {
      throw new Error(`unknown ConnectWise field "${key}" (known: ${CW_FIELDS.join(', ')})`);
    }
  }
  const ops: PatchOperation[] = [];
  const { board, type, subtype, item, priority } = values as Partial<Record<CwField, string>>;
  if (board !== undefined) ops.push({ op: 'replace', path: 'board', value: { id: parse('board', board, ID, 'a board id')[0] } });
  if (type !== undefined) ops.push({ op: 'replace', path: 'type', value: { id: parse('type', type, ID, 'a type id')[0] } });
  if (subtype !== undefined) {
    const [t, s] = parse('subtype', subtype, PAIR, '"typeId:subTypeId"');
    if (type !== undefined && String(t) !== type) throw new Error(`subtype ${subtype} does not belong to type ${type}`);
    ops.push({ op: 'replace', path: 'subType', value: { id: s } });
  }
  if (item !== undefined) {
    const [t, s, i] = parse('item', item, TRIPLE, '"typeId:subTypeId:itemId"');
    if (subtype !== undefined && subtypeValue(t, s) !== subtype) throw new Error(`item ${item} does not belong to subtype ${subtype}`);
    if (type !== undefined && String(t) !== type) throw new Error(`item ${item} does not belong to type ${type}`);
    ops.push({ op: 'replace', path: 'item', value: { id: i } });
  }
  if (priority !== undefined) {
    ops.push({ op: 'replace', path: 'priority', value: { id: parse('priority', priority, ID, 'a priority id')[0] } });
  }
  return ops;
}
