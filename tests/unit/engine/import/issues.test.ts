import { describe, expect, it } from 'vitest';
import { ImportError, IssueList, describeType, previewValue, truncate, where } from '../../../../engine/import/issues';

describe('ImportError', () => {
  it('uses the first message alone when there is one problem', () => {
    const error = new ImportError([{ code: 'a', message: 'first' }]);
    expect(error.message).toBe('first');
    expect(error.name).toBe('ImportError');
  });

  it('counts the other problems, singular and plural', () => {
    expect(new ImportError([{ code: 'a', message: 'x' }, { code: 'b', message: 'y' }]).message).toBe('x (and 1 more problem)');
    expect(new ImportError([{ code: 'a', message: 'x' }], 250).message).toBe('x (and 249 more problems)');
  });
});

describe('IssueList', () => {
  it('keeps at most the cap but counts all, and throws them sorted by row', () => {
    const list = new IssueList(3);
    for (const row of [5, 2, 9, 1, 7]) list.add({ code: 'c', message: `row ${row}`, row });
    expect(list.size).toBe(5);
    expect(list.items).toHaveLength(3);
    let thrown: ImportError | undefined;
    try {
      list.throwIfAny();
    } catch (e) {
      thrown = e as ImportError;
    }
    expect(thrown?.issues.map((i) => i.row)).toEqual([2, 5, 9]);
    expect(thrown?.total).toBe(5);
    expect(thrown?.message).toBe('row 2 (and 4 more problems)');
  });

  it('does not throw when empty', () => {
    expect(() => new IssueList().throwIfAny()).not.toThrow();
  });
});

describe('message helpers', () => {
  it('describes types the way messages use them', () => {
    expect(describeType({})).toBe('an object');
    expect(describeType([])).toBe('an array');
    expect(describeType(true)).toBe('a boolean (true)');
    expect(describeType(null)).toBe('null');
    expect(describeType(4)).toBe('a number (4)');
  });

  it('truncates long values and never splits a surrogate pair', () => {
    expect(truncate('x'.repeat(200))).toBe(`${'x'.repeat(80)}…`);
    expect(truncate('short')).toBe('short');
    const emoji = `${'a'.repeat(79)}😀`;
    expect(truncate(`${emoji}tail`)).toBe(`${'a'.repeat(79)}…`);
    expect(previewValue({ text: 'y'.repeat(500) })).toHaveLength(81);
    expect(previewValue(7)).toBe(7);
  });

  it('names row and line', () => {
    expect(where(3)).toBe('row 3');
    expect(where(3, 7)).toBe('row 3 (line 7)');
  });
});
