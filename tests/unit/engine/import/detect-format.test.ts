import { describe, expect, it } from 'vitest';
import { chooseFormat, formatFromFilename, sniffFormat } from '../../../../engine/import/detect-format';

describe('format choice', () => {
  it('prefers the explicit format, then the extension, then the content', () => {
    expect(chooseFormat('[1]', 'csv', 'a.json')).toBe('csv');
    expect(chooseFormat('[1]', undefined, 'tickets.CSV')).toBe('csv');
    expect(chooseFormat('title,x\n', undefined, 'tickets.txt')).toBe('csv');
    expect(chooseFormat('[1]', undefined, undefined)).toBe('json');
  });

  it('knows the extensions', () => {
    expect(formatFromFilename('a.json')).toBe('json');
    expect(formatFromFilename('a.jsonl')).toBe('jsonl');
    expect(formatFromFilename('dir/a.ndjson')).toBe('jsonl');
    expect(formatFromFilename('a.csv')).toBe('csv');
    expect(formatFromFilename('a.xlsx')).toBeUndefined();
    expect(formatFromFilename(undefined)).toBeUndefined();
  });

  it('sniffs arrays, single objects, JSON Lines and CSV', () => {
    expect(sniffFormat('\n  [{"title":"a"}]')).toBe('json');
    expect(sniffFormat('{"tickets": []}')).toBe('json');
    expect(sniffFormat('{"title":"a"}\n{"title":"b"}\n')).toBe('jsonl');
    expect(sniffFormat('{"title": broken')).toBe('jsonl');
    expect(sniffFormat('title,description\na,b\n')).toBe('csv');
  });
});
