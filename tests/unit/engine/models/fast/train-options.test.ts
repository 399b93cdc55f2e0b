import { describe, expect, it } from 'vitest';
import { FAST_DEFAULTS } from '../../../../../engine/models/fast';
import { PATIENT_BELOW, resolveHyperparameters, resolvePatience } from '../../../../../engine/models/fast/train-options';

describe('resolvePatience', () => {
  it("waits longer on a small (noisy) validation split when 'auto'", () => {
    expect(FAST_DEFAULTS.patience).toBe('auto');
    expect(resolvePatience('auto', 405)).toBe(4);
    expect(resolvePatience('auto', PATIENT_BELOW - 1)).toBe(4);
    expect(resolvePatience('auto', PATIENT_BELOW)).toBe(2);
    expect(resolvePatience('auto', 5000)).toBe(2);
  });

  it('keeps an explicit patience whatever the validation size', () => {
    expect(resolvePatience(3, 100)).toBe(3);
    expect(resolvePatience(resolveHyperparameters({ patience: 1 }).patience, 100)).toBe(1);
  });
});

describe('resolveHyperparameters', () => {
  it('searches no per-field settings unless asked', () => {
    expect(resolveHyperparameters({}).fieldSearch).toEqual([]);
    expect(resolveHyperparameters({ fieldSearch: [{ learningRate: 2 }] }).fieldSearch).toEqual([{ learningRate: 2 }]);
  });
});
