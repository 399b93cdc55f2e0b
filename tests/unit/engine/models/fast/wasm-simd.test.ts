import { describe, expect, it } from 'vitest';
import { sparseDot } from '../../../../../engine/models/fast/kernels';
import { mulberry32 } from '../../../../../engine/models/fast/random';
import { LIVE, SCRATCH, SimdArena, paddedStride } from '../../../../../engine/models/fast/simd-arena';
import { CsrBuilder } from '../../../../../engine/models/fast/sparse';
import { createSimdKernels } from '../../../../../engine/models/fast/wasm-simd';

const random = mulberry32(9);
const dim = 40;

/** Ten random rows over `dim` features. */
function rows() {
  const builder = new CsrBuilder();
  for (let r = 0; r < 10; r++) {
    const n = 1 + Math.floor(random() * 12);
    builder.push({
      indices: Int32Array.from({ length: n }, () => Math.floor(random() * dim)),
      values: Float32Array.from({ length: n }, () => random() - 0.5),
    });
  }
  return builder.build();
}

describe('WebAssembly SIMD kernels', () => {
  it('compiles on this runtime (Node 20 has SIMD)', () => {
    expect(createSimdKernels(1024)).not.toBeNull();
  });

  // 1..21 classes: padded strides 4..24 exercise the 16-class passes and the 4-class remainder passes.
  for (const k of [1, 3, 4, 5, 15, 16, 17, 21]) {
    it(`dot and axpy match the JS kernels with ${k} classes`, () => {
      const x = rows();
      const arena = SimdArena.create(x, dim, k)!;
      const stride = paddedStride(k);
      const w = arena.weights(LIVE, dim * stride);
      for (let f = 0; f < dim; f++) for (let c = 0; c < k; c++) w[f * stride + c] = random() - 0.5;
      const reference = w.slice();

      for (let r = 0; r < x.rows; r++) {
        const [s, e] = [x.indptr[r], x.indptr[r + 1]];
        const z = new Float64Array(k);
        arena.dot(LIVE, stride, s, e, z);
        const expected = new Float64Array(stride);
        sparseDot(reference, stride, x.indices, x.values, s, e, expected);
        for (let c = 0; c < k; c++) expect(z[c]).toBeCloseTo(expected[c], 5);
      }

      // Update two classes of row 3; every other weight must stay as it was.
      const [s, e] = [x.indptr[3], x.indptr[4]];
      const classes = Int32Array.from(k > 1 ? [0, k - 1] : [0]);
      const g = Float64Array.from([0.5, -0.25]);
      arena.axpy(stride, s, e, -2, classes, g, classes.length);
      const expected = reference.slice();
      for (let p = s; p < e; p++) {
        classes.forEach((c, a) => {
          expected[x.indices[p] * stride + c] += -2 * g[a] * x.values[p];
        });
      }
      for (let i = 0; i < w.length; i++) expect(w[i]).toBeCloseTo(expected[i], 5);
    });
  }

  it('keeps the two weight slots apart and rejects oversized requests', () => {
    const x = rows();
    const arena = SimdArena.create(x, dim, 8)!;
    const live = arena.weights(LIVE, dim * 8);
    live.fill(1);
    const scratch = arena.weights(SCRATCH, dim * 8);
    expect(scratch.every((v) => v === 0)).toBe(true);
    expect(live.every((v) => v === 1)).toBe(true);
    expect(() => arena.weights(LIVE, dim * 8 + 1)).toThrow(/room for/);
    expect(Array.from(arena.x.indices)).toEqual(Array.from(x.indices));
  });
});
