import { describe, expect, it } from 'vitest';
import { Rng } from '../../../../engine/demo/prng';
import { capitalize, expand, type Vocabulary } from '../../../../engine/demo/template';

const vocab: Vocabulary = { app: ['Excel', 'Word'], n: (rng) => String(rng.int(1, 3)) };

describe('expand', () => {
  it('fills slots from the vocabulary and chooses among alternatives', () => {
    const rng = new Rng(1);
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) seen.add(expand('[Cannot|Unable to] open {app}', vocab, rng));
    expect(seen).toEqual(new Set(['Cannot open Excel', 'Cannot open Word', 'Unable to open Excel', 'Unable to open Word']));
  });

  it('lets alternatives hold slots and generators produce values', () => {
    const rng = new Rng(2);
    for (let i = 0; i < 50; i++) expect(expand('[{n} users|everyone] in {app}', vocab, rng)).toMatch(/^([1-3] users|everyone) in (Excel|Word)$/);
  });

  it('tidies spaces left by an empty alternative', () => {
    const rng = new Rng(3);
    const seen = new Set<string>();
    for (let i = 0; i < 50; i++) seen.add(expand('open [|the ]{app} , now', vocab, rng));
    for (const s of seen) expect(s).toMatch(/^open (the )?(Excel|Word), now$/);
  });

  it('keeps a slot value with a memo', () => {
    const rng = new Rng(4);
    for (let i = 0; i < 20; i++) {
      const memo = new Map<string, string>();
      const a = expand('{app}', vocab, rng, memo);
      expect(expand('still {app}', vocab, rng, memo)).toBe(`still ${a}`);
    }
  });

  it('rejects unknown slots and unclosed alternatives', () => {
    expect(() => expand('{nope}', vocab, new Rng(1))).toThrow(/unknown slot/);
    expect(() => expand('[a|b', vocab, new Rng(1))).toThrow(/unclosed/);
  });
});

describe('capitalize', () => {
  it('upper-cases the first letter only', () => {
    expect(capitalize('cannot print')).toBe('Cannot print');
    expect(capitalize('')).toBe('');
  });
});
