/** Sparse rows for the linear models: compressed sparse rows (CSR), float32 values, int32 feature indices. */

export interface SparseVector {
  indices: Int32Array;
  values: Float32Array;
}

export interface CsrMatrix {
  rows: number;
  /** Row r spans indices/values [indptr[r], indptr[r + 1]). */
  indptr: Int32Array;
  indices: Int32Array;
  values: Float32Array;
}

/**
 * Appends rows one at a time into growing typed arrays, so a 50k-ticket corpus needs no per-row objects.
 * Give `capacity` (an upper bound of the non-zeros) when known: no regrowth, and build() need not copy.
 */
export class CsrBuilder {
  private indptr: number[] = [0];
  private indices: Int32Array;
  private values: Float32Array;
  private nnz = 0;

  constructor(capacity = 4096) {
    this.indices = new Int32Array(Math.max(16, capacity));
    this.values = new Float32Array(Math.max(16, capacity));
  }

  push(row: SparseVector): void {
    const need = this.nnz + row.indices.length;
    if (need > this.indices.length) {
      let cap = this.indices.length;
      while (cap < need) cap *= 2;
      const indices = new Int32Array(cap);
      indices.set(this.indices.subarray(0, this.nnz));
      const values = new Float32Array(cap);
      values.set(this.values.subarray(0, this.nnz));
      this.indices = indices;
      this.values = values;
    }
    this.indices.set(row.indices, this.nnz);
    this.values.set(row.values, this.nnz);
    this.nnz = need;
    this.indptr.push(need);
  }

  build(): CsrMatrix {
    // A tight fit is returned as views (the matrix of a 50k tenant is ~100 MB: no second copy at the peak).
    const tight = this.nnz >= this.indices.length * 0.9;
    return {
      rows: this.indptr.length - 1,
      indptr: Int32Array.from(this.indptr),
      indices: tight ? this.indices.subarray(0, this.nnz) : this.indices.slice(0, this.nnz),
      values: tight ? this.values.subarray(0, this.nnz) : this.values.slice(0, this.nnz),
    };
  }
}

export function csrRow(m: CsrMatrix, r: number): SparseVector {
  return { indices: m.indices.subarray(m.indptr[r], m.indptr[r + 1]), values: m.values.subarray(m.indptr[r], m.indptr[r + 1]) };
}

