/** A linear softmax classifier over sparse features: logits = x W + b. Shared by training and serving. */
import { sparseDot } from './kernels';
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
  sparseDot(model.weights, model.classes, x.indices, x.values, 0, x.indices.length, out);
  for (let c = 0; c < model.classes; c++) out[c] += model.bias[c];
}

export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}
