/**
 * The one place that knows how Autotask ticket fields map onto the tenant's fields, in both directions:
 * picklists (and BillingCodes) → FieldSchema, ticket JSON → PsaTicket, and tenant values → a PATCH body of
 * integer ids. A choice's value is the Autotask id as a string; its label is the picklist label.
 */
import type { PsaTicket } from '../types';
import type { Choice, FieldSchema } from '../../engine/triage/types';
import type { FieldInfo, TicketJson } from './schemas';

export interface TenantField {
  name: string;
  label: string;
  /** The Autotask ticket field (wire camelCase). */
  autotask: 'ticketType' | 'issueType' | 'subIssueType' | 'priority' | 'queueID' | 'billingCodeID';
  parentField?: string;
  /** Picklist on the ticket entity, or the BillingCodes entity (billingCodeID is a reference, facts A7). */
  source: 'picklist' | 'billingCodes';
}

export const TENANT_FIELDS: readonly TenantField[] = [
  { name: 'ticket_type', label: 'Ticket Type', autotask: 'ticketType', source: 'picklist' },
  { name: 'issue_type', label: 'Issue Type', autotask: 'issueType', source: 'picklist' },
  { name: 'sub_issue_type', label: 'Sub-Issue Type', autotask: 'subIssueType', parentField: 'issue_type', source: 'picklist' },
  { name: 'priority', label: 'Priority', autotask: 'priority', source: 'picklist' },
  { name: 'queue', label: 'Queue', autotask: 'queueID', source: 'picklist' },
  { name: 'billing_code', label: 'Billing Code', autotask: 'billingCodeID', source: 'billingCodes' },
];

/** What a ticket page asks for: only the fields the mapping reads (IncludeFields, facts A5). */
export const TICKET_INCLUDE_FIELDS: readonly string[] = [
  'id',
  'title',
  'description',
  'createDate',
  'lastActivityDate',
  'status',
  ...TENANT_FIELDS.map((f) => f.autotask),
];

/** Autotask's system value for Complete, used only if the status picklist has no "Complete" label. */
const DEFAULT_COMPLETE_STATUS = '5';

export interface BillingCode {
  id: number;
  name?: string | null;
  isActive?: boolean | null;
}

const lower = (s: string | null | undefined) => (s ?? '').toLowerCase();

function fieldNamed(fields: FieldInfo[], name: string): FieldInfo | undefined {
  return fields.find((f) => lower(f.name) === lower(name));
}

export function fieldSchemasFrom(fields: FieldInfo[], billingCodes: BillingCode[]): FieldSchema[] {
  return TENANT_FIELDS.map((spec) => {
    const choices = spec.source === 'billingCodes' ? billingChoices(billingCodes) : picklistChoices(fields, spec);
    return { name: spec.name, label: spec.label, parentField: spec.parentField ?? null, choices };
  });
}

function picklistChoices(fields: FieldInfo[], spec: TenantField): Choice[] {
  const info = fieldNamed(fields, spec.autotask);
  const values = [...(info?.picklistValues ?? [])].sort((a, b) => (a.sortOrder ?? 0) - (b.sortOrder ?? 0));
  const parentSpec = spec.parentField ? TENANT_FIELDS.find((f) => f.name === spec.parentField) : undefined;
  // The parent link holds only when Autotask says this picklist depends on that field; the name's case varies (facts A7).
  const linked = parentSpec !== undefined && lower(info?.picklistParentValueField) === lower(parentSpec.autotask);
  const seen = new Set<string>();
  const out: Choice[] = [];
  for (const v of values) {
    if (seen.has(v.value)) continue;
    seen.add(v.value);
    // Inactive values stay: old tickets carry them, and the engine must know never to predict them.
    const choice: Choice = { value: v.value, label: v.label, active: v.isActive ?? true };
    if (parentSpec) choice.parent = linked ? v.parentValue : null;
    out.push(choice);
  }
  return out;
}

function billingChoices(codes: BillingCode[]): Choice[] {
  return [...codes]
    .sort((a, b) => a.id - b.id)
    .map((c) => ({ value: String(c.id), label: c.name?.trim() || `Billing code ${c.id}`, active: c.isActive ?? true }));
}

/** The status value whose label is "Complete" (usually "5"). */
export function completeStatusValue(fields: FieldInfo[]): string {
  const status = fieldNamed(fields, 'status');
  const complete = status?.picklistValues?.find((v) => lower(v.label).trim() === 'complete');
  return complete?.value ?? DEFAULT_COMPLETE_STATUS;
}

function valueOf(v: unknown): string | null {
  if (v === null || v === undefined || v === '') return null;
  return String(v);
}

/** Autotask date-times are UTC, sometimes without a zone designator; returns ISO-8601 UTC, or null. */
export function normalizeDate(text: string | null | undefined): string | null {
  if (!text) return null;
  const t = text.trim();
  const ms = Date.parse(/(Z|[+-]\d\d:?\d\d)$/i.test(t) || /^\d{4}-\d{2}-\d{2}$/.test(t) ? t : `${t}Z`);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : null;
}

/** Returns null when the ticket lacks the dates the sync depends on (the caller words the error). */
export function toPsaTicket(json: TicketJson, completeStatus: string): PsaTicket | null {
  const createdAt = normalizeDate(json.createDate);
  const updatedAt = normalizeDate(json.lastActivityDate) ?? createdAt;
  if (!createdAt || !updatedAt) return null;
  const fields: Record<string, string | null> = {};
  for (const spec of TENANT_FIELDS) fields[spec.name] = valueOf(json[spec.autotask]);
  return {
    externalId: String(json.id),
    title: json.title ?? '',
    description: json.description ?? '',
    fields,
    createdAt,
    updatedAt,
    completed: valueOf(json.status) === completeStatus,
  };
}

/** `{id, <autotask field>: int, …}` for exactly the given tenant fields; throws on an unknown field or a non-id value. */
export function toPatchBody(externalId: string, values: Record<string, string>): Record<string, number> {
  if (!/^\d+$/.test(externalId)) throw new Error(`"${externalId}" is not an Autotask ticket id`);
  const body: Record<string, number> = { id: Number(externalId) };
  for (const [name, value] of Object.entries(values)) {
    const spec = TENANT_FIELDS.find((f) => f.name === name);
    if (!spec) throw new Error(`"${name}" is not an Autotask ticket field this connector writes (known: ${TENANT_FIELDS.map((f) => f.name).join(', ')})`);
    if (!/^-?\d+$/.test(value.trim())) throw new Error(`value "${value}" of ${name} is not an Autotask id`);
    body[spec.autotask] = Number(value.trim());
  }
  return body;
}
