/**
 * Everything the Autotask mock knows: its entities, API users, zone, request log and counters, plus the
 * helpers tests use to change the tenant under a running client (add, touch and complete tickets; add,
 * rename and deactivate picklist values).
 */
import { EntityTable, type ReferenceCheck } from './mock-entity';
import {
  STATUS_COMPLETE,
  STATUS_NEW,
  billingCodeFields,
  pick,
  ticketFields,
  ticketNoteFields,
  ticketUdfs,
  webhookFieldFields,
  webhookFields,
} from './mock-fields';
import type { MockPicklistValue, MockRow } from './mock-types';
import { type WriteActor, type WriteContext, createRow, updateRow } from './mock-writes';

export interface MockUser {
  username: string;
  secret: string;
  /** The API user's own resource id (creator of what it writes). */
  resourceId: number;
}

export interface MockRequestLogEntry {
  at: string;
  method: string;
  /** Path and query string as received. */
  path: string;
  /** Lowercased names; Secret and ApiIntegrationCode values are replaced by '***'. */
  headers: Record<string, string>;
  body: unknown;
  status: number;
  fault?: string;
}

export interface MockCounters {
  requests: number;
  byStatus: Record<number, number>;
  threadRejections: number;
  thresholdRejections: number;
  faultsApplied: number;
  zoneLookups: number;
}

/** Ticket fields an Autotask technician sets; values are Autotask ids. */
export type TicketValues = Partial<Record<'ticketType' | 'issueType' | 'subIssueType' | 'priority' | 'queueID' | 'billingCodeID' | 'status', number | null>>;

export interface NewTicket extends TicketValues {
  title: string;
  description?: string;
  companyID?: number;
}

const REQUEST_LOG_LIMIT = 5000;
const SYSTEM_ACTOR: WriteActor = { resourceId: 4, impersonationResourceId: null };

export class MockState implements WriteContext {
  readonly tickets = new EntityTable(
    { name: 'Tickets', singular: 'Ticket', canCreate: true, canUpdate: true, canDelete: false, canQuery: true, supportsWebhookCallouts: true },
    ticketFields(),
    ticketUdfs(),
    10_001,
  );
  readonly notes = new EntityTable(
    { name: 'TicketNotes', singular: 'TicketNote', canCreate: true, canUpdate: true, canDelete: false, canQuery: true, supportsWebhookCallouts: true },
    ticketNoteFields(),
    [],
    29_800_001,
  );
  readonly billingCodes = new EntityTable(
    { name: 'BillingCodes', singular: 'BillingCode', canCreate: false, canUpdate: false, canDelete: false, canQuery: true, supportsWebhookCallouts: false },
    billingCodeFields(),
    [],
    29_683_401,
  );
  readonly webhooks = new EntityTable(
    { name: 'TicketWebhooks', singular: 'Webhook', canCreate: true, canUpdate: true, canDelete: true, canQuery: true, supportsWebhookCallouts: false },
    webhookFields(),
  );
  readonly webhookFields = new EntityTable(
    { name: 'TicketWebhookFields', singular: 'WebhookField', canCreate: true, canUpdate: true, canDelete: true, canQuery: true, supportsWebhookCallouts: false },
    webhookFieldFields(),
  );
  readonly requests: MockRequestLogEntry[] = [];
  readonly counters: MockCounters = { requests: 0, byStatus: {}, threadRejections: 0, thresholdRejections: 0, faultsApplied: 0, zoneLookups: 0 };
  /** Each open generated ticket's true values (the demo's labels): what completeTicket sets by default. */
  readonly finalValues = new Map<number, TicketValues>();
  private readonly byName = new Map<string, EntityTable>();
  private lastStamp = 0;

  constructor(
    public integrationCode: string,
    readonly users: MockUser[],
    public zone: { name: string; ci: number },
  ) {
    for (const t of [this.tickets, this.notes, this.billingCodes, this.webhooks, this.webhookFields]) {
      this.byName.set(t.meta.name.toLowerCase(), t);
    }
  }

  /** Wall-clock time, nudged so that every stamp is strictly later than the previous one. */
  now(): string {
    this.lastStamp = Math.max(Date.now(), this.lastStamp + 1);
    return new Date(this.lastStamp).toISOString();
  }

  /** Keeps stamps after generated history even if it reaches past the wall clock. */
  advanceClockTo(iso: string): void {
    this.lastStamp = Math.max(this.lastStamp, Date.parse(iso));
  }

  table(name: string): EntityTable {
    const t = this.byName.get(name.toLowerCase());
    if (!t) throw new Error(`no mock entity ${name}`);
    return t;
  }

  findTable(name: string): EntityTable | undefined {
    return this.byName.get(name.toLowerCase());
  }

  readonly checkReference: ReferenceCheck = (type, id) => {
    if (type !== 'BillingCode') return 'unchecked';
    const code = this.billingCodes.get(id);
    return !code ? 'missing' : code.isActive === false ? 'inactive' : 'ok';
  };

  log(entry: MockRequestLogEntry): void {
    this.requests.push(entry);
    if (this.requests.length > REQUEST_LOG_LIMIT) this.requests.splice(0, this.requests.length - REQUEST_LOG_LIMIT);
  }

  // ---- tickets ----

  ticket(id: number): MockRow | undefined {
    return this.tickets.get(id);
  }

  /** Creates a ticket as a technician would (validated like a POST); status New unless given. */
  addTicket(input: NewTicket): MockRow {
    const { companyID = 174, status = STATUS_NEW, description = '', ...values } = input;
    return createRow(this, this.tickets, { ...values, description, companyID, status, priority: values.priority ?? this.defaultValue('priority') }, SYSTEM_ACTOR);
  }

  /** Some activity on the ticket: lastActivityDate moves past every earlier stamp. Returns it. */
  touchTicket(id: number): string {
    return updateRow(this, this.tickets, { id }, SYSTEM_ACTOR, 'patch').lastActivityDate as string;
  }

  /** Closes a ticket with the technician's final values (default: the generated truth for that ticket). */
  completeTicket(id: number, values?: TicketValues): MockRow {
    const final = values ?? this.finalValues.get(id) ?? {};
    return updateRow(this, this.tickets, { id, ...final, status: STATUS_COMPLETE }, SYSTEM_ACTOR, 'patch');
  }

  // ---- picklists (billingCodeID is served from the BillingCodes entity, facts A7) ----

  picklist(field: string): MockPicklistValue[] {
    const def = this.tickets.field(field);
    if (!def?.picklist) throw new Error(`ticket field ${field} is not a picklist`);
    return def.picklist;
  }

  /** The id of a picklist value (or billing code) by its label. */
  valueOf(field: string, label: string): number {
    if (field.toLowerCase() === 'billingcodeid') {
      const row = this.billingCodes.rows.find((r) => r.name === label);
      if (!row) throw new Error(`no billing code ${label}`);
      return row.id;
    }
    const entry = this.picklist(field).find((p) => p.label === label);
    if (!entry) throw new Error(`no ${field} value labelled ${label}`);
    return Number(entry.value);
  }

  addPicklistValue(field: string, input: { label: string; value?: number; parentValue?: number; isActive?: boolean }): number {
    if (field.toLowerCase() === 'billingcodeid') {
      const id = input.value ?? this.billingCodes.allocateId();
      this.billingCodes.insert({ id, name: input.label, description: input.label, isActive: input.isActive ?? true, useType: 1, externalNumber: '' });
      return id;
    }
    const list = this.picklist(field);
    const value = input.value ?? Math.max(0, ...list.map((p) => Number(p.value))) + 1;
    if (list.some((p) => p.value === String(value))) throw new Error(`${field} already has value ${value}`);
    list.push(pick(value, input.label, { parentValue: input.parentValue === undefined ? '' : String(input.parentValue), isActive: input.isActive ?? true, sortOrder: list.length + 1 }));
    return value;
  }

  renamePicklistValue(field: string, value: number, label: string): void {
    if (field.toLowerCase() === 'billingcodeid') {
      const row = this.billingCodes.get(value);
      if (!row) throw new Error(`no billing code ${value}`);
      row.name = label;
      return;
    }
    this.entry(field, value).label = label;
  }

  setPicklistValueActive(field: string, value: number, active: boolean): void {
    if (field.toLowerCase() === 'billingcodeid') {
      const row = this.billingCodes.get(value);
      if (!row) throw new Error(`no billing code ${value}`);
      row.isActive = active;
      return;
    }
    this.entry(field, value).isActive = active;
  }

  private entry(field: string, value: number): MockPicklistValue {
    const entry = this.picklist(field).find((p) => p.value === String(value));
    if (!entry) throw new Error(`no ${field} value ${value}`);
    return entry;
  }

  private defaultValue(field: string): number {
    const list = this.picklist(field);
    return Number((list.find((p) => p.isDefaultValue && p.isActive) ?? list.find((p) => p.isActive))?.value);
  }
}
