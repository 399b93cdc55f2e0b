import { describe, expect, it } from 'vitest';
import { sparseDot, sparseUpdate } from '../../../../../engine/models/fast/kernels';
import { mulberry32 } from '../../../../../engine/models/fast/random';

const random = mulberry32(5);
const dim = 20;
const indices = Int32Array.from([3, 0, 17, 8, 11]);
const values = Float32Array.from([0.5, -0.25, 0.125, 1, -2]);

describe('sparseDot', () => {
  // Every class count from 1 to 19 exercises each unrolled block (8, 4, 2, 1) and their combinations.
  for (let k = 1; k < 20; k++) {
    it(`matches the plain double loop with ${k} classes`, () => {
      const w = Float32Array.from({ length: dim * k }, () => random() - 0.5);
      const out = new Float64Array(k);
      sparseDot(w, k, indices, values, 1, 5, out);
      for (let c = 0; c < k; c++) {
        let expected = 0;
        for (let p = 1; p < 5; p++) expected += values[p] * w[indices[p] * k + c];
        expect(out[c]).toBeCloseTo(expected, 6);
      }
    });
  }
});

describe('sparseUpdate', () => {
  for (const active of [[], [2], [0, 4, 5], [0, 1, 2, 3, 4, 5, 6], [6, 1, 3, 0, 2]]) {
    it(`updates exactly the rows and classes given (${active.length} classes)`, () => {
      const k = 7;
      const w = Float32Array.from({ length: dim * k }, () => random());
      const before = w.slice();
      const g = Float64Array.from({ length: k }, () => random() - 0.5);
      sparseUpdate(w, k, indices, values, 0, 3, -0.5, Int32Array.from(active), g, active.length);
      const expected = before.slice();
      for (let p = 0; p < 3; p++) {
        active.forEach((c, a) => {
          expected[indices[p] * k + c] += -0.5 * values[p] * g[a];
        });
      }
      for (let i = 0; i < w.length; i++) expect(w[i]).toBeCloseTo(expected[i], 6);
    });
  }
});
