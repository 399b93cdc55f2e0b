import { describe, expect, it } from 'vitest';
import { excerptAt, positionAt } from '../../../../engine/import/text-position';

describe('positionAt', () => {
  it('gives 1-based line and column', () => {
    const text = 'ab\ncde\r\nfg';
    expect(positionAt(text, 0)).toEqual({ line: 1, column: 1 });
    expect(positionAt(text, 4)).toEqual({ line: 2, column: 2 });
    expect(positionAt(text, 8)).toEqual({ line: 3, column: 1 });
  });

  it('counts an astral character as one column', () => {
    expect(positionAt('😀x', 2)).toEqual({ line: 1, column: 2 });
  });

  it('clamps indexes past the end', () => {
    expect(positionAt('ab', 99)).toEqual({ line: 1, column: 3 });
  });
});

describe('excerptAt', () => {
  it('shows the surroundings on one line', () => {
    expect(excerptAt('abc\ndef', 3, 2)).toBe('bc d');
  });
});
