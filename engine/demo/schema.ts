/** The demo tenant's picklists, as a PSA connector would sync them: parent links and one retired queue included. */
import type { Choice, FieldSchema } from '../triage/types';
import { ISSUES } from './catalog';
import { BILLING_CODES, INACTIVE_QUEUE, PRIORITIES, QUEUES, TICKET_TYPES } from './catalog-types';

const choice = (value: string, parent?: string, active = true): Choice =>
  parent === undefined ? { value, label: value, active } : { value, label: value, active, parent };

const flat = (name: string, label: string, values: readonly string[], extra: Choice[] = []): FieldSchema => ({
  name,
  label,
  parentField: null,
  choices: [...values.map((v) => choice(v)), ...extra],
});

export function demoFieldSchemas(): FieldSchema[] {
  return [
    flat('ticket_type', 'Ticket Type', TICKET_TYPES),
    flat('issue_type', 'Issue Type', ISSUES.map((i) => i.name)),
    {
      name: 'sub_issue_type',
      label: 'Sub-Issue Type',
      parentField: 'issue_type',
      choices: ISSUES.flatMap((issue) => issue.subs.map((sub) => choice(sub.name, issue.name))),
    },
    flat('priority', 'Priority', PRIORITIES),
    flat('queue', 'Queue', QUEUES, [choice(INACTIVE_QUEUE, undefined, false)]),
    flat('billing_code', 'Billing Code', BILLING_CODES),
  ];
}
