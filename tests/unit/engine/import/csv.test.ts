import { describe, expect, it } from 'vitest';
import { readCsv, sniffDelimiter } from '../../../../engine/import/csv';
import type { CsvMapping } from '../../../../engine/import/csv-columns';
import { IssueList } from '../../../../engine/import/issues';
import { importError } from './import-test-helpers';

function read(text: string, mapping?: CsvMapping) {
  const issues = new IssueList();
  const warnings = new IssueList();
  const records = readCsv(text, mapping, issues, warnings);
  return { records, issues: issues.items, warnings: warnings.items };
}

describe('readCsv', () => {
  it('maps title/description/id by name and every other column to a label field', () => {
    const { records, issues } = read('ID,Title,description,priority,queue\n1,Printer down,Paper jam,High,Tier 1\n');
    expect(issues).toEqual([]);
    expect(records[0]).toMatchObject({ row: 1, line: 2, id: '1', title: 'Printer down', description: 'Paper jam' });
    expect([...records[0].labels]).toEqual([['priority', 'High'], ['queue', 'Tier 1']]);
  });

  it('keeps quoted line breaks, commas and quotes, and gives each row the line it starts on', () => {
    const text = 'title,description,prio\r\n"a, b","line one\r\nline ""two""\r\nline three",High\r\n\r\nc,d,Low\r\n';
    const { records } = read(text);
    expect(records.map((r) => [r.row, r.line])).toEqual([
      [1, 2],
      [2, 6],
    ]);
    expect(records[0].title).toBe('a, b');
    expect(records[0].description).toBe('line one\nline "two"\nline three');
  });

  it('uses a mapping, with only the mapped fields', () => {
    const mapping = { title: 'Subject', description: 'Body', id: 'Ticket #', fields: { priority: 'Prio', queue: 'Board' } };
    const { records } = read('Ticket #,Subject,Body,Prio,Board,Extra\nT-1,s,b,High,Network,zzz\n', mapping);
    expect(records[0]).toMatchObject({ id: 'T-1', title: 's', description: 'b' });
    expect([...records[0].labels]).toEqual([['priority', 'High'], ['queue', 'Network']]);
  });

  it('matches mapped columns case-insensitively when unambiguous', () => {
    const { records } = read('Subject,PRIO\ns,High\n', { title: 'subject', fields: { priority: 'prio' } });
    expect([...records[0].labels]).toEqual([['priority', 'High']]);
  });

  it('names an unknown mapped column and lists the available ones', () => {
    const error = importError(() => read('title,description,prio\na,b,c\n', { fields: { priority: 'Priority', queue: 'prio' } }));
    expect(error.issues[0]).toMatchObject({ code: 'unknown_column', field: 'priority', value: ['Priority'] });
    expect(error.message).toContain('"Priority"');
    expect(error.message).toContain('"title", "description", "prio"');
  });

  it('rejects a file without text columns', () => {
    expect(importError(() => read('subject,prio\na,b\n')).issues[0].code).toBe('no_text_column');
  });

  it('reports every ragged row with its line', () => {
    const { issues, records } = read('title,description,prio\na,b,c\nd,e\nf,g,h\ni,j,k,l\n');
    expect(records).toHaveLength(2);
    expect(issues.map((i) => [i.code, i.row, i.line, i.value])).toEqual([
      ['invalid_csv', 2, 3, 2],
      ['invalid_csv', 4, 5, 4],
    ]);
    expect(issues[0].message).toContain('has 2 values but the header has 3 columns');
  });

  it('reports an unclosed quote at the line where its row starts', () => {
    const issue = importError(() => read('title,description,prio\na,b,c\n\n"d,e,f\ng,h,i\n')).issues[0];
    expect(issue).toMatchObject({ code: 'invalid_csv', line: 4 });
    expect(issue.message).toContain('never closed');
  });

  it('skips rows of bare delimiters', () => {
    const { records, issues } = read('title,prio\na,b\n,\n , \n');
    expect(issues).toEqual([]);
    expect(records).toHaveLength(1);
  });

  it('ignores an unnamed column with a warning', () => {
    const { records, warnings } = read('title,prio,\na,b,\n');
    expect([...records[0].labels.keys()]).toEqual(['prio']);
    expect(warnings[0]).toMatchObject({ code: 'unnamed_column' });
  });

  it('refuses a duplicated column name that is used', () => {
    expect(importError(() => read('title,prio,prio\na,b,c\n')).issues[0].code).toBe('duplicate_column');
  });

  it('rejects a header without rows', () => {
    expect(importError(() => read('title,prio\n')).issues[0].code).toBe('no_tickets');
  });

  it('reads semicolon-separated files', () => {
    const { records } = read('title;description;prio\n"a;b";c;High\n');
    expect(records[0].title).toBe('a;b');
    expect([...records[0].labels]).toEqual([['prio', 'High']]);
  });
});

describe('sniffDelimiter', () => {
  it('picks the delimiter the header uses most, ignoring quoted ones', () => {
    expect(sniffDelimiter('a,b,c\n1;2')).toBe(',');
    expect(sniffDelimiter('a;b;c\n1,2,3,4,5')).toBe(';');
    expect(sniffDelimiter('a\tb\n')).toBe('\t');
    expect(sniffDelimiter('"x;y;z",b\n')).toBe(',');
    expect(sniffDelimiter('title\n')).toBe(',');
  });
});
