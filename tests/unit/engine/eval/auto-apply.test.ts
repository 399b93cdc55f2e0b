import { describe, expect, it } from 'vitest';
import { autoApply } from '../../../../engine/eval/auto-apply';
import { recs } from './helpers';

describe('autoApply', () => {
  it('picks the lowest threshold whose precision reaches the target', () => {
    // Precision at or above .99: 1/1, .95: 2/2, .9: 2/3, .8: 4/5, .7: 4/6. Target .75 -> .8 (not monotone above).
    const r = recs(['a', 'a', 0.99], ['a', 'a', 0.95], ['a', 'b', 0.9], ['a', 'a', 0.8], ['b', 'b', 0.8], ['a', 'b', 0.7]);
    expect(autoApply(r, 0.75)).toEqual({ targetPrecision: 0.75, threshold: 0.8, coverage: 5 / 6, precision: 0.8 });
  });

  it('keeps records of equal confidence together', () => {
    // At .8 the tie holds one right and one wrong: 2/3 < .9, so the threshold stays at .9 (splitting the tie would
    // wrongly allow .8 with 2/2).
    const r = recs(['a', 'a', 0.9], ['a', 'a', 0.8], ['a', 'b', 0.8]);
    expect(autoApply(r, 0.9)).toEqual({ targetPrecision: 0.9, threshold: 0.9, coverage: 1 / 3, precision: 1 });
  });

  it('never applies unpredictable records but counts them in coverage', () => {
    const r = recs(['a', 'a', 0.9], ['a', 'a', 0.6], ['a', null, 0], ['b', null, 0]);
    expect(autoApply(r)).toEqual({ targetPrecision: 0.95, threshold: 0.6, coverage: 0.5, precision: 1 });
  });

  it('accepts a precision exactly at the target', () => {
    const r = recs(...Array.from({ length: 20 }, (_, i) => ['a', i < 19 ? 'a' : 'b', 0.9] as [string, string, number]));
    expect(autoApply(r, 0.95)).toMatchObject({ threshold: 0.9, coverage: 1, precision: 0.95 });
  });

  it('reports no threshold and no coverage when the target is never reached', () => {
    const r = recs(['a', 'b', 0.9], ['a', 'a', 0.5]);
    expect(autoApply(r)).toEqual({ targetPrecision: 0.95, threshold: null, coverage: 0, precision: 0 });
    expect(autoApply([])).toEqual({ targetPrecision: 0.95, threshold: null, coverage: 0, precision: 0 });
  });
});
