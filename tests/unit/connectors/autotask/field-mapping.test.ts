import { describe, expect, it } from 'vitest';
import { completeStatusValue, fieldSchemasFrom, normalizeDate, toPatchBody, toPsaTicket } from '../../../../connectors/autotask/field-mapping';
import { chooseNoteDefaults } from '../../../../connectors/autotask/note-defaults';
import { type FieldInfo, fieldsResponseSchema, ticketSchema } from '../../../../connectors/autotask/schemas';

const pv = (value: string | number, label: string, extra: Record<string, unknown> = {}) => ({ value, label, isActive: true, parentValue: '', ...extra });

describe('Autotask field mapping', () => {
  it('turns tenant values into a PATCH body of integers, and nothing else', () => {
    expect(toPatchBody('100', { queue: '29682834', issue_type: '2', sub_issue_type: '136', priority: '2', billing_code: '29683407', ticket_type: '1' })).toEqual({
      id: 100,
      queueID: 29682834,
      issueType: 2,
      subIssueType: 136,
      priority: 2,
      billingCodeID: 29683407,
      ticketType: 1,
    });
    expect(toPatchBody('7', { priority: '4' })).toEqual({ id: 7, priority: 4 });
    expect(() => toPatchBody('7', { status: '5' })).toThrow(/not an Autotask ticket field/);
    expect(() => toPatchBody('7', { priority: 'High' })).toThrow(/not an Autotask id/);
  });

  it('reads ticket JSON (values as ints or strings, dates with or without a zone) into a PsaTicket', () => {
    const json = ticketSchema.parse({
      id: 100,
      title: 'Printer offline',
      description: null,
      createDate: '2026-01-18T01:00:00',
      lastActivityDate: '2026-01-19T11:00:00.000Z',
      status: 5,
      ticketType: 1,
      issueType: '2',
      subIssueType: 136,
      priority: 3,
      queueID: 29682833,
      billingCodeID: null,
      userDefinedFields: [],
    });
    expect(toPsaTicket(json, '5')).toEqual({
      externalId: '100',
      title: 'Printer offline',
      description: '',
      fields: { ticket_type: '1', issue_type: '2', sub_issue_type: '136', priority: '3', queue: '29682833', billing_code: null },
      createdAt: '2026-01-18T01:00:00.000Z',
      updatedAt: '2026-01-19T11:00:00.000Z',
      completed: true,
    });
    expect(toPsaTicket({ ...json, status: 1 }, '5')!.completed).toBe(false);
    expect(toPsaTicket({ ...json, createDate: 'yesterday' }, '5')).toBeNull();
    expect(normalizeDate('2026-03-01')).toBe('2026-03-01T00:00:00.000Z');
  });

  it('builds field schemas from picklists: sorted, parents case-insensitive, inactive kept, duplicates dropped', () => {
    const fields: FieldInfo[] = fieldsResponseSchema.parse({
      fields: [
        { name: 'IssueType', isPickList: true, picklistValues: [pv('10', 'Software', { sortOrder: 2 }), pv('2', 'Hardware', { sortOrder: 1 })], picklistParentValueField: '' },
        {
          name: 'subIssueType',
          isPickList: true,
          picklistParentValueField: 'IssueType',
          picklistValues: [pv(136, 'Printer', { parentValue: 2 }), pv('138', 'Legacy', { parentValue: '10', isActive: false }), pv('136', 'Printer dup', { parentValue: '2' })],
        },
        { name: 'status', isPickList: true, picklistValues: [pv('1', 'New'), pv('13', ' complete ')] },
      ],
    }).fields;
    const schemas = fieldSchemasFrom(fields, [{ id: 9, name: 'Remote', isActive: true }, { id: 3, name: null }]);
    const byName = Object.fromEntries(schemas.map((s) => [s.name, s]));
    expect(byName.issue_type.choices).toEqual([
      { value: '2', label: 'Hardware', active: true },
      { value: '10', label: 'Software', active: true },
    ]);
    expect(byName.sub_issue_type.choices).toEqual([
      { value: '136', label: 'Printer', active: true, parent: '2' },
      { value: '138', label: 'Legacy', active: false, parent: '10' },
    ]);
    expect(byName.billing_code.choices).toEqual([
      { value: '3', label: 'Billing code 3', active: true },
      { value: '9', label: 'Remote', active: true },
    ]);
    // Fields the tenant lacks come back empty rather than missing.
    expect(byName.queue.choices).toEqual([]);
    expect(completeStatusValue(fields)).toBe('13');
    expect(completeStatusValue([])).toBe('5');
  });

  it('picks note defaults: the default note type and an internal publish value, unless overridden', () => {
    const fields = fieldsResponseSchema.parse({
      fields: [
        { name: 'noteType', picklistValues: [pv('1', 'Task Summary'), pv('2', 'Task Detail', { isDefaultValue: true }), pv('9', 'Old', { isActive: false, isDefaultValue: true })] },
        { name: 'publish', picklistValues: [pv('1', 'All Autotask Users', { isDefaultValue: true }), pv('2', 'Internal Only')] },
      ],
    }).fields;
    expect(chooseNoteDefaults(fields)).toEqual({ noteType: 2, publish: 2 });
    expect(chooseNoteDefaults(fields, { publish: 1 })).toEqual({ noteType: 2, publish: 1 });
    expect(() => chooseNoteDefaults([])).toThrow(/noteType/);
  });
});
