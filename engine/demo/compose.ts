/**
 * Writes a ticket's title and description from its facts. The text is drawn from the templates of the
 * sub-issue type it is *written as* (usually its own; sometimes a look-alike sibling's, or vague wording
 * of its issue type), plus cue sentences for ticket type, reach, urgency and warranty.
 */
import type { IssueSpec, SubIssueSpec } from './catalog-types';
import type { TicketFacts } from './labels';
import {
  CLOSINGS,
  GREETINGS,
  INTRODUCTIONS,
  SCOPE_SENTENCES,
  TITLE_PREFIXES,
  TYPE_CUES,
  URGENCY_SENTENCES,
  URGENT_TITLE_PREFIXES,
  WARRANTY_SENTENCES,
} from './phrases';
import type { Rng } from './prng';
import { capitalize, expand } from './template';
import { VOCABULARY } from './vocabulary';

export interface Wording {
  /** The sub-issue type whose templates the text uses. */
  writtenAs: SubIssueSpec;
  /** Use the issue type's vague templates instead of any sub-issue type's. */
  vague: boolean;
  issue: IssueSpec;
}

const TITLE_TAILS = ['- {company}', 'at {site}', '({company})', '- {dept}'];
const MAX_SENTENCES = 4;
const MAX_TITLE_WORDS = 10;

/** One ticket being written: its random source and the slot values it has used so far. */
export interface Pen {
  rng: Rng;
  memo: Map<string, string>;
}

const fill = (pen: Pen, templates: readonly string[]) => expand(pen.rng.pick(templates), VOCABULARY, pen.rng, pen.memo);
const say = (pen: Pen, templates: readonly string[]) => capitalize(fill(pen, templates));
const wordCount = (text: string) => text.split(/\s+/).filter(Boolean).length;

export function composeTitle(pen: Pen, wording: Wording, facts: TicketFacts): string {
  const { rng } = pen;
  let title = say(pen, wording.vague ? wording.issue.vagueTitles : wording.writtenAs.titles);
  // Short titles get a tail ("VPN error 809" -> "VPN error 809 - Keystone Builders"); some longer ones too.
  const words = wordCount(title);
  if (words < 4 || (words <= 6 && rng.chance(0.12))) {
    const tail = fill(pen, TITLE_TAILS);
    if (words < 4 || words + wordCount(tail) <= MAX_TITLE_WORDS) title = `${title} ${tail}`;
  }
  const typePrefixes = TITLE_PREFIXES[facts.ticketType];
  let prefix = '';
  if (facts.urgent && rng.chance(0.35)) prefix = rng.pick(URGENT_TITLE_PREFIXES);
  else if (typePrefixes && rng.chance(0.2)) prefix = rng.pick(typePrefixes);
  // Titles stay within 10 words: a prefix that would push past it is left out.
  return wordCount(prefix + title) <= MAX_TITLE_WORDS ? prefix + title : title;
}

export function composeDescription(pen: Pen, wording: Wording, facts: TicketFacts): string {
  const { rng } = pen;
  const details = wording.vague ? wording.issue.vagueDetails : wording.writtenAs.details;
  const first = say(pen, details);
  const second = rng.chance(0.2) ? say(pen, details) : undefined;
  const warranty = facts.warranty ? say(pen, WARRANTY_SENTENCES) : undefined;
  const scopeShown = facts.scope === 'one' ? rng.chance(0.25) : rng.chance(0.95);
  const scope = scopeShown ? say(pen, SCOPE_SENTENCES[facts.scope]) : undefined;
  const cue = rng.chance(0.7) ? say(pen, TYPE_CUES[facts.ticketType]) : undefined;
  // Users cry wolf now and then: urgency words on a ticket that is not urgent.
  const urgency = (facts.urgent ? rng.chance(0.9) : rng.chance(0.03)) ? say(pen, URGENCY_SENTENCES) : undefined;

  // Keep to MAX_SENTENCES: the optional second detail goes first, then the type cue.
  const candidates: [kind: string, text: string | undefined][] = [
    ['first', first],
    ['second', second === first ? undefined : second],
    ['warranty', warranty],
    ['scope', scope],
    ['cue', cue],
    ['urgency', urgency],
  ];
  let kept = candidates.filter((entry): entry is [string, string] => entry[1] !== undefined);
  for (const drop of ['second', 'cue']) if (kept.length > MAX_SENTENCES) kept = kept.filter(([kind]) => kind !== drop);
  const sentences = kept.map(([, text]) => text);

  const parts: string[] = [];
  if (rng.chance(0.35)) {
    parts.push(rng.pick(GREETINGS));
    if (sentences.length < MAX_SENTENCES && rng.chance(0.3)) parts.push(say(pen, INTRODUCTIONS));
  }
  parts.push(...sentences);
  if (rng.chance(0.35)) parts.push(say(pen, CLOSINGS));
  return parts.join(' ');
}
