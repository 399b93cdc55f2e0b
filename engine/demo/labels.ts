/**
 * How a technician would label a ticket, from what the ticket is about. Each rule follows the text (issue
 * type, how many are affected, urgency words, ticket type cues) and each has some noise, as real labels do:
 * the demo must be learnable, and it must not be perfectly learnable.
 */
import {
  type BillingCode,
  BILLING_CODES,
  type IssueSpec,
  type Priority,
  type Queue,
  QUEUES,
  type SubIssueSpec,
  type TicketType,
} from './catalog-types';
import type { Scope } from './phrases';
import type { Rng } from './prng';

export interface TicketFacts {
  issue: IssueSpec;
  sub: SubIssueSpec;
  ticketType: TicketType;
  scope: Scope;
  urgent: boolean;
  /** The description says the device is under warranty. */
  warranty: boolean;
}

const SCOPE_WEIGHT: Record<Scope, number> = { one: 0, several: 0.8, team: 1.4, all: 2.4 };

/** Requests rarely affect everyone; outages of shared things (internet, phones) often do. */
export function drawScope(rng: Rng, sub: SubIssueSpec, ticketType: TicketType): Scope {
  if (ticketType === 'Service Request') return rng.weighted({ one: 85, several: 10, team: 5 });
  if (sub.severity >= 2) return rng.weighted({ one: 30, several: 20, team: 22, all: 28 });
  return rng.weighted({ one: 62, several: 20, team: 12, all: 6 });
}

export function drawUrgent(rng: Rng, sub: SubIssueSpec, scope: Scope): boolean {
  return rng.chance(0.08 + 0.07 * sub.severity + (scope === 'all' ? 0.15 : 0));
}

/**
 * A latent score from impact, reach and urgency, with a little noise; then a level shift now and then (the
 * technician's judgement). Thresholds sit between the common sums, so the text decides most tickets.
 */
export function drawPriority(rng: Rng, facts: Pick<TicketFacts, 'sub' | 'scope' | 'urgent'>): Priority {
  const score = facts.sub.severity + SCOPE_WEIGHT[facts.scope] + (facts.urgent ? 1.3 : 0) + (rng.float() - 0.5) * 0.6;
  const levels: Priority[] = ['Low', 'Medium', 'High', 'Critical'];
  let level = score >= 3.7 ? 3 : score >= 2.2 ? 2 : score >= 0.5 ? 1 : 0;
  if (rng.chance(0.04)) level = Math.max(0, Math.min(3, level + (rng.chance(0.5) ? 1 : -1)));
  return levels[level];
}

export function drawQueue(rng: Rng, facts: TicketFacts, priority: Priority): Queue {
  // Dispatchers misroute some tickets; the technician's final queue keeps that.
  if (rng.chance(0.06)) return rng.pick(QUEUES);
  let queue = facts.sub.queue ?? facts.issue.queue;
  if (facts.ticketType === 'Change Request' && (facts.scope === 'team' || facts.scope === 'all' || rng.chance(0.3))) {
    queue = 'Projects';
  } else if (queue === 'Tier 1 Support' && (priority === 'Critical' || facts.ticketType === 'Problem') && rng.chance(0.6)) {
    queue = 'Tier 2 Support';
  }
  return queue;
}

export function drawBilling(rng: Rng, facts: TicketFacts, queue: Queue): BillingCode {
  if (rng.chance(0.04)) return rng.pick(BILLING_CODES);
  if (queue === 'Projects') return rng.chance(0.9) ? 'Project Billing' : 'Time & Materials';
  if (queue === 'Procurement') return rng.chance(0.85) ? 'Time & Materials' : 'Managed Services';
  if (facts.warranty) return rng.chance(0.85) ? 'Warranty' : 'Managed Services';
  // Setting up a new user is billable work under most MSP contracts.
  if (facts.sub.name === 'New User Onboarding') return rng.chance(0.8) ? 'Time & Materials' : 'Managed Services';
  return 'Managed Services';
}
