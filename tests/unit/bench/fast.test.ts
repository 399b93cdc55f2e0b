import { describe, expect, it } from 'vitest';
import { parseFastBenchArgs } from '../../../bench/fast';

describe('parseFastBenchArgs', () => {
  it('has defaults that run everything on one split', () => {
    expect(parseFastBenchArgs([])).toEqual({ seed: 42, splits: 1, demoCount: 50_000, baseline: true, baselineMaxTrain: Infinity });
  });

  it('reads every option', () => {
    const opts = parseFastBenchArgs(['--seed', '7', '--splits', '3', '--demo-count', '0', '--only', 'support', '--no-baseline']);
    expect(opts).toMatchObject({ seed: 7, splits: 3, demoCount: 0, only: 'support', baseline: false });
    expect(parseFastBenchArgs(['--quick']).baselineMaxTrain).toBe(10_000);
  });

  it('rejects unknown options and missing values', () => {
    expect(() => parseFastBenchArgs(['--fast'])).toThrow(/unknown option --fast/);
    expect(() => parseFastBenchArgs(['--seed'])).toThrow(/--seed needs a value/);
  });
});
