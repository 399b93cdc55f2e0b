import { describe, expect, it } from 'vitest';
import { BlockScaler, blockFactors } from '../../../../../engine/models/fast/block-scale';
import { FAST_DEFAULTS } from '../../../../../engine/models/fast';
import { FeatureSpace } from '../../../../../engine/models/fast/feature-space';
import { toyData } from './toy-data';

const texts = toyData(40, 9).texts;
const config = (charWeight: number) => ({ ...FAST_DEFAULTS, charWeight });

describe('blockFactors', () => {
  it('is the identity for the same weight and multiplies the char/word ratio by to/from', () => {
    expect(blockFactors(0.7, 0.7)).toEqual({ word: 1, char: 1 });
    const f = blockFactors(0.7, 1.4);
    expect(f.char / f.word).toBeCloseTo(2, 12);
    // Rows stay unit norm: word^2 + char^2 of the new weights over the old ones.
    expect((f.word ** 2 * 1 + f.char ** 2 * 0.49) / 1.49).toBeCloseTo(1, 12);
  });
});

describe('BlockScaler', () => {
  it('turns rows built with one char weight into the rows built with another, and back', () => {
    const base = FeatureSpace.fit(texts, config(0.7));
    const other = FeatureSpace.fit(texts, config(1.3)).matrix;
    const scaler = new BlockScaler(base.matrix, base.space.charBlock, 0.7);
    const original = base.matrix.values.slice();
    scaler.set(1.3);
    expect(scaler.charWeight).toBe(1.3);
    for (let j = 0; j < other.values.length; j++) expect(base.matrix.values[j]).toBeCloseTo(other.values[j], 6);
    scaler.set(0.7);
    for (let j = 0; j < original.length; j++) expect(base.matrix.values[j]).toBeCloseTo(original[j], 6);
  });

  it('folds weights learnt on rescaled rows so that the base rows give the same logits', () => {
    const { space, matrix } = FeatureSpace.fit(texts, config(0.7));
    const k = 2;
    const weights = Float32Array.from({ length: space.dim * k }, (_, i) => Math.sin(i));
    const logits = (w: Float32Array, r: number) => {
      const z = [0, 0];
      for (let j = matrix.indptr[r]; j < matrix.indptr[r + 1]; j++) {
        for (let c = 0; c < k; c++) z[c] += matrix.values[j] * w[matrix.indices[j] * k + c];
      }
      return z;
    };
    const scaler = new BlockScaler(matrix, space.charBlock, 0.7);
    scaler.set(1.5);
    const trained = Array.from({ length: 10 }, (_, r) => logits(weights, r));
    scaler.set(0.7);
    scaler.fold(weights, k, 1.5);
    for (let r = 0; r < 10; r++) {
      const z = logits(weights, r);
      expect(z[0]).toBeCloseTo(trained[r][0], 4);
      expect(z[1]).toBeCloseTo(trained[r][1], 4);
    }
  });
});
