import { describe, expect, it } from 'vitest';
import { mulberry32, shuffleInPlace } from '../../../../../engine/models/fast/random';

describe('mulberry32 / shuffleInPlace', () => {
  it('is reproducible from its seed and stays in [0, 1)', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(mulberry32(43)()).not.toBe(xs[0]);
  });

  it('shuffles into a permutation that depends on the seed', () => {
    const shuffled = (seed: number) => {
      const items = Int32Array.from({ length: 50 }, (_, i) => i);
      shuffleInPlace(items, mulberry32(seed));
      return Array.from(items);
    };
    expect([...shuffled(1)].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(shuffled(1)).toEqual(shuffled(1));
    expect(shuffled(1)).not.toEqual(shuffled(2));
  });
});
