import { describe, expect, it } from 'vitest';
import { IssueList } from '../../../../engine/import/issues';
import { readJsonLines } from '../../../../engine/import/jsonl';

describe('readJsonLines', () => {
  it('reads one ticket per line, skipping blank lines, with row and physical line', () => {
    const issues = new IssueList();
    const text = '{"title":"a","x":"1"}\r\n\n   \n{"title":"b","x":"2"}\n';
    const records = readJsonLines(text, issues);
    expect(issues.size).toBe(0);
    expect(records.map((r) => [r.row, r.line, r.title])).toEqual([
      [1, 1, 'a'],
      [2, 4, 'b'],
    ]);
  });

  it('reports every broken line with its line and the column within it', () => {
    const issues = new IssueList();
    const text = '{"title":"a","x":"1"}\n\n{"title":"b" "x":"2"}\n{"title":"c","x":"3"}\n{"title": }\n';
    const records = readJsonLines(text, issues);
    expect(records).toHaveLength(2);
    expect(issues.items.map((i) => [i.code, i.row, i.line, i.column])).toEqual([
      ['invalid_json', 2, 3, 14],
      ['invalid_json', 4, 5, 11],
    ]);
    expect(issues.items[0].message).toMatch(/^row 2 \(line 3\): invalid JSON at column 14: /);
  });

  it('reports a line that holds something other than an object', () => {
    const issues = new IssueList();
    readJsonLines('{"title":"a","x":"1"}\n[1, 2]\n', issues);
    expect(issues.items[0]).toMatchObject({ code: 'not_an_object', row: 2, line: 2 });
  });

  it('hints at a JSON array uploaded as JSON Lines', () => {
    const issues = new IssueList();
    readJsonLines('[\n{"title":"a"}\n]', issues);
    expect(issues.items[0].message).toContain('looks like a JSON array');
  });
});
