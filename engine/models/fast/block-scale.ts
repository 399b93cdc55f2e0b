/**
 * A per-field char-block weight without a per-field feature space. The rows are vectorised once with the
 * space's charWeight c0: word block u_w / T(c0), char block c0 u_c / T(c0), T(c) = sqrt(1 + c^2) (both blocks
 * unit-normalised before weighting). The same rows with another weight c are the old ones times a constant
 * per block, so a field can train on rescaled rows (in place, no copy of the matrix) and fold that constant
 * into its weights: x' . w = x . (D w). Prediction then stays one vectorisation for all fields.
 *
 * Rows with one block only (no char or no word n-gram known) are norm 1 whatever the weight: training leaves
 * them alone; at prediction the folded weights scale their logits by that block's factor (argmax unchanged,
 * confidence a little off, on texts that are nearly all unknown n-grams anyway).
 */
import type { CsrMatrix } from './sparse';

export interface BlockFactors {
  word: number;
  char: number;
}

/** Per-block factors turning rows built with char weight `from` into rows built with `to` (both > 0). */
export function blockFactors(from: number, to: number): BlockFactors {
  const ratio = Math.sqrt(1 + from * from) / Math.sqrt(1 + to * to);
  return { word: ratio, char: (to / from) * ratio };
}

/** Rescales the two-block rows of a matrix in place to a chosen char weight; remembers where it stands. */
export class BlockScaler {
  private readonly twoBlocks: Uint8Array;
  private current: number;

  /** `isChar[i]` = 1 when feature i is a char n-gram; `base` the char weight the rows were built with. */
  constructor(
    private readonly x: CsrMatrix,
    private readonly isChar: Uint8Array,
    private readonly base: number,
  ) {
    this.current = base;
    this.twoBlocks = new Uint8Array(x.rows);
    for (let r = 0; r < x.rows; r++) {
      let word = false;
      let char = false;
      for (let j = x.indptr[r]; j < x.indptr[r + 1]; j++) {
        if (isChar[x.indices[j]]) char = true;
        else word = true;
      }
      this.twoBlocks[r] = word && char ? 1 : 0;
    }
  }

  get charWeight(): number {
    return this.current;
  }

  /** Rows as if built with char weight `to` (from the current state: one multiply per value). */
  set(to: number): void {
    if (to === this.current) return;
    // Relative float error ~1e-7 per change: a few changes per field leave the rows as good as rebuilt.
    const f = blockFactors(this.current, to);
    const { indptr, indices, values } = this.x;
    for (let r = 0; r < this.x.rows; r++) {
      if (!this.twoBlocks[r]) continue;
      for (let j = indptr[r]; j < indptr[r + 1]; j++) values[j] *= this.isChar[indices[j]] ? f.char : f.word;
    }
    this.current = to;
  }

  /**
   * Weights (dim x k, row-major) learnt on rows of char weight `trained`, rewritten in place for rows of the
   * base weight: w[f] *= factor of f's block from base to `trained`.
   */
  fold(weights: Float32Array, k: number, trained: number): void {
    if (trained === this.base) return;
    const f = blockFactors(this.base, trained);
    for (let i = 0; i < this.isChar.length; i++) {
      const s = this.isChar[i] ? f.char : f.word;
      for (let c = i * k; c < (i + 1) * k; c++) weights[c] *= s;
    }
  }
}
