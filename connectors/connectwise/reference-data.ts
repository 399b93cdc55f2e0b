/**
 * Reads the picklists behind the tenant's fields: boards, each board's types, subtypes, items and
 * typeSubTypeItemAssociations, and the priorities (facts B6). Costs 2 + 4 × boards requests.
 */
import type { BoardReferenceData, CwNamed, ReferenceData } from './field-mapping';
import { listAll } from './paging';
import {
  associationSchema,
  boardItemSchema,
  boardSchema,
  boardSubTypeSchema,
  boardTypeSchema,
  listOf,
  parseBody,
  prioritySchema,
  type CwBoardRow,
} from './schemas';
import type { ConnectWiseSession } from './session';

const named = (r: { id: number; name: string; inactiveFlag: boolean }): CwNamed => ({
  id: r.id,
  name: r.name,
  inactive: r.inactiveFlag,
});

export async function loadBoards(session: ConnectWiseSession, signal?: AbortSignal): Promise<CwBoardRow[]> {
  const rows = await listAll(session, '/service/boards', { orderBy: 'id asc', fields: 'id,name,inactiveFlag' }, signal);
  return parseBody(listOf(boardSchema), rows, 'GET /service/boards');
}

async function loadBoard(session: ConnectWiseSession, board: CwBoardRow, signal?: AbortSignal): Promise<BoardReferenceData> {
  const base = `/service/boards/${board.id}`;
  const q = { orderBy: 'id asc' };
  const [types, subtypes, items, associations] = await Promise.all([
    listAll(session, `${base}/types`, q, signal),
    listAll(session, `${base}/subtypes`, q, signal),
    listAll(session, `${base}/items`, q, signal),
    listAll(session, `${base}/typeSubTypeItemAssociations`, q, signal),
  ]);
  return {
    board: named(board),
    types: parseBody(listOf(boardTypeSchema), types, `GET ${base}/types`).map(named),
    subtypes: parseBody(listOf(boardSubTypeSchema), subtypes, `GET ${base}/subtypes`).map(named),
    items: parseBody(listOf(boardItemSchema), items, `GET ${base}/items`).map(named),
    associations: parseBody(listOf(associationSchema), associations, `GET ${base}/typeSubTypeItemAssociations`)
      .filter((a) => a.type)
      .map((a) => ({
        typeId: a.type!.id,
        typeName: a.type!.name,
        subTypeId: a.subType?.id ?? null,
        subTypeName: a.subType?.name,
        itemId: a.item?.id ?? null,
        itemName: a.item?.name,
      })),
  };
}

/** Boards are read one after another; the four lists of a board in parallel (HttpClient caps the total). */
export async function loadReferenceData(
  session: ConnectWiseSession,
  boards: CwBoardRow[],
  signal?: AbortSignal,
): Promise<ReferenceData> {
  const out: BoardReferenceData[] = [];
  for (const board of boards) out.push(await loadBoard(session, board, signal));
  const priorities = parseBody(
    listOf(prioritySchema),
    await listAll(session, '/service/priorities', { orderBy: 'id asc' }, signal),
    'GET /service/priorities',
  );
  return { boards: out, priorities: priorities.map((p) => ({ id: p.id, name: p.name })) };
}
