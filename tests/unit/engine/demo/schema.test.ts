import { describe, expect, it } from 'vitest';
import { demoFieldSchemas } from '../../../../engine/demo/schema';

describe('demoFieldSchemas', () => {
  const fields = demoFieldSchemas();

  it('defines the six demo fields, with sub_issue_type under issue_type', () => {
    expect(fields.map((f) => f.name)).toEqual(['ticket_type', 'issue_type', 'sub_issue_type', 'priority', 'queue', 'billing_code']);
    expect(fields.find((f) => f.name === 'sub_issue_type')?.parentField).toBe('issue_type');
    expect(fields.filter((f) => f.name !== 'sub_issue_type').every((f) => f.parentField === null)).toBe(true);
  });

  it('gives every sub-issue choice a parent among the issue types', () => {
    const issues = new Set(fields.find((f) => f.name === 'issue_type')!.choices.map((c) => c.value));
    for (const choice of fields.find((f) => f.name === 'sub_issue_type')!.choices) expect(issues.has(choice.parent!)).toBe(true);
  });

  it('has unique values per field and exactly one inactive choice', () => {
    for (const field of fields) expect(new Set(field.choices.map((c) => c.value)).size).toBe(field.choices.length);
    const inactive = fields.flatMap((f) => f.choices.filter((c) => !c.active));
    expect(inactive).toHaveLength(1);
  });

  it('has the expected picklist sizes', () => {
    const size = (name: string) => fields.find((f) => f.name === name)!.choices.length;
    expect(size('ticket_type')).toBe(4);
    expect(size('priority')).toBe(4);
    expect(size('issue_type')).toBeGreaterThanOrEqual(8);
    expect(size('billing_code')).toBe(4);
  });
});
