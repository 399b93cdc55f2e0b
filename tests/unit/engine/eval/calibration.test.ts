import { describe, expect, it } from 'vitest';
import { calibrationBins, expectedCalibrationError } from '../../../../engine/eval/calibration';
import { recs } from './helpers';

describe('expectedCalibrationError', () => {
  it('is ~0 for a perfectly calibrated set', () => {
    const r = [
      ...recs(...Array.from({ length: 10 }, (_, i) => ['x', i < 8 ? 'x' : 'y', 0.8] as [string, string, number])),
      ...recs(['x', 'x', 0.5], ['x', 'x', 0.5], ['x', 'y', 0.5], ['x', 'y', 0.5]),
      ...recs(['x', 'x', 1], ['x', 'x', 1]),
      ...recs(['x', null, 0]),
    ];
    expect(expectedCalibrationError(r)).toBeCloseTo(0, 10);
  });

  it('weights each bin gap by its share of records', () => {
    // Bin 9: conf .9, acc .5 -> .4 x 2/4; bin 3: conf .325, acc .5 -> .175 x 2/4. ECE = .2 + .0875.
    const r = recs(['x', 'x', 0.9], ['x', 'y', 0.9], ['x', 'y', 0.3], ['x', 'x', 0.35]);
    expect(expectedCalibrationError(r)).toBeCloseTo(0.2875, 10);
  });

  it('is 0 on no records', () => {
    expect(expectedCalibrationError([])).toBe(0);
  });
});

describe('calibrationBins', () => {
  it('returns 10 equal-width bins with counts, mean confidence and accuracy', () => {
    const bins = calibrationBins(recs(['x', 'x', 0.9], ['x', 'y', 0.9], ['x', 'y', 0.3], ['x', 'x', 0.35]));
    expect(bins).toHaveLength(10);
    expect(bins[3]).toEqual({ bin: 3, lower: 0.3, upper: 0.4, count: 2, meanConfidence: 0.325, accuracy: 0.5 });
    expect(bins[9]).toEqual({ bin: 9, lower: 0.9, upper: 1, count: 2, meanConfidence: 0.9, accuracy: 0.5 });
    expect(bins[0]).toEqual({ bin: 0, lower: 0, upper: 0.1, count: 0, meanConfidence: 0, accuracy: 0 });
  });

  it('puts lower edges in their own bin and 1 in the last bin', () => {
    const bins = calibrationBins(recs(['x', 'x', 0.7], ['x', 'x', 1], ['x', null, 0], ['x', 'x', 0.6999]));
    expect(bins[7].count).toBe(1);
    expect(bins[6].count).toBe(1);
    expect(bins[9].count).toBe(1);
    expect(bins[0]).toMatchObject({ count: 1, accuracy: 0 });
  });
});
