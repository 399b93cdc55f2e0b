/**
 * Fills the Autotask mock with a realistic tenant built from the project's demo generator: every choice gets
 * an Autotask-style integer id (system ids for ticket types and priorities, custom ids for issue types, long
 * ids for queues and billing codes), a share of tickets is complete, open ones are partly unclassified, and
 * the demo's labels of open tickets are kept as the values a technician will set when closing them.
 * Deterministic for a seed; linear in the ticket count.
 */
import { generateDemoTenant } from '../../engine/demo';
import type { FieldSchema } from '../../engine/triage/types';
import { STATUS_COMPLETE, STATUS_IN_PROGRESS, STATUS_NEW, STATUS_WAITING_CUSTOMER, pick } from './mock-fields';
import type { MockState, TicketValues } from './mock-state';
import type { MockPicklistValue, MockRow } from './mock-types';

export interface MockTenantOptions {
  /** Number of tickets (default 2000). */
  tickets?: number;
  /** Seed for the demo generator and the mock's own choices (default 42). */
  seed?: number;
  /** Share of tickets that are Complete (default 0.7). */
  completedShare?: number;
}

/** Autotask's system ticket types and priorities (a tenant may relabel them; ids stay). */
const SYSTEM_IDS: Record<string, Record<string, number>> = {
  ticket_type: { 'Service Request': 1, Incident: 2, Problem: 3, 'Change Request': 4, Alert: 5 },
  priority: { High: 1, Medium: 2, Low: 3, Critical: 4 },
};
const FIRST_QUEUE_ID = 29_682_833;
const RETIRED_QUEUE_ID = 29_682_801;
const COMPANIES = [174, 175, 180, 212, 233, 301, 342];
const SOURCES = [4, 4, 4, 2, 2, 6, 8];
const HOUR = 3_600_000;

/** A stateless hash to a float in [0, 1): the mock's own randomness, independent of the demo's stream. */
function unit(seed: number, i: number, salt: number): number {
  let x = (Math.imul(seed, 0x9e3779b1) ^ Math.imul(i + 1, 0x85ebca6b) ^ Math.imul(salt, 0xc2b2ae35)) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x7feb352d);
  x = Math.imul(x ^ (x >>> 15), 0x846ca68b);
  return ((x ^ (x >>> 16)) >>> 0) / 4294967296;
}

export function populateTenant(state: MockState, opts: MockTenantOptions = {}): void {
  const seed = opts.seed ?? 42;
  const completedShare = opts.completedShare ?? 0.7;
  const demo = generateDemoTenant({ count: opts.tickets ?? 2000, seed });
  const ids = assignIds(state, demo.fields);

  const stamps = new Set<number>();
  const perDay = new Map<string, number>();
  let latest = 0;
  for (const [i, t] of demo.tickets.entries()) {
    const truth: TicketValues = {
      ticketType: ids.ticket_type.get(t.fields.ticket_type) ?? null,
      issueType: ids.issue_type.get(t.fields.issue_type) ?? null,
      subIssueType: ids.sub_issue_type.get(t.fields.sub_issue_type) ?? null,
      priority: ids.priority.get(t.fields.priority) ?? null,
      queueID: ids.queue.get(t.fields.queue) ?? null,
      billingCodeID: ids.billing_code.get(t.fields.billing_code) ?? null,
    };
    const completed = unit(seed, i, 1) < completedShare;
    const r = unit(seed, i, 2);
    const status = completed ? STATUS_COMPLETE : r < 0.5 ? STATUS_NEW : r < 0.8 ? STATUS_IN_PROGRESS : STATUS_WAITING_CUSTOMER;
    // A new ticket from email has no issue/sub-issue/work type yet: that is what triage fills in.
    const values = status === STATUS_NEW ? { ...truth, issueType: null, subIssueType: null, billingCodeID: null } : truth;

    const created = Date.parse(t.createdAt);
    // Closed tickets saw activity up to 3 days later, open ones within hours; stamps are kept distinct.
    let activity = created + Math.round((completed ? 1 + 71 * unit(seed, i, 3) : 4 * unit(seed, i, 3)) * HOUR / 1000) * 1000;
    while (stamps.has(activity)) activity += 1000;
    stamps.add(activity);
    latest = Math.max(latest, activity);
    const lastActivityDate = new Date(activity).toISOString();

    const day = t.createdAt.slice(0, 10).replaceAll('-', '');
    const seq = (perDay.get(day) ?? 0) + 1;
    perDay.set(day, seq);
    const row: MockRow = {
      // Occasional holes in the id sequence, as deleted or merged tickets leave them.
      id: state.tickets.allocateId(unit(seed, i, 4) < 0.2 ? 2 : 1),
      ticketNumber: `T${day}.${String(seq).padStart(4, '0')}`,
      title: t.title,
      description: t.description,
      companyID: COMPANIES[Math.floor(unit(seed, i, 5) * COMPANIES.length)],
      contactID: null,
      assignedResourceID: status === STATUS_NEW ? null : 29_684_000 + Math.floor(unit(seed, i, 6) * 12),
      status,
      ...values,
      ticketCategory: 3,
      source: SOURCES[Math.floor(unit(seed, i, 7) * SOURCES.length)],
      createDate: t.createdAt,
      lastActivityDate,
      completedDate: completed ? lastActivityDate : null,
      dueDateTime: new Date(created + 24 * HOUR).toISOString(),
      estimatedHours: null,
      serviceLevelAgreementHasBeenMet: completed ? unit(seed, i, 8) > 0.1 : null,
      userDefinedFields: [
        { name: 'Triage Confidence', value: null },
        { name: 'Site Count', value: unit(seed, i, 9) < 0.5 ? String(1 + Math.floor(unit(seed, i, 10) * 5)) : null },
      ],
    };
    state.tickets.insert(row);
    if (!completed) state.finalValues.set(row.id, truth);
  }
  if (latest) state.advanceClockTo(new Date(latest).toISOString());
}

type IdMaps = Record<'ticket_type' | 'issue_type' | 'sub_issue_type' | 'priority' | 'queue' | 'billing_code', Map<string, number>>;

/** Gives every demo choice an id, writes the picklists and BillingCodes, and returns label → id per field. */
function assignIds(state: MockState, fields: FieldSchema[]): IdMaps {
  const byName = new Map(fields.map((f) => [f.name, f]));
  const choices = (name: string) => byName.get(name)?.choices ?? [];
  const maps = {} as IdMaps;

  const simple = (name: 'ticket_type' | 'priority' | 'issue_type' | 'queue', wire: string, idOf: (label: string, i: number, active: boolean) => number) => {
    const map = new Map<string, number>();
    const list: MockPicklistValue[] = state.picklist(wire);
    list.length = 0;
    choices(name).forEach((c, i) => {
      const id = idOf(c.label, i, c.active);
      map.set(c.label, id);
      list.push(pick(id, c.label, { isActive: c.active, sortOrder: i + 1, isDefaultValue: name === 'priority' && id === 2 }));
    });
    maps[name] = map;
  };
  let nextSystem = 6;
  simple('ticket_type', 'ticketType', (label) => SYSTEM_IDS.ticket_type[label] ?? nextSystem++);
  if (![...maps.ticket_type.values()].includes(5)) state.picklist('ticketType').push(pick(5, 'Alert', { isSystem: true, sortOrder: 99 }));
  let nextPriority = 5;
  simple('priority', 'priority', (label) => SYSTEM_IDS.priority[label] ?? nextPriority++);
  // Custom issue types get small ids with gaps (some were deleted over the years).
  simple('issue_type', 'issueType', (_label, i) => 2 + i * 3);
  let nextQueue = FIRST_QUEUE_ID;
  simple('queue', 'queueID', (_label, _i, active) => (active ? nextQueue++ : RETIRED_QUEUE_ID));

  const subs = new Map<string, number>();
  const subList = state.picklist('subIssueType');
  subList.length = 0;
  choices('sub_issue_type').forEach((c, i) => {
    const id = 136 + i;
    subs.set(c.label, id);
    const parent = c.parent ? maps.issue_type.get(c.parent) : undefined;
    subList.push(pick(id, c.label, { parentValue: parent === undefined ? '' : String(parent), isActive: c.active, sortOrder: i + 1 }));
  });
  maps.sub_issue_type = subs;

  // Billing codes are BillingCodes records (a reference field, facts A7); one retired code stays inactive.
  const codes = new Map<string, number>();
  state.billingCodes.insert({ id: state.billingCodes.allocateId(), name: 'Legacy Block Hours', description: 'Retired in 2022', isActive: false, useType: 1, externalNumber: 'LBH' });
  for (const c of choices('billing_code')) {
    const id = state.billingCodes.allocateId(3);
    codes.set(c.label, id);
    state.billingCodes.insert({ id, name: c.label, description: c.label, isActive: c.active, useType: 1, externalNumber: '' });
  }
  maps.billing_code = codes;
  return maps;
}
