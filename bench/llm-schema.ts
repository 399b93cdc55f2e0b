/**
 * A realistic field schema for the LLM benchmark: six fields as an MSP tenant has them, up to 200 choices each,
 * sub-issue types tied to issue types. Labels are made of helpdesk words so they tokenize like real ones.
 */
import { Rng } from '../engine/demo/prng';
import type { FieldSchema } from '../engine/triage/types';

const WORDS = [
  'Network', 'Printer', 'Email', 'Laptop', 'Server', 'Backup', 'Firewall', 'VPN', 'Password', 'Account', 'License', 'Phone',
  'Security', 'Monitor', 'Software', 'Install', 'Update', 'Access', 'Storage', 'Wireless', 'Outlook', 'Teams', 'SharePoint',
  'Onboarding', 'Offboarding', 'Hardware', 'Replacement', 'Request', 'Incident', 'Alert', 'Patch', 'Antivirus', 'Mailbox',
];

function label(rng: Rng, used: Set<string>): string {
  for (;;) {
    const l = Array.from({ length: rng.int(1, 3) }, () => rng.pick(WORDS)).join(' ');
    if (!used.has(l)) {
      used.add(l);
      return l;
    }
  }
}

function flat(rng: Rng, name: string, n: number): FieldSchema {
  const used = new Set<string>();
  return { name, label: name, choices: Array.from({ length: n }, (_, i) => ({ value: `${name}-${i}`, label: label(rng, used), active: true })) };
}

/** `maxChoices` caps the largest field (sub-issue type); the others are scaled from it. */
export function benchSchema(maxChoices = 200, seed = 5): FieldSchema[] {
  const rng = new Rng(seed);
  const issueCount = Math.max(2, Math.round(maxChoices / 7));
  const issue = flat(rng, 'issue_type', issueCount);
  const used = new Set<string>();
  const sub: FieldSchema = {
    name: 'sub_issue_type',
    label: 'sub_issue_type',
    parentField: 'issue_type',
    choices: Array.from({ length: maxChoices }, (_, i) => ({ value: `sub-${i}`, label: label(rng, used), active: true, parent: issue.choices[i % issueCount].value })),
  };
  return [
    flat(rng, 'ticket_type', 6),
    issue,
    sub,
    flat(rng, 'queue', Math.max(2, Math.round(maxChoices / 4))),
    flat(rng, 'priority', 5),
    flat(rng, 'billing_code', Math.max(2, Math.round(maxChoices / 5))),
  ];
}
