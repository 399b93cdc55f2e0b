import { describe, expect, it } from 'vitest';
import { IssueList } from '../../../../engine/import/issues';
import { readJson } from '../../../../engine/import/json';
import { codes, importError, issuesOf, json } from './import-test-helpers';

describe('readJson', () => {
  it('reads the prototype format into raw records numbered from 1', () => {
    const issues = new IssueList();
    const records = readJson(json([{ title: 'a', description: 'b', id: 7, ticket_type: 'Incident', prio: 3 }]), issues);
    expect(issues.size).toBe(0);
    expect(records).toHaveLength(1);
    expect(records[0]).toMatchObject({ row: 1, title: 'a', description: 'b', id: 7 });
    expect([...records[0].labels]).toEqual([['ticket_type', 'Incident'], ['prio', 3]]);
  });

  it('reads a nested "fields" object as labels', () => {
    const issues = new IssueList();
    const [record] = readJson(json([{ title: 'a', description: '', fields: { queue: 'Tier 1' } }]), issues);
    expect([...record.labels]).toEqual([['queue', 'Tier 1']]);
  });

  it('reports a field both nested and at the top level', () => {
    const issues = new IssueList();
    readJson(json([{ title: 'a', queue: 'x', fields: { queue: 'y' } }]), issues);
    expect(issues.items[0]).toMatchObject({ code: 'duplicate_field', row: 1, field: 'queue' });
  });

  it('reports broken JSON with line and column', () => {
    const issue = importError(() => readJson('[\n{"title": "a",\n "prio": }\n]', new IssueList())).issues[0];
    expect(issue).toMatchObject({ code: 'invalid_json', line: 3, column: 10 });
    expect(issue.message).toMatch(/^invalid JSON at line 3, column 10: /);
  });

  it('hints at JSON Lines when a .json file holds one object per line', () => {
    const error = importError(() => readJson('{"title":"a","x":1}\n{"title":"b","x":2}\n', new IssueList()));
    expect(error.issues[0]).toMatchObject({ code: 'invalid_json', line: 2, column: 1 });
    expect(error.message).toContain('JSON Lines');
  });

  it('rejects a top-level object, naming the key that holds the tickets', () => {
    const error = importError(() => readJson('{"tickets": [{"title": "a"}]}', new IssueList()));
    expect(error.issues[0].code).toBe('not_an_array');
    expect(error.message).toContain('got an object');
    expect(error.message).toContain('"tickets"');
  });

  it('rejects an empty array', () => {
    expect(importError(() => readJson(' [ ] ', new IssueList())).issues[0].code).toBe('no_tickets');
  });

  it('reports every element that is not an object, with its row', () => {
    const issues = new IssueList();
    const records = readJson('[{"title":"a","x":"1"}, "text", [1], null]', issues);
    expect(records).toHaveLength(1);
    expect(issues.items.map((i) => [i.code, i.row])).toEqual([
      ['not_an_object', 2],
      ['not_an_object', 3],
      ['not_an_object', 4],
    ]);
    expect(issues.items[1].message).toContain('got an array');
  });
});

describe('JSON through parseTicketFile', () => {
  it('collects problems from reading and validation together, in row order', () => {
    const issues = issuesOf(json([{ title: 'a', p: {} }, 3, { title: '', p: 'x' }]), { format: 'json' });
    expect(codes(issues)).toEqual(['invalid_label', 'not_an_object', 'missing_text']);
  });
});
