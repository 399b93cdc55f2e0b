import { describe, expect, it } from 'vitest';
import { DEFAULT_FEATURE_CONFIG } from '../../../../../engine/models/fast/features';
import { FeatureSpace, type FeatureSpaceConfig } from '../../../../../engine/models/fast/feature-space';
import { csrRow, type SparseVector } from '../../../../../engine/models/fast/sparse';

const config: FeatureSpaceConfig = {
  ...DEFAULT_FEATURE_CONFIG,
  minDf: 2,
  maxFeatures: 1_000_000,
  sublinearTf: true,
  charWeight: 1,
};
const texts = ['printer jam in office', 'printer out of toner', 'password reset please', 'reset my password now', 'unique zebra'];
const norm = (v: SparseVector) => Math.sqrt(v.values.reduce((s, x) => s + x * x, 0));

describe('FeatureSpace', () => {
  it('drops n-grams seen in fewer than minDf texts', () => {
    const { space } = FeatureSpace.fit(texts, config);
    expect(space.vectorize('zebra').indices.length).toBe(0); // in one training text only
    expect(space.vectorize('printer').indices.length).toBeGreaterThan(0);
    const loose = FeatureSpace.fit(texts, { ...config, minDf: 1 }).space;
    expect(loose.dim).toBeGreaterThan(space.dim);
    expect(loose.vectorize('zebra').indices.length).toBeGreaterThan(0);
  });

  it('returns training rows equal to vectorising the same texts, L2-normalised', () => {
    const { space, matrix } = FeatureSpace.fit(texts, config);
    expect(matrix.rows).toBe(texts.length);
    for (let r = 0; r < texts.length - 1; r++) {
      const row = csrRow(matrix, r);
      const again = space.vectorize(texts[r]);
      expect(Array.from(row.indices)).toEqual(Array.from(again.indices));
      expect(Array.from(row.values)).toEqual(Array.from(again.values));
      expect(norm(row)).toBeCloseTo(1, 5);
    }
  });

  it('weighs rare n-grams above common ones (IDF)', () => {
    const { space } = FeatureSpace.fit(['aa bb', 'aa bb', 'aa cc', 'aa cc', 'aa dd'], { ...config, charNgramMax: 0, wordNgramMax: 1 });
    const v = space.vectorize('aa bb');
    const [common, rare] = [...v.values].sort((a, b) => a - b);
    expect(rare).toBeGreaterThan(common);
  });

  it('respects maxFeatures, keeping the most frequent n-grams', () => {
    const { space } = FeatureSpace.fit(texts, { ...config, maxFeatures: 10 });
    expect(space.dim).toBe(10);
    expect(Array.from(space.keys)).toEqual(Array.from(space.keys).sort((a, b) => a - b));
  });

  it('ignores n-grams it never saw and gives an empty vector for empty text', () => {
    const { space } = FeatureSpace.fit(texts, config);
    expect(space.vectorize('').indices.length).toBe(0);
    expect(norm(space.vectorize('printer qqqq'))).toBeCloseTo(1, 5);
  });
});
