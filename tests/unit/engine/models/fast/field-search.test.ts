import { describe, expect, it } from 'vitest';
import { type FieldSetting, type SettingScore, balancedClassWeights, pickSetting } from '../../../../../engine/models/fast/field-search';

const setting = (learningRate: number): FieldSetting => ({ learningRate, charWeight: 0.7, classWeight: 'none' });
const score = (learningRate: number, validationLoss: number, validationAccuracy = 0.5): SettingScore => ({
  setting: setting(learningRate),
  validationLoss,
  validationAccuracy,
  bestEpoch: 3,
});

describe('pickSetting', () => {
  it('keeps the lowest validation loss, whatever the accuracy', () => {
    expect(pickSetting([score(1, 0.9, 0.9), score(2, 0.7, 0.6), score(0.5, 0.8, 0.95)])).toBe(1);
  });

  it('gives ties to the earlier candidate (the global setting comes first)', () => {
    expect(pickSetting([score(1, 0.7), score(2, 0.7), score(3, 0.7 - 1e-12)])).toBe(0);
  });

  it('refuses an empty list', () => {
    expect(() => pickSetting([])).toThrow(/no candidate/);
  });
});

describe('balancedClassWeights', () => {
  it('weights classes by n / (classes x count), ignoring unknown labels, 1 for unseen classes', () => {
    const w = balancedClassWeights(Int32Array.from([0, 0, 0, 1, -1]), 3);
    expect([...w]).toEqual([4 / 9, 4 / 3, 1]);
  });
});
