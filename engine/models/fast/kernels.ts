/**
 * The two inner loops of the fast tier, hand-unrolled. Weights are row-major [feature][class] float32.
 * Iterating classes in blocks of eight (then 4, 2, 1) with the partial sums in locals (not in the output array) keeps them in
 * registers: about twice the throughput of the plain double loop in V8, and these loops are nearly all of
 * training time (forward for every class, update for every row) and of prediction time.
 */

/** out[c] = sum over p in [start, end) of values[p] * w[indices[p] * k + c], for every class c < k. */
export function sparseDot(
  w: Float32Array,
  k: number,
  indices: Int32Array,
  values: Float32Array,
  start: number,
  end: number,
  out: Float64Array,
): void {
  let c = 0;
  // Eight classes per pass over the row: fewer passes re-reading indices/values, more independent sums.
  for (; c + 8 <= k; c += 8) {
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    let a4 = 0;
    let a5 = 0;
    let a6 = 0;
    let a7 = 0;
    for (let p = start; p < end; p++) {
      const b = indices[p] * k + c;
      const x = values[p];
      a0 += x * w[b];
      a1 += x * w[b + 1];
      a2 += x * w[b + 2];
      a3 += x * w[b + 3];
      a4 += x * w[b + 4];
      a5 += x * w[b + 5];
      a6 += x * w[b + 6];
      a7 += x * w[b + 7];
    }
    out[c] = a0;
    out[c + 1] = a1;
    out[c + 2] = a2;
    out[c + 3] = a3;
    out[c + 4] = a4;
    out[c + 5] = a5;
    out[c + 6] = a6;
    out[c + 7] = a7;
  }
  if (c + 4 <= k) {
    let a0 = 0;
    let a1 = 0;
    let a2 = 0;
    let a3 = 0;
    for (let p = start; p < end; p++) {
      const b = indices[p] * k + c;
      const x = values[p];
      a0 += x * w[b];
      a1 += x * w[b + 1];
      a2 += x * w[b + 2];
      a3 += x * w[b + 3];
    }
    out[c] = a0;
    out[c + 1] = a1;
    out[c + 2] = a2;
    out[c + 3] = a3;
    c += 4;
  }
  if (c + 2 <= k) {
    let a0 = 0;
    let a1 = 0;
    for (let p = start; p < end; p++) {
      const b = indices[p] * k + c;
      const x = values[p];
      a0 += x * w[b];
      a1 += x * w[b + 1];
    }
    out[c] = a0;
    out[c + 1] = a1;
    c += 2;
  }
  if (c < k) {
    let a0 = 0;
    for (let p = start; p < end; p++) a0 += values[p] * w[indices[p] * k + c];
    out[c] = a0;
  }
}

/**
 * w[indices[p] * k + classes[a]] += alpha * values[p] * g[a] for p in [start, end), a < count: the SGD update
 * restricted to the classes whose gradient is not negligible.
 */
export function sparseUpdate(
  w: Float32Array,
  k: number,
  indices: Int32Array,
  values: Float32Array,
  start: number,
  end: number,
  alpha: number,
  classes: Int32Array,
  g: Float64Array,
  count: number,
): void {
  let a = 0;
  for (; a + 4 <= count; a += 4) {
    const c0 = classes[a];
    const c1 = classes[a + 1];
    const c2 = classes[a + 2];
    const c3 = classes[a + 3];
    const g0 = alpha * g[a];
    const g1 = alpha * g[a + 1];
    const g2 = alpha * g[a + 2];
    const g3 = alpha * g[a + 3];
    for (let p = start; p < end; p++) {
      const b = indices[p] * k;
      const x = values[p];
      w[b + c0] += x * g0;
      w[b + c1] += x * g1;
      w[b + c2] += x * g2;
      w[b + c3] += x * g3;
    }
  }
  for (; a < count; a++) {
    const c0 = classes[a];
    const g0 = alpha * g[a];
    for (let p = start; p < end; p++) w[indices[p] * k + c0] += values[p] * g0;
  }
}
