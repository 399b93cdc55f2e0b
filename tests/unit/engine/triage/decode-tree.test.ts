import { describe, expect, it } from 'vitest';
import type { Candidate } from '../../../../engine/triage/decode-choices';
import { decodeForest, type TreeField } from '../../../../engine/triage/decode-tree';

/** Small deterministic PRNG so failures are reproducible. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** A random forest of 2-4 fields; children pick random parent values (sometimes none). */
function randomForest(rand: () => number): TreeField[] {
  const nFields = 2 + Math.floor(rand() * 3);
  const fields: TreeField[] = [];
  for (let f = 0; f < nFields; f++) {
    const parent = f > 0 && rand() < 0.8 ? fields[Math.floor(rand() * f)] : null;
    const n = 1 + Math.floor(rand() * 4);
    const raw = Array.from({ length: n }, () => 0.05 + rand());
    const total = raw.reduce((s, x) => s + x, 0);
    const candidates: Candidate[] = raw.map((p, i) => ({
      value: `f${f}v${i}`,
      label: `f${f}v${i}`,
      p: p / total,
      parent: parent && rand() < 0.85 ? parent.candidates[Math.floor(rand() * parent.candidates.length)].value : null,
    }));
    fields.push({ field: `f${f}`, parentField: parent?.field ?? null, candidates });
  }
  return fields;
}

/** Whether candidate `c` of field `k` may sit under its parent field's candidate `parentPick` (any, if no parent). */
function compatible(fields: TreeField[], k: number, c: Candidate, parentPick: number): boolean {
  const pf = fields.find((x) => x.field === fields[k].parentField);
  return !pf || c.parent === null || pf.candidates[parentPick].value === c.parent;
}

/**
 * Enumerates every assignment: exact marginals, Z and the MAP assignment (only to count how often the rule departs
 * from it); then applies the decoding rule to the brute-force marginals, parents first (a parent always precedes its
 * children in `fields`): a root takes its argmax marginal, a child its argmax marginal among the values compatible
 * with its parent's chosen value, the first candidate on ties.
 */
function bruteForce(fields: TreeField[]) {
  const indexOf = new Map(fields.map((f, k) => [f.field, k]));
  const parentOf = (k: number) => (fields[k].parentField ? indexOf.get(fields[k].parentField!) : undefined);
  const marg = fields.map((f) => f.candidates.map(() => 0));
  let z = 0;
  let best = 0;
  let mapPick: number[] = [];
  const pick: number[] = [];
  const walk = (k: number, w: number) => {
    if (k === fields.length) {
      z += w;
      if (w > best) {
        best = w;
        mapPick = pick.slice();
      }
      pick.forEach((i, f) => (marg[f][i] += w));
      return;
    }
    const pi = parentOf(k);
    fields[k].candidates.forEach((c, i) => {
      if (pi !== undefined && !compatible(fields, k, c, pick[pi])) return;
      pick[k] = i;
      walk(k + 1, w * c.p);
    });
  };
  walk(0, 1);
  const marginals = marg.map((m) => m.map((x) => x / z));
  const chosen: number[] = [];
  fields.forEach((f, k) => {
    const pi = parentOf(k);
    let bestI = -1;
    f.candidates.forEach((c, i) => {
      if (pi !== undefined && !compatible(fields, k, c, chosen[pi])) return;
      if (bestI < 0 || marginals[k][i] > marginals[k][bestI]) bestI = i;
    });
    chosen.push(bestI);
  });
  return { z, marginals, chosen, mapPick };
}

describe('decodeForest', () => {
  it('matches brute-force marginals and the top-down-by-marginals choice on random forests', () => {
    const rand = rng(42);
    let checked = 0;
    let differsFromMap = 0;
    for (let t = 0; t < 400; t++) {
      const fields = randomForest(rand);
      const result = decodeForest(fields);
      if ([...result.values()].some((r) => !r.ok)) continue; // detached fields: covered by decode.test.ts
      const bf = bruteForce(fields);
      expect(bf.z).toBeGreaterThan(0);
      fields.forEach((f, k) => {
        const r = result.get(f.field)!;
        if (!r.ok) throw new Error('unreachable');
        r.marginals.forEach((m, i) => expect(m).toBeCloseTo(bf.marginals[k][i], 9));
        expect(r.chosen).toBe(bf.chosen[k]);
        expect(r.marginals[r.chosen]).toBeGreaterThan(0);
        const c = f.candidates[r.chosen];
        if (!f.parentField) {
          // A root never reports a lower confidence than one of its alternatives.
          for (const m of r.marginals) expect(r.marginals[r.chosen]).toBeGreaterThanOrEqual(m);
        } else if (c.parent !== null) {
          // The chosen child is valid under the chosen parent.
          const parent = result.get(f.parentField)!;
          const pf = fields.find((x) => x.field === f.parentField)!;
          if (parent.ok) expect(pf.candidates[parent.chosen].value).toBe(c.parent);
        }
      });
      if (bf.chosen.some((i, k) => i !== bf.mapPick[k])) differsFromMap++;
      checked++;
    }
    expect(checked).toBeGreaterThan(100);
    // The random forests do exercise cases where the rule departs from MAP.
    expect(differsFromMap).toBeGreaterThan(5);
  });

  it('stays exact on long chains of wide fields without underflow', () => {
    const width = 200;
    const fields: TreeField[] = [];
    for (let f = 0; f < 8; f++) {
      fields.push({
        field: `f${f}`,
        parentField: f > 0 ? `f${f - 1}` : null,
        candidates: Array.from({ length: width }, (_, i) => ({
          value: `v${i}`,
          label: `v${i}`,
          p: 1e-60, // 8 levels multiply to 1e-480: underflows unless messages are rescaled
          // Each value's only child is the same index one level down: the chain stays consistent.
          parent: f > 0 ? `v${i}` : null,
        })),
      });
    }
    const result = decodeForest(fields);
    for (const r of result.values()) {
      expect(r.ok).toBe(true);
      if (r.ok) expect(r.marginals.reduce((s, x) => s + x, 0)).toBeCloseTo(1, 9);
    }
  });
});
