import { describe, expect, it } from 'vitest';
import { fitTemperature, softmaxWithTemperature, temperatureNll } from '../../../../engine/triage/calibrate';
import { mulberry32 } from '../../../../engine/models/fast/random';

/** Logits whose softmax is the true class distribution, labels sampled from it: perfectly calibrated. */
function calibratedSample(n: number, classes: number, seed: number): { logits: number[][]; labels: number[] } {
  const random = mulberry32(seed);
  const logits: number[][] = [];
  const labels: number[] = [];
  for (let i = 0; i < n; i++) {
    const z = Array.from({ length: classes }, () => (random() - 0.5) * 6);
    const p = softmaxWithTemperature(z, 1);
    let u = random();
    let y = 0;
    while (y < classes - 1 && u >= p[y]) u -= p[y++];
    logits.push(z);
    labels.push(y);
  }
  return { logits, labels };
}

describe('softmaxWithTemperature', () => {
  it('sums to 1, keeps the order, and flattens as T grows', () => {
    const z = [2, 0, -1];
    const p1 = softmaxWithTemperature(z, 1);
    const p5 = softmaxWithTemperature(new Float32Array(z), 5);
    expect(p1.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
    expect(p5.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
    expect(p1[0]).toBeGreaterThan(p1[1]);
    expect(p5[0]).toBeLessThan(p1[0]);
    expect(softmaxWithTemperature([1000, 0], 1)[0]).toBe(1); // no overflow
  });

  it('rejects a non-positive temperature', () => {
    expect(() => softmaxWithTemperature([1, 2], 0)).toThrow(/temperature/);
  });
});

describe('fitTemperature', () => {
  it('raises T and lowers NLL on over-confident logits', () => {
    const { logits, labels } = calibratedSample(2000, 4, 1);
    const overconfident = logits.map((z) => z.map((v) => v * 4));
    const t = fitTemperature(overconfident, labels);
    expect(t).toBeGreaterThan(3);
    expect(t).toBeLessThan(5.5);
    expect(temperatureNll(overconfident, labels, t)).toBeLessThan(temperatureNll(overconfident, labels, 1) - 0.1);
  });

  it('lowers T on under-confident logits', () => {
    const { logits, labels } = calibratedSample(2000, 4, 2);
    const t = fitTemperature(logits.map((z) => z.map((v) => v / 3)), labels);
    expect(t).toBeGreaterThan(0.2);
    expect(t).toBeLessThan(0.5);
  });

  it('leaves well-calibrated logits near T = 1', () => {
    const { logits, labels } = calibratedSample(3000, 5, 3);
    expect(fitTemperature(logits.map((z) => Float32Array.from(z)), labels)).toBeCloseTo(1, 0);
    expect(Math.abs(fitTemperature(logits, labels) - 1)).toBeLessThan(0.1);
  });

  it('returns 1 without data and stays within its bounds', () => {
    expect(fitTemperature([], [])).toBe(1);
    // Always right with a margin: NLL keeps falling as T shrinks, so the fit stops at the lower bound.
    const t = fitTemperature([[5, 0], [0, 5]], [0, 1], { min: 0.1, max: 10 });
    expect(t).toBeGreaterThanOrEqual(0.1);
    expect(t).toBeLessThan(0.11);
  });

  it('rejects labels that are not class indices', () => {
    expect(() => fitTemperature([[1, 2]], [2])).toThrow(/not a class index/);
    expect(() => fitTemperature([[1, 2]], [0, 1])).toThrow(/1 logit rows but 2 labels/);
  });
});

describe('fitTemperature optimality', () => {
  it('finds the minimum of the NLL that a fine grid search finds, or better', () => {
    for (const [scale, seed] of [[0.5, 11], [1, 12], [3, 13], [8, 14]]) {
      const { logits, labels } = calibratedSample(500, 6, seed);
      const scaled = logits.map((z) => z.map((v) => v * scale));
      const fitted = temperatureNll(scaled, labels, fitTemperature(scaled, labels));
      let gridBest = Infinity;
      for (let logT = Math.log(0.05); logT <= Math.log(20); logT += 0.01) {
        gridBest = Math.min(gridBest, temperatureNll(scaled, labels, Math.exp(logT)));
      }
      expect(fitted).toBeLessThanOrEqual(gridBest + 1e-9);
    }
  });
});
