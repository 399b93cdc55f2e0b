/**
 * Sentences that carry the signal for the labels other than the sub-issue type: ticket type cues, how many
 * people are affected, urgency, warranty. They appear often but not always, which is what keeps a classifier
 * below 100% on those fields.
 */
import type { TicketType } from './catalog-types';

export const GREETINGS = ['Hi,', 'Hello,', 'Hi team,', 'Good morning,', 'Hello support,', 'Hi there,', 'Hey,'];

export const INTRODUCTIONS = ['This is {author} from {company}.', '{author} here from {company}.', 'Writing for {author} at {company}.'];

export const CLOSINGS = ['Thanks!', 'Thank you.', 'Thanks, {author_first}', 'Regards, {author}', 'Thanks in advance.', 'Sent from my iPhone'];

export const TYPE_CUES: Record<TicketType, string[]> = {
  Incident: [
    'It was working fine [yesterday|last week|this morning].',
    'Nothing changed on our side as far as I know.',
    'This started [this morning|yesterday afternoon|after the weekend|an hour ago].',
    'I already tried [restarting|rebooting twice|logging out and back in].',
    'It just stopped working out of nowhere.',
  ],
  'Service Request': [
    'Could you please take care of this [when you get a chance|this week]?',
    'My manager {user} approved this.',
    'Please let me know if you need anything else from me.',
    '[No rush|Not urgent], [whenever you can|by end of week is fine].',
    'Can you let me know [the cost|how long this will take]?',
  ],
  Problem: [
    'This is the [third|fourth|fifth] time this [week|month].',
    'This keeps happening, please find the root cause.',
    'Same issue as [last week|my previous ticket], it came back.',
    'It happens [every few days|every Monday|every afternoon] and a restart only fixes it for a while.',
  ],
  'Change Request': [
    'Please schedule this for {day}.',
    'This should happen during the maintenance window on {day}.',
    'Please plan this change and send us the steps for approval.',
    'Let us know how much downtime this will cause.',
  ],
};

export const TITLE_PREFIXES: Partial<Record<TicketType, string[]>> = {
  'Service Request': ['Request: ', 'Req - '],
  Problem: ['Recurring: ', 'Again: ', 'Ongoing: '],
  'Change Request': ['Change: ', 'CR - ', 'Planned change: '],
};

export type Scope = 'one' | 'several' | 'team' | 'all';

export const SCOPE_SENTENCES: Record<Scope, string[]> = {
  one: ['Only my [machine|account] is affected.', 'It is just me, others seem fine.', 'Just this one [user|computer].'],
  several: ['{n} users are affected.', 'A few of us in {dept} have the same problem.', '{user} has it too.'],
  team: ['The whole {dept} team is affected.', 'Nobody in {dept} can work on this.', 'All of {dept} is stuck.'],
  all: [
    'All users at {site} are affected.',
    'The entire office is down.',
    'This affects everyone company-wide.',
    'Company-wide outage, nobody can work.',
  ],
};

export const URGENCY_SENTENCES = [
  'This is urgent.',
  'Please help ASAP.',
  'We have clients waiting.',
  'This is blocking payroll today.',
  'Production is stopped.',
  'Need this fixed right away, we have a deadline at 3pm.',
  'We cannot take payments until this is fixed.',
  'Please call me back immediately.',
];

export const URGENT_TITLE_PREFIXES = ['URGENT: ', 'Urgent - ', 'ASAP: ', '!!! '];

export const WARRANTY_SENTENCES = ['The {computer} is still under warranty.', 'It is less than a year old, should be covered by warranty.', 'Dell warranty is active on this one.'];
