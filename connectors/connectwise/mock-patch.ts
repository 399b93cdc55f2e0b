/**
 * Ticket writes for the mock: JSON Patch (facts B7: `[{op, path, value}]`, paths with or without a leading `/`,
 * references as `{id}`), and the classification check ConnectWise applies to every write: the type must be on the
 * ticket's board and (type, subtype, item) must be one of the board's typeSubTypeItemAssociations; a reference
 * set by this write must not be inactive. An invalid write changes nothing and answers 400 InvalidObject.
 */
import type { MockState } from './mock-state';
import { cwError, type MockResponse, type MockTicket } from './mock-types';

export interface FieldError {
  code: string;
  message: string;
  resource: string;
  field: string;
}

const REFERENCES = ['board', 'type', 'subType', 'item', 'priority', 'status', 'company'] as const;
type RefField = (typeof REFERENCES)[number];
/** Ticket fields a client may write (facts B5); `id` and `_info` are the server's. */
const WRITABLE = new Set<string>([
  ...REFERENCES,
  'summary', 'severity', 'impact', 'closedFlag', 'budgetHours', 'requiredDate', 'contactName', 'contactEmailAddress',
  'contactPhoneNumber', 'siteName', 'processNotifications', 'skipCallback', 'customerUpdatedFlag', 'automaticEmailContactFlag',
  'integratorTags', 'customFields', 'source', 'team', 'owner', 'serviceLocation', 'agreement', 'contact', 'site',
]);

const fieldError = (field: string, message: string, code = 'InvalidField'): FieldError => ({ code, message, resource: 'ticket', field });

export const invalidTicket = (errors: FieldError[]): MockResponse =>
  cwError(400, 'InvalidObject', 'ticket object is invalid', errors);

/** Resolves `{id}` into the stored reference shape, or says why it cannot. */
function resolveRef(state: MockState, field: RefField, value: unknown): { ref?: Record<string, unknown>; error?: FieldError } {
  const id = value && typeof value === 'object' ? (value as { id?: unknown }).id : undefined;
  if (typeof id !== 'number' || !Number.isInteger(id)) return { error: fieldError(field, `${field} must be a reference {"id": n}`) };
  const lookup = (): Record<string, unknown> | undefined => {
    switch (field) {
      case 'board': {
        const b = state.boards.get(id);
        return b && { id: b.id, name: b.name };
      }
      case 'type':
      case 'subType':
      case 'item': {
        const c = state.childMap(field === 'subType' ? 'subtype' : field).get(id);
        return c && { id: c.id, name: c.name };
      }
      case 'priority': {
        const p = state.priorities.get(id);
        return p && { id: p.id, name: p.name, sort: p.sortOrder, level: p.level };
      }
      case 'status':
        return [state.statusFor(false), state.statusFor(true), { id: 2, name: 'In Progress', sort: 1 }].find((s) => s.id === id);
      case 'company': {
        const c = state.companies.find((x) => x.id === id);
        return c && { ...c };
      }
    }
  };
  const ref = lookup();
  return ref ? { ref } : { error: fieldError(field, `${field} ${id} does not exist`, 'InvalidReference') };
}

/** Checks the classification of `t`; `touched` are the fields this write set (inactive ones are refused there). */
export function validateTicket(state: MockState, t: MockTicket, touched: Set<string>): FieldError[] {
  const errors: FieldError[] = [];
  if (typeof t.summary !== 'string' || !t.summary.trim()) errors.push(fieldError('summary', 'summary is required', 'MissingRequiredField'));
  else if (t.summary.length > 100) errors.push(fieldError('summary', 'summary may not exceed 100 characters'));
  const board = state.boards.get(t.board?.id);
  if (!board) return [...errors, fieldError('board', 'board is required', 'MissingRequiredField')];
  if (touched.has('board') && board.inactiveFlag) errors.push(fieldError('board', `board ${board.name} is inactive`));
  const assoc = [...state.associations.values()].filter((a) => a.board.id === board.id);
  const checkActive = (field: 'type' | 'subType' | 'item', kind: 'type' | 'subtype' | 'item') => {
    const ref = t[field];
    if (ref && touched.has(field) && state.childMap(kind).get(ref.id)?.inactiveFlag) {
      errors.push(fieldError(field, `The ${field} ${ref.name} is inactive.`));
    }
  };
  if (t.type) {
    const type = state.types.get(t.type.id);
    if (!type || type.board.id !== board.id) errors.push(fieldError('type', 'The type is not valid for the selected board.'));
    checkActive('type', 'type');
  }
  if (t.subType) {
    if (!t.type) errors.push(fieldError('subType', 'A subType needs a type.'));
    else if (!assoc.some((a) => a.type.id === t.type!.id && a.subType?.id === t.subType!.id)) {
      errors.push(fieldError('subType', 'The subType is not valid for the selected type.'));
    }
    checkActive('subType', 'subtype');
  }
  if (t.item) {
    const sub = t.subType?.id ?? null;
    if (!t.type) errors.push(fieldError('item', 'An item needs a type.'));
    else if (!assoc.some((a) => a.type.id === t.type!.id && (a.subType?.id ?? null) === sub && a.item?.id === t.item!.id)) {
      errors.push(fieldError('item', 'The item is not valid for the selected type and subType.'));
    }
    checkActive('item', 'item');
  }
  return errors;
}

/** Applies the operations to a copy of `base` and validates the result; nothing is stored. */
export function applyOperations(
  state: MockState,
  base: MockTicket,
  body: unknown,
): { next: MockTicket; errors: FieldError[]; touched: Set<string> } | MockResponse {
  if (!Array.isArray(body) || body.length === 0) {
    return cwError(400, 'InvalidObject', 'A PATCH body must be a non-empty array of {op, path, value}');
  }
  const next = structuredClone(base);
  const touched = new Set<string>();
  const errors: FieldError[] = [];
  for (const raw of body) {
    const op = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
    const kind = typeof op.op === 'string' ? op.op.toLowerCase() : '';
    const path = typeof op.path === 'string' ? op.path.replace(/^\//, '').split('/') : [];
    const top = path[0] ?? '';
    if (!['replace', 'add', 'remove'].includes(kind)) {
      errors.push(fieldError(top || 'op', `op must be replace, add or remove (got ${JSON.stringify(op.op)})`));
      continue;
    }
    if (!WRITABLE.has(top)) {
      errors.push(fieldError(top || 'path', `${top || 'path'} cannot be written`));
      continue;
    }
    touched.add(top);
    if ((REFERENCES as readonly string[]).includes(top) && path.length === 1) {
      if (kind === 'remove' || op.value === null) {
        if (top === 'board' || top === 'company' || top === 'status') errors.push(fieldError(top, `${top} is required`, 'MissingRequiredField'));
        else delete next[top];
        continue;
      }
      const { ref, error } = resolveRef(state, top as RefField, op.value);
      if (error) errors.push(error);
      else next[top] = ref;
      continue;
    }
    setPath(next, path, kind === 'remove' ? undefined : op.value);
  }
  if (touched.has('closedFlag') && next.closedFlag === true && !base.closedFlag) state.markClosed(next, state.now());
  errors.push(...validateTicket(state, next, touched));
  return { next, errors, touched };
}

/** Object fields of a POST/PUT body as `replace` operations, so creation and replacement share PATCH's checks. */
export function bodyAsOperations(body: Record<string, unknown>): { op: string; path: string; value: unknown }[] {
  const skip = new Set(['id', '_info', 'initialDescription', 'initialInternalAnalysis', 'initialResolution', 'recordType']);
  return Object.entries(body)
    .filter(([k, v]) => !skip.has(k) && v !== undefined)
    .map(([path, value]) => ({ op: 'replace', path, value }));
}

/** PATCH: stores the result only when every operation and the resulting ticket are valid. */
export function patchTicket(state: MockState, ticket: MockTicket, body: unknown): MockResponse {
  const result = applyOperations(state, ticket, body);
  if ('status' in result) return result;
  if (result.errors.length) return invalidTicket(result.errors);
  replaceTicket(ticket, { ...result.next, _info: { ...result.next._info, lastUpdated: state.now(), updatedBy: 'api' } });
  return { status: 200, body: ticket };
}

/** Swaps the stored object's content in place: the id index keeps pointing at it. */
export function replaceTicket(ticket: MockTicket, next: MockTicket): void {
  for (const key of Object.keys(ticket)) if (!(key in next)) delete ticket[key];
  Object.assign(ticket, next);
}

function setPath(target: Record<string, unknown>, path: string[], value: unknown): void {
  let cur = target;
  path.forEach((key, i) => {
    if (i === path.length - 1) {
      if (value === undefined) delete cur[key];
      else cur[key] = value;
    } else {
      if (!cur[key] || typeof cur[key] !== 'object') cur[key] = {};
      cur = cur[key] as Record<string, unknown>;
    }
  });
}
