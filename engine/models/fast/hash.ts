/**
 * Hashing primitives for the fast tier's features.
 *
 * Features are hashed (32-bit FNV-1a over UTF-16 code units) instead of kept as strings: no substring
 * allocation on the hot path, and the model stores one uint32 per kept feature instead of its text.
 * Training then keeps only hashes seen often enough (see feature-space.ts), so the weight matrix stays
 * compact; collisions at 32 bits are rare enough to be harmless.
 */

export const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** One FNV-1a step: feed one 16-bit code unit into hash `h`. */
export function fnvStep(h: number, codeUnit: number): number {
  // Two bytes per UTF-16 unit, so 'ä' (0x00e4) and a pair of ASCII bytes cannot alias.
  h = Math.imul(h ^ (codeUnit & 0xff), FNV_PRIME);
  return Math.imul(h ^ (codeUnit >>> 8), FNV_PRIME);
}

/** Hash of a whole string, starting from `seed` (different seeds give independent feature namespaces). */
export function hashString(text: string, seed: number = FNV_OFFSET): number {
  let h = seed | 0;
  for (let i = 0; i < text.length; i++) h = fnvStep(h, text.charCodeAt(i));
  return h >>> 0;
}

/** Final avalanche (murmur3 fmix32): FNV's low bits are weak, and the tables below index by low bits. */
export function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Combines two hashes into one (order matters: "a b" != "b a"). */
export function combine(a: number, b: number): number {
  return mix32((Math.imul(a, 0x9e3779b1) ^ b) >>> 0);
}

/**
 * Open-addressing map from uint32 key to a non-negative int32 value (linear probing, power-of-two size).
 * A typed-array table instead of Map: several times faster on the millions of lookups feature extraction
 * does, and a tiny, predictable memory footprint.
 */
export class U32Map {
  private keys: Uint32Array;
  private values: Int32Array; // -1 marks an empty slot, so any uint32 key (0 included) is allowed
  private mask: number;
  private count = 0;

  constructor(expected = 1024) {
    let cap = 16;
    while (cap < expected * 2) cap *= 2;
    this.keys = new Uint32Array(cap);
    this.values = new Int32Array(cap).fill(-1);
    this.mask = cap - 1;
  }

  get size(): number {
    return this.count;
  }

  get(key: number): number {
    let i = mix32(key) & this.mask;
    for (;;) {
      const v = this.values[i];
      if (v < 0) return -1;
      if (this.keys[i] === key) return v;
      i = (i + 1) & this.mask;
    }
  }

  set(key: number, value: number): void {
    let i = mix32(key) & this.mask;
    for (;;) {
      if (this.values[i] < 0) {
        this.keys[i] = key;
        this.values[i] = value;
        if (++this.count * 2 > this.mask) this.grow();
        return;
      }
      if (this.keys[i] === key) {
        this.values[i] = value;
        return;
      }
      i = (i + 1) & this.mask;
    }
  }

  /** Adds `delta` to the value at `key` (0 when absent); used to count document frequencies. */
  add(key: number, delta: number): void {
    let i = mix32(key) & this.mask;
    for (;;) {
      if (this.values[i] < 0) {
        this.keys[i] = key;
        this.values[i] = delta;
        if (++this.count * 2 > this.mask) this.grow();
        return;
      }
      if (this.keys[i] === key) {
        this.values[i] += delta;
        return;
      }
      i = (i + 1) & this.mask;
    }
  }

  /** Calls `fn` for every entry, in table order (deterministic for a given insertion sequence). */
  forEach(fn: (key: number, value: number) => void): void {
    for (let i = 0; i <= this.mask; i++) if (this.values[i] >= 0) fn(this.keys[i], this.values[i]);
  }

  private grow(): void {
    const oldKeys = this.keys;
    const oldValues = this.values;
    const cap = (this.mask + 1) * 2;
    this.keys = new Uint32Array(cap);
    this.values = new Int32Array(cap).fill(-1);
    this.mask = cap - 1;
    this.count = 0;
    for (let i = 0; i < oldValues.length; i++) if (oldValues[i] >= 0) this.set(oldKeys[i], oldValues[i]);
  }
}
