/** A linear softmax classifier over sparse features: logits = x W + b. Shared by training and serving. */
import type { SparseVector } from './sparse';

export interface LinearSoftmax {
  dim: number;
  classes: number;
  /** Row-major [feature][class]: one sparse feature touches one contiguous run of `classes` floats. */
  weights: Float32Array;
  bias: Float32Array;
}

/** Writes the logits of `x` into `out` (length `classes`). */
export function linearLogits(model: LinearSoftmax, x: SparseVector, out: Float64Array): void {
  const k = model.classes;
  const w = model.weights;
  for (let c = 0; c < k; c++) out[c] = model.bias[c];
  for (let p = 0; p < x.indices.length; p++) {
    const base = x.indices[p] * k;
    const v = x.values[p];
    for (let c = 0; c < k; c++) out[c] += v * w[base + c];
  }
}

export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}
