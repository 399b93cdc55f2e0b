import { describe, expect, it } from 'vitest';
import { connectorFor, startMock } from './helpers';

describe('Autotask client: fetchFieldSchemas', () => {
  it('maps the picklists and BillingCodes onto the six tenant fields, ids as values', async () => {
    const mock = await startMock({ tenant: { tickets: 20 } });
    const schemas = await connectorFor(mock).fetchFieldSchemas();
    expect(schemas.map((s) => [s.name, s.parentField])).toEqual([
      ['ticket_type', null],
      ['issue_type', null],
      ['sub_issue_type', 'issue_type'],
      ['priority', null],
      ['queue', null],
      ['billing_code', null],
    ]);
    const byName = Object.fromEntries(schemas.map((s) => [s.name, s]));
    const { state } = mock;
    expect(byName.priority.choices).toContainEqual({ value: '4', label: 'Critical', active: true });
    expect(byName.queue.choices).toContainEqual({ value: String(state.valueOf('queueID', 'Tier 1 Support')), label: 'Tier 1 Support', active: true });
    // Inactive values stay in the list, flagged.
    expect(byName.queue.choices).toContainEqual({ value: '29682801', label: 'Legacy Helpdesk', active: false });
    // Billing codes come from the BillingCodes entity (a reference field, not a picklist).
    expect(byName.billing_code.choices).toEqual(
      state.billingCodes.rows.map((r) => ({ value: String(r.id), label: r.name, active: r.isActive })),
    );
    expect(byName.billing_code.choices.some((c) => !c.active)).toBe(true);
    expect(mock.state.requests.some((r) => r.method === 'POST' && r.path.endsWith('/BillingCodes/query'))).toBe(true);
  });

  it('links every sub-issue type to its issue type through parentValue', async () => {
    const mock = await startMock({ tenant: { tickets: 20 } });
    const schemas = await connectorFor(mock).fetchFieldSchemas();
    const subs = schemas.find((s) => s.name === 'sub_issue_type')!.choices;
    const issues = new Set(schemas.find((s) => s.name === 'issue_type')!.choices.map((c) => c.value));
    expect(subs.length).toBe(mock.state.picklist('subIssueType').length);
    for (const c of subs) {
      expect(c.parent).toBe(mock.state.picklist('subIssueType').find((p) => p.value === c.value)!.parentValue);
      expect(issues.has(c.parent!)).toBe(true);
    }
    expect(subs.find((c) => c.label === 'Account Lockout')!.parent).toBe(String(mock.state.valueOf('issueType', 'Access/Accounts')));
  });

  it('compares picklistParentValueField case-insensitively', async () => {
    const mock = await startMock({ tenant: { tickets: 20 } });
    mock.state.tickets.field('subIssueType')!.picklistParentValueField = 'IssueType';
    const subs = (await connectorFor(mock).fetchFieldSchemas()).find((s) => s.name === 'sub_issue_type')!.choices;
    expect(subs.every((c) => typeof c.parent === 'string' && c.parent.length > 0)).toBe(true);
  });

  it('reflects picklist changes: an added, a renamed and a deactivated value', async () => {
    const mock = await startMock({ tenant: { tickets: 20 } });
    const c = connectorFor(mock);
    const { state } = mock;
    const hardware = state.valueOf('issueType', 'Hardware');
    const added = state.addPicklistValue('subIssueType', { label: 'Docking Station', parentValue: hardware });
    const renamed = state.valueOf('queueID', 'Tier 2 Support');
    state.renamePicklistValue('queueID', renamed, 'Escalations');
    const retired = state.valueOf('priority', 'Low');
    state.setPicklistValueActive('priority', retired, false);
    const code = state.addPicklistValue('billingCodeID', { label: 'After Hours' });

    const byName = Object.fromEntries((await c.fetchFieldSchemas()).map((s) => [s.name, s]));
    expect(byName.sub_issue_type.choices).toContainEqual({ value: String(added), label: 'Docking Station', active: true, parent: String(hardware) });
    expect(byName.queue.choices).toContainEqual({ value: String(renamed), label: 'Escalations', active: true });
    expect(byName.priority.choices).toContainEqual({ value: String(retired), label: 'Low', active: false });
    expect(byName.billing_code.choices).toContainEqual({ value: String(code), label: 'After Hours', active: true });
  });
});
