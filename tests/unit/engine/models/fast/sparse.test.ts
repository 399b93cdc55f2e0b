import { describe, expect, it } from 'vitest';
import { CsrBuilder, csrRow } from '../../../../../engine/models/fast/sparse';

describe('CsrBuilder', () => {
  it('keeps rows in order, empty ones included, past its initial capacity', () => {
    const builder = new CsrBuilder();
    const rows = Array.from({ length: 300 }, (_, r) => ({
      indices: Int32Array.from({ length: r % 37 }, (_, i) => i * 3 + r),
      values: Float32Array.from({ length: r % 37 }, (_, i) => i / 10),
    }));
    rows.forEach((row) => builder.push(row));
    const m = builder.build();
    expect(m.rows).toBe(300);
    expect(m.indptr[300]).toBe(rows.reduce((s, r) => s + r.indices.length, 0));
    for (const r of [0, 1, 36, 37, 299]) {
      expect(Array.from(csrRow(m, r).indices)).toEqual(Array.from(rows[r].indices));
      expect(Array.from(csrRow(m, r).values)).toEqual(Array.from(rows[r].values));
    }
  });
});
