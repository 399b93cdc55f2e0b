/**
 * A realistic ConnectWise tenant built from the project's demo generator, deterministic for a seed:
 *   queues → service boards (the retired queue becomes an inactive board);
 *   issue types → each board's types; sub-issue types → subtypes, associated with their issue type, and the first
 *   subtype of each issue type also with the next one (ConnectWise subtypes may serve several types), plus an
 *   "Other" subtype valid for every type;
 *   items on some (type, subtype) pairs; one retired type, subtype and item per board;
 *   priorities with ConnectWise-style names.
 * Tickets keep the demo's text (summary + a detailDescriptionFlag note), classification and dates; a share is
 * closed; `_info.dateEntered` and `_info.lastUpdated` increase with the id.
 */
import { generateDemoTenant } from '../../engine/demo';
import type { FieldSchema } from '../../engine/triage/types';
import { MockState, cwTime } from './mock-state';
import type { MockTicket } from './mock-types';

export interface MockTenantOptions {
  /** Number of tickets (default 2000). */
  tickets?: number;
  /** Seed of the demo generator and of the mock's own draws (default 42). */
  seed?: number;
  /** Share of tickets already closed (default 0.8). */
  completedShare?: number;
}

/** A small seeded generator (xorshift32) for the mock's own draws, so the demo's stream is left untouched. */
function prng(seed: number): () => number {
  let x = (seed ^ 0x9e3779b9) >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 4294967296;
  };
}

const PRIORITY_NAMES = ['Emergency Response', 'Quick Response', 'Normal Response', 'Scheduled Maintenance'];
const PRIORITY_LEVELS = ['High', 'High', 'Medium', 'Low'];
const ITEMS = ['Remote Fix', 'Onsite Visit', 'Vendor Escalation'];

interface BoardIndex {
  typeId: Map<string, number>;
  subId: Map<string, number>;
  /** "typeId:subId" → active item ids valid for the pair. */
  items: Map<string, number[]>;
}

function field(fields: FieldSchema[], name: string): FieldSchema {
  const f = fields.find((x) => x.name === name);
  if (!f) throw new Error(`the demo tenant has no "${name}" field`);
  return f;
}

function buildBoard(state: MockState, name: string, inactive: boolean, issues: FieldSchema, subs: FieldSchema): { id: number; idx: BoardIndex } {
  const board = state.addBoard(name, inactive);
  const idx: BoardIndex = { typeId: new Map(), subId: new Map(), items: new Map() };
  for (const c of issues.choices) idx.typeId.set(c.value, state.addType(board.id, c.label, { inactive: !c.active }).id);
  const typeIds = [...idx.typeId.values()];
  const pairs: [number, number][] = [];
  const firstSubOf = new Set<string>();
  for (const c of subs.choices) {
    const parent = c.parent ?? issues.choices[0].value;
    const own = idx.typeId.get(parent)!;
    const related: number[] = [own];
    if (!firstSubOf.has(parent)) {
      firstSubOf.add(parent);
      const k = typeIds.indexOf(own);
      const partner = typeIds[k % 2 === 0 ? k + 1 : k - 1];
      if (partner !== undefined) related.push(partner);
    }
    const sub = state.addSubType(board.id, c.label, related, { inactive: !c.active });
    idx.subId.set(c.value, sub.id);
    for (const t of related) pairs.push([t, sub.id]);
  }
  const other = state.addSubType(board.id, 'Other', typeIds);
  for (const t of typeIds) pairs.push([t, other.id]);
  // Retired entries stay in the picklists: a type with its only subtype, a subtype and an item on active types.
  const legacy = state.addType(board.id, 'Legacy Systems', { inactive: true });
  state.addSubType(board.id, 'Mainframe', [legacy.id], { inactive: true });
  state.addSubType(board.id, 'Dial-up Modem', [typeIds[0]], { inactive: true });
  const items = ITEMS.map((n) => state.addItem(board.id, n, []));
  const fax = state.addItem(board.id, 'Fax Line', [], { inactive: true });
  pairs.forEach(([t, s], p) => {
    const valid: number[] = [];
    if (p % 3 === 0) valid.push(items[0].id, items[1].id);
    if (p % 5 === 0) valid.push(items[2].id);
    for (const i of valid) state.associate(board.id, t, s, i);
    if (p === 0) state.associate(board.id, t, s, fax.id);
    if (valid.length) idx.items.set(`${t}:${s}`, valid);
  });
  return { id: board.id, idx };
}

export function populateTenant(state: MockState, opts: MockTenantOptions = {}): void {
  const seed = opts.seed ?? 42;
  const completedShare = opts.completedShare ?? 0.8;
  const demo = generateDemoTenant({ count: opts.tickets ?? 2000, seed });
  const queues = field(demo.fields, 'queue');
  const issues = field(demo.fields, 'issue_type');
  const subs = field(demo.fields, 'sub_issue_type');
  const prios = field(demo.fields, 'priority');

  const boards = new Map<string, { id: number; idx: BoardIndex }>();
  for (const q of queues.choices) {
    boards.set(q.value, buildBoard(state, q.label, !q.active, issues, subs));
  }
  const priorityId = new Map<string, { id: number; level: string }>();
  prios.choices.forEach((c, i) => {
    const name = `Priority ${i + 1} - ${PRIORITY_NAMES[i] ?? c.label}`;
    const p = state.addPriority(name, PRIORITY_LEVELS[i] ?? 'Medium', i * 2, i === 2);
    priorityId.set(c.value, { id: p.id, level: p.level });
  });
  state.addPriority('Priority 5 - Do Not Respond', 'Low', 8);

  const rand = prng(seed);
  const fallbackBoard = boards.values().next().value!;
  let prevUpdated = 0;
  for (const d of demo.tickets) {
    const board = boards.get(d.fields.queue) ?? fallbackBoard;
    const typeId = board.idx.typeId.get(d.fields.issue_type);
    const subId = typeId === undefined ? undefined : board.idx.subId.get(d.fields.sub_issue_type);
    const itemChoices = typeId !== undefined && subId !== undefined ? board.idx.items.get(`${typeId}:${subId}`) : undefined;
    const itemId = itemChoices && rand() < 0.6 ? itemChoices[Math.floor(rand() * itemChoices.length)] : undefined;
    const prio = priorityId.get(d.fields.priority);
    const closed = rand() < completedShare;
    const entered = Date.parse(d.createdAt);
    const work = closed ? 2 * 3600_000 + rand() * 70 * 3600_000 : 300_000 + rand() * 7200_000;
    prevUpdated = Math.max(prevUpdated + 1000, Math.floor((entered + work) / 1000) * 1000);
    const lastUpdated = cwTime(prevUpdated);
    const level = prio?.level ?? 'Medium';
    const ticket: MockTicket = {
      id: state.nextTicketId(),
      summary: d.title.slice(0, 100),
      recordType: 'ServiceTicket',
      board: { id: board.id, name: state.mustBoard(board.id).name },
      status: state.statusFor(false),
      company: { ...state.companies[Math.floor(rand() * state.companies.length)] },
      severity: level,
      impact: level,
      closedFlag: false,
      _info: { lastUpdated, updatedBy: closed ? 'jsmith' : 'ZAdmin', dateEntered: cwTime(entered), enteredBy: 'email' },
    };
    state.applyRefs(ticket, { typeId, subTypeId: subId, itemId, priorityId: prio?.id });
    if (closed) state.markClosed(ticket, lastUpdated);
    state.insertTicket(ticket, d.description, cwTime(entered));
    state.noteStamp(lastUpdated);
  }
}
