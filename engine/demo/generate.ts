/**
 * A deterministic demo tenant: realistic MSP helpdesk tickets whose labels depend on the text, with the noise
 * real labels have. `npm start` on an empty machine trains on it, and benchmarks generate large tenants with it.
 * Same seed, same output, byte for byte: everything random comes from one seeded PRNG, in a fixed order.
 */
import type { FieldSchema, LabeledTicket } from '../triage/types';
import { ISSUES, SUB_ISSUES } from './catalog';
import type { SubIssueSpec } from './catalog-types';
import { type Wording, composeDescription, composeTitle } from './compose';
import { type TicketFacts, drawBilling, drawPriority, drawQueue, drawScope, drawUrgent } from './labels';
import { Rng } from './prng';
import { demoFieldSchemas } from './schema';

export interface DemoTenant {
  fields: FieldSchema[];
  tickets: (LabeledTicket & { id: string; createdAt: string })[];
}

export interface DemoOptions {
  /** Number of tickets (default 3000). */
  count?: number;
  /** PRNG seed (default 42). */
  seed?: number;
}

/** Tickets spread over two years from a fixed start, so the output never depends on today's date. */
const START_MS = Date.UTC(2023, 0, 2, 8, 0, 0);
const SPAN_MS = 730 * 24 * 3600 * 1000;

/** Share of tickets written in their issue type's vague words, so the sub-issue type cannot be read off them. */
const VAGUE_RATE = 0.05;
/** Share of tickets, among sub-issue types with a look-alike, that read like the look-alike. */
const LOOKALIKE_RATE = 0.14;
/** Share of tickets a technician filed under an unrelated sub-issue type. */
const MISFILED_RATE = 0.04;
/** Hardware that can be under warranty: the warranty sentence drives the billing code. */
const WARRANTY_SUBS = new Set(['Computer Failure', 'Monitor & Peripherals', 'Mobile Device']);

const ALL_SUBS: SubIssueSpec[] = ISSUES.flatMap((i) => i.subs);

function chooseWording(rng: Rng, facts: TicketFacts): Wording {
  const { issue, sub } = facts;
  if (rng.chance(VAGUE_RATE)) return { writtenAs: sub, vague: true, issue };
  if (sub.confusedWith !== undefined && rng.chance(LOOKALIKE_RATE)) {
    const lookalike = SUB_ISSUES.get(sub.confusedWith)!;
    return { writtenAs: lookalike.sub, vague: false, issue: lookalike.issue };
  }
  if (rng.chance(MISFILED_RATE)) {
    const other = rng.pick(ALL_SUBS);
    return { writtenAs: other, vague: false, issue: SUB_ISSUES.get(other.name)!.issue };
  }
  return { writtenAs: sub, vague: false, issue };
}

function drawFacts(rng: Rng): TicketFacts {
  const issue = rng.weightedItem(ISSUES, (i) => i.weight);
  const sub = rng.weightedItem(issue.subs, (s) => s.weight);
  const ticketType = rng.weighted(sub.types);
  const scope = drawScope(rng, sub, ticketType);
  const urgent = drawUrgent(rng, sub, scope);
  const warranty = WARRANTY_SUBS.has(sub.name) && ticketType === 'Incident' && rng.chance(0.25);
  return { issue, sub, ticketType, scope, urgent, warranty };
}

export function generateDemoTenant(opts: DemoOptions = {}): DemoTenant {
  const count = opts.count ?? 3000;
  const seed = opts.seed ?? 42;
  if (!Number.isInteger(count) || count < 0) throw new Error(`demo ticket count must be a non-negative integer, got ${count}`);
  const rng = new Rng(seed);
  const step = SPAN_MS / Math.max(count, 1);
  const tickets: DemoTenant['tickets'] = [];
  for (let i = 0; i < count; i++) {
    const facts = drawFacts(rng);
    const wording = chooseWording(rng, facts);
    const priority = drawPriority(rng, facts);
    const queue = drawQueue(rng, facts, priority);
    const billing = drawBilling(rng, facts, queue);
    const pen = { rng, memo: new Map<string, string>() };
    const title = composeTitle(pen, wording, facts);
    const description = composeDescription(pen, wording, facts);
    // Jitter within each slot keeps timestamps strictly increasing; whole seconds, as PSAs store them.
    const at = START_MS + (i + 0.05 + 0.9 * rng.float()) * step;
    tickets.push({
      id: `DEMO-${String(i + 1).padStart(6, '0')}`,
      title,
      description,
      createdAt: new Date(Math.floor(at / 1000) * 1000).toISOString(),
      fields: {
        ticket_type: facts.ticketType,
        issue_type: facts.issue.name,
        sub_issue_type: facts.sub.name,
        priority,
        queue,
        billing_code: billing,
      },
    });
  }
  return { fields: demoFieldSchemas(), tickets };
}
