import { describe, expect, it } from 'vitest';
import { IssueList } from '../../../../engine/import/issues';
import type { RawRecord } from '../../../../engine/import/raw-record';
import { fieldNameProblem, validateRecords } from '../../../../engine/import/validate';

let nextRow = 1;
function rec(title: unknown, description: unknown, labels: Record<string, unknown>, id?: unknown): RawRecord {
  return { row: nextRow++, title, description, id, labels: new Map(Object.entries(labels)) };
}

function validate(records: RawRecord[], maxTextLength?: number) {
  const issues = new IssueList();
  const warnings = new IssueList();
  const result = validateRecords(records, issues, warnings, maxTextLength);
  return { ...result, issues: issues.items, warnings: warnings.items };
}

describe('validateRecords', () => {
  it('trims text and labels, turns numbers into strings and drops null and empty labels', () => {
    nextRow = 1;
    const { tickets, fields, issues } = validate([
      rec('  Printer down ', '\n paper jam \n', { prio: ' High ', level: 3, queue: null }, 12),
      rec(null, 'only text', { prio: '', level: 1.5, queue: 'Tier 1' }, ' A-1 '),
    ]);
    expect(issues).toEqual([]);
    expect(fields).toEqual(['prio', 'level', 'queue']);
    expect(tickets).toEqual([
      { id: '12', title: 'Printer down', description: 'paper jam', fields: { prio: 'High', level: '3' } },
      { id: 'A-1', title: '', description: 'only text', fields: { level: '1.5', queue: 'Tier 1' } },
    ]);
  });

  it('leaves out the id key when a ticket has none', () => {
    nextRow = 1;
    const { tickets } = validate([rec('a', '', { x: 'y' }, ''), rec('b', '', { x: 'y' })]);
    expect(tickets.map((t) => 'id' in t)).toEqual([false, false]);
  });

  it('requires a title or a description', () => {
    nextRow = 1;
    const { issues } = validate([rec('a', '', { x: 'y' }), rec('  ', null, { x: 'y' }), rec(undefined, undefined, { x: 'y' })]);
    expect(issues.map((i) => [i.code, i.row])).toEqual([
      ['missing_text', 2],
      ['missing_text', 3],
    ]);
  });

  it('rejects text that is not a string', () => {
    nextRow = 1;
    const { issues } = validate([rec(42, 'x', { x: 'y' }), rec('a', { html: '<p>' }, { x: 'y' })]);
    expect(issues.map((i) => [i.code, i.row, i.field])).toEqual([
      ['invalid_text', 1, 'title'],
      ['invalid_text', 2, 'description'],
    ]);
    expect(issues[0].message).toBe('row 1: "title" must be a string, got a number (42)');
  });

  it('rejects labels that are objects, arrays or booleans, with a precise message', () => {
    nextRow = 1;
    const { issues } = validate([rec('a', '', { priority: 'x', q: 'y' }), rec('b', '', { priority: 'x', q: 'y' }), rec('c', '', { priority: { v: 1 }, q: [1] }), rec('d', '', { priority: false, q: 'y' })]);
    expect(issues.map((i) => [i.code, i.row, i.field, i.value])).toEqual([
      ['invalid_label', 3, 'priority', '{"v":1}'],
      ['invalid_label', 3, 'q', '[1]'],
      ['invalid_label', 4, 'priority', false],
    ]);
    expect(issues[0].message).toBe('row 3: field "priority" must be a string or number, got an object');
  });

  it('names the missing and extra keys of a ticket whose fields differ from the first', () => {
    nextRow = 1;
    const { issues } = validate([rec('a', '', { prio: 'x', queue: 'y' }), rec('b', '', { prio: 'x', queue: null }), rec('c', '', { prio: 'x', qeue: 'y' })]);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: 'mixed_fields', row: 3, value: { missing: ['queue'], extra: ['qeue'] } });
    expect(issues[0].message).toContain('lacks "queue"');
    expect(issues[0].message).toContain('extra "qeue"');
  });

  it('names both rows of a duplicate id, numbers and strings alike', () => {
    nextRow = 1;
    const { issues } = validate([rec('a', '', { x: 'y' }, 7), rec('b', '', { x: 'y' }, 8), rec('c', '', { x: 'y' }, '7')]);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: 'duplicate_id', row: 3, value: '7' });
    expect(issues[0].message).toBe('row 3: id "7" is already used by row 1');
  });

  it('rejects an id that is neither string nor number', () => {
    nextRow = 1;
    expect(validate([rec('a', '', { x: 'y' }, { n: 1 })]).issues[0].code).toBe('invalid_id');
  });

  it('rejects tickets without label fields', () => {
    nextRow = 1;
    expect(validate([rec('a', 'b', {})]).issues.map((i) => i.code)).toEqual(['no_fields']);
  });

  it('rejects fields that no ticket labels, and drops such a field with a warning when others remain', () => {
    nextRow = 1;
    expect(validate([rec('a', '', { x: null }), rec('b', '', { x: '' })]).issues.map((i) => i.code)).toEqual(['no_fields']);
    nextRow = 1;
    const { fields, warnings, issues } = validate([rec('a', '', { x: null, y: 'v' })]);
    expect(issues).toEqual([]);
    expect(fields).toEqual(['y']);
    expect(warnings[0]).toMatchObject({ code: 'empty_field', field: 'x' });
  });

  it('rejects invalid field names once each', () => {
    nextRow = 1;
    const long = 'f'.repeat(65);
    const { issues } = validate([rec('a', '', { '': 'v', [long]: 'v', 'bad\tname': 'v', ok: 'v' }), rec('b', '', { '': 'v', [long]: 'v', 'bad\tname': 'v', ok: 'v' })]);
    expect(issues.map((i) => i.code)).toEqual(['invalid_field_name', 'invalid_field_name', 'invalid_field_name']);
    expect(issues[1].message).toContain('longer than 64');
  });

  it('truncates over-long text with a warning instead of failing', () => {
    nextRow = 1;
    const { tickets, warnings, issues } = validate([rec('t'.repeat(30), 'ok', { x: 'y' })], 10);
    expect(issues).toEqual([]);
    expect(tickets[0].title).toBe('t'.repeat(10));
    expect(warnings[0]).toMatchObject({ code: 'text_truncated', row: 1, field: 'title' });
  });
});

describe('fieldNameProblem', () => {
  it('accepts ordinary names and rejects the rest', () => {
    expect(fieldNameProblem('Sub-Issue Type')).toBeNull();
    expect(fieldNameProblem('f'.repeat(64))).toBeNull();
    expect(fieldNameProblem(' ')).toBe('is empty');
    expect(fieldNameProblem('a\u0000b')).toBe('contains control characters');
    expect(fieldNameProblem('__proto__')).toBe('is reserved');
  });
});
