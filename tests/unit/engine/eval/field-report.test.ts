import { describe, expect, it } from 'vitest';
import { fieldReport } from '../../../../engine/eval';
import { recs } from './helpers';

describe('fieldReport', () => {
  // a->a .9, a->b .8, b->b .7, c->(none) 0, a->a .95
  const r = recs(['a', 'a', 0.9], ['a', 'b', 0.8], ['b', 'b', 0.7], ['c', null, 0], ['a', 'a', 0.95]);

  it('gathers every metric, rounded to 4 decimals', () => {
    const rep = fieldReport('queue', r);
    expect(rep.field).toBe('queue');
    expect(rep.n).toBe(5);
    expect(rep.accuracy).toBe(0.6);
    expect(rep.macroF1).toBe(0.4889); // (0.8 + 2/3 + 0) / 3
    expect(rep.predictable).toBe(0.8);
    expect(rep.confusion.labels).toEqual(['a', 'b', 'c', '(none)']);
    // Bins: 0 -> {0, wrong}; 7 -> {.7 right}; 8 -> {.8 wrong}; 9 -> {.9, .95 right}.
    // ECE = (1 x 0 + 1 x .3 + 1 x .8 + 2 x .075) / 5 = .25
    expect(rep.ece).toBe(0.25);
    expect(rep.calibration).toHaveLength(10);
    // At .95 precision: .95 and .9 are right (2/2), .8 is wrong (2/3) -> threshold .9, coverage 2/5.
    expect(rep.autoApply).toEqual({ targetPrecision: 0.95, threshold: 0.9, coverage: 0.4, precision: 1 });
  });

  it('passes the target precision and the confusion label limit through', () => {
    const rep = fieldReport('queue', r, { targetPrecision: 0.75, maxConfusionLabels: 1 });
    // At .7: 3 right of 4 applied = .75 -> coverage 4/5.
    expect(rep.autoApply).toEqual({ targetPrecision: 0.75, threshold: 0.7, coverage: 0.8, precision: 0.75 });
    expect(rep.confusion.labels).toEqual(['a', '(other)', '(none)']);
  });

  it('gives zeros on an empty field', () => {
    const rep = fieldReport('queue', []);
    expect(rep).toMatchObject({ n: 0, accuracy: 0, macroF1: 0, predictable: 0, ece: 0 });
    expect(rep.confusion).toEqual({ labels: [], matrix: [] });
  });
});
