import { describe, expect, it } from 'vitest';
import { accuracy, confusionMatrix, macroF1 } from '../../../../engine/eval/classification';
import { recs } from './helpers';

// a->a, a->b, b->b, c->(unpredictable), a->a
const sample = recs(['a', 'a'], ['a', 'b'], ['b', 'b'], ['c', null], ['a', 'a']);

describe('accuracy', () => {
  it('counts unpredictable records as wrong', () => {
    expect(accuracy(sample)).toBe(0.6);
  });
  it('is 0 on no records', () => {
    expect(accuracy([])).toBe(0);
  });
});

describe('macroF1', () => {
  it('averages per-class F1 over the union of true and predicted labels', () => {
    // a: P 2/2, R 2/3 -> F1 0.8; b: P 1/2, R 1/1 -> 2/3; c: never predicted -> 0. Mean = 1.4667/3.
    expect(macroF1(sample)).toBeCloseTo((0.8 + 2 / 3 + 0) / 3, 10);
  });
  it('includes labels that only appear as predictions', () => {
    // a: P 1/1, R 1/2 -> 2/3; d: predicted once, never true -> 0.
    expect(macroF1(recs(['a', 'a'], ['a', 'd']))).toBeCloseTo(1 / 3, 10);
  });
  it('is 1 when everything is right and 0 on no records', () => {
    expect(macroF1(recs(['a', 'a'], ['b', 'b']))).toBe(1);
    expect(macroF1([])).toBe(0);
  });
});

describe('confusionMatrix', () => {
  it('puts truth in rows, predictions in columns, and unpredictable in a (none) column', () => {
    expect(confusionMatrix(sample)).toEqual({
      labels: ['a', 'b', 'c', '(none)'],
      matrix: [
        [2, 1, 0, 0],
        [0, 1, 0, 0],
        [0, 0, 0, 1],
        [0, 0, 0, 0],
      ],
    });
  });

  it('has no (none) label when every record was predicted', () => {
    expect(confusionMatrix(recs(['a', 'b'])).labels).toEqual(['a', 'b']);
  });

  it('keeps the most frequent labels and groups the rest as (other)', () => {
    // Frequencies (truth + predicted): a 7, b 4, c 1, d 1, e 1.
    const r = recs(['a', 'a'], ['a', 'a'], ['a', 'a'], ['b', 'b'], ['b', 'b'], ['a', 'c'], ['d', 'e']);
    expect(confusionMatrix(r, 2)).toEqual({
      labels: ['a', 'b', '(other)'],
      matrix: [
        [3, 0, 1],
        [0, 2, 0],
        [0, 0, 1],
      ],
    });
    // Equal frequencies are kept in name order.
    expect(confusionMatrix(r, 3).labels).toEqual(['a', 'b', 'c', '(other)']);
    expect(confusionMatrix(r, 30).labels).toEqual(['a', 'b', 'c', 'd', 'e']);
  });
});
