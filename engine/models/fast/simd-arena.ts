/**
 * One WebAssembly memory per training run holding what the SIMD kernels touch: the rows (CSR indices and
 * values, copied in once and shared by every field) and one field's live weights at a time. The rows are
 * handed back as views into that memory, so the JavaScript copy can be dropped.
 */
import type { CsrMatrix } from './sparse';
import { type SimdKernels, createSimdKernels } from './wasm-simd';

/** Floats per weight row: classes rounded up to whole 4-float vectors (the padding columns stay zero). */
export function paddedStride(classes: number): number {
  return (classes + 3) & ~3;
}

const align16 = (n: number) => (n + 15) & ~15;

export const LIVE = 0;
export const SCRATCH = 1;
export type WeightSlot = typeof LIVE | typeof SCRATCH;

export class SimdArena {
  /** The rows, as views into the arena's memory. */
  readonly x: CsrMatrix;
  private readonly out: Float32Array;
  private readonly grad: Float32Array;

  private constructor(
    private readonly kernels: SimdKernels,
    x: CsrMatrix,
    private readonly valuesAt: number,
    private readonly weightsAt: number,
    private readonly maxWeights: number,
    private readonly outAt: number,
    private readonly gradAt: number,
    maxStride: number,
  ) {
    const buffer = kernels.memory.buffer;
    const nnz = x.indices.length;
    const indices = new Int32Array(buffer, 0, nnz);
    const values = new Float32Array(buffer, valuesAt, nnz);
    indices.set(x.indices);
    values.set(x.values);
    this.x = { rows: x.rows, indptr: x.indptr, indices, values };
    this.out = new Float32Array(buffer, outAt, maxStride);
    this.grad = new Float32Array(buffer, gradAt, maxStride);
  }

  /** An arena for `x` and weight matrices of up to dim x maxClasses; null without WebAssembly SIMD. */
  static create(x: CsrMatrix, dim: number, maxClasses: number): SimdArena | null {
    const nnz = x.indices.length;
    const maxStride = paddedStride(maxClasses);
    const valuesAt = align16(nnz * 4);
    const weightsAt = align16(valuesAt + nnz * 4);
    const maxWeights = dim * maxStride;
    // Two weight slots: the live iterate (LIVE) and a copy of the averaged model being evaluated (SCRATCH).
    const outAt = align16(weightsAt + 2 * maxWeights * 4);
    const gradAt = align16(outAt + maxStride * 4);
    const kernels = createSimdKernels(gradAt + maxStride * 4);
    if (!kernels) return null;
    return new SimdArena(kernels, x, valuesAt, weightsAt, maxWeights, outAt, gradAt, maxStride);
  }

  /** The weights of `slot` (dim x stride floats, zeroed), valid until the next call for that slot. */
  weights(slot: WeightSlot, size: number): Float32Array {
    if (size > this.maxWeights) throw new Error(`simd arena: ${size} weights requested, room for ${this.maxWeights}`);
    const view = new Float32Array(this.kernels.memory.buffer, this.slotAt(slot), size);
    view.fill(0);
    return view;
  }

  /** z[c] = row . w[:, c] for c < z.length, over rows [start, end) of `x`, with the weights in `slot`. */
  dot(slot: WeightSlot, stride: number, start: number, end: number, z: Float64Array): void {
    this.kernels.dot(this.slotAt(slot), stride * 4, 0, this.valuesAt, start, end, this.outAt);
    for (let c = 0; c < z.length; c++) z[c] = this.out[c];
  }

  /** Live w[:, classes[a]] += alpha * g[a] * row; every other class untouched (its gradient entry is zero). */
  axpy(stride: number, start: number, end: number, alpha: number, classes: Int32Array, g: Float64Array, count: number): void {
    this.grad.fill(0, 0, stride);
    for (let a = 0; a < count; a++) this.grad[classes[a]] = alpha * g[a];
    this.kernels.axpy(this.slotAt(LIVE), stride * 4, 0, this.valuesAt, start, end, this.gradAt);
  }

  private slotAt(slot: WeightSlot): number {
    return this.weightsAt + slot * this.maxWeights * 4;
  }
}
