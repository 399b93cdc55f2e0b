/** The shape of the demo's ticket catalog: issue types, their sub-issue types and how each one reads. */

export const TICKET_TYPES = ['Incident', 'Service Request', 'Problem', 'Change Request'] as const;
export type TicketType = (typeof TICKET_TYPES)[number];

export const PRIORITIES = ['Critical', 'High', 'Medium', 'Low'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const QUEUES = [
  'Tier 1 Support',
  'Tier 2 Support',
  'Network Operations',
  'Security Operations',
  'Procurement',
  'Projects',
] as const;
export type Queue = (typeof QUEUES)[number];

/** A queue the tenant retired: it stays in the picklist (inactive) and no ticket uses it. */
export const INACTIVE_QUEUE = 'Legacy Helpdesk';

export const BILLING_CODES = ['Managed Services', 'Time & Materials', 'Project Billing', 'Warranty'] as const;
export type BillingCode = (typeof BILLING_CODES)[number];

export interface SubIssueSpec {
  name: string;
  /** Relative frequency among the issue type's sub-issue types. */
  weight: number;
  /** Base impact, 0 (cosmetic) to 3 (business-stopping); priority starts from it. */
  severity: number;
  /** Relative frequency of each ticket type for this kind of ticket. */
  types: Partial<Record<TicketType, number>>;
  /** Overrides the issue type's queue (e.g. purchases go to Procurement). */
  queue?: Queue;
  /** Title templates (see template.ts): 4-10 words once expanded. */
  titles: string[];
  /** First sentence(s) of the description. */
  details: string[];
  /** A sub-issue type whose tickets read alike: some tickets of this one are written like that one. */
  confusedWith?: string;
}

export interface IssueSpec {
  name: string;
  weight: number;
  queue: Queue;
  /** Vague wording that fits any sub-issue type of this issue type ("Problem with Outlook"). */
  vagueTitles: string[];
  vagueDetails: string[];
  subs: SubIssueSpec[];
}
