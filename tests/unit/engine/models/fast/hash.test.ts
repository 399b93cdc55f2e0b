import { describe, expect, it } from 'vitest';
import { U32Map, combine, hashString, mix32 } from '../../../../../engine/models/fast/hash';

describe('hashString', () => {
  it('is deterministic and depends on the seed', () => {
    expect(hashString('drucker')).toBe(hashString('drucker'));
    expect(hashString('drucker')).not.toBe(hashString('drücker'));
    expect(hashString('drucker', 1)).not.toBe(hashString('drucker', 2));
  });

  it('returns unsigned 32-bit values', () => {
    for (const s of ['', 'a', 'äöüß', 'x'.repeat(100)]) {
      const h = hashString(s);
      expect(Number.isInteger(h) && h >= 0 && h < 2 ** 32).toBe(true);
    }
  });

  it('combine is order-sensitive', () => {
    const a = hashString('reset');
    const b = hashString('password');
    expect(combine(a, b)).not.toBe(combine(b, a));
    expect(mix32(a)).toBe(mix32(a));
  });
});

describe('U32Map', () => {
  it('stores, overwrites and counts keys, including key 0 and keys >= 2^31', () => {
    const m = new U32Map(4);
    m.set(0, 5);
    m.set(0xffffffff, 7);
    m.set(0, 6);
    m.add(42, 1);
    m.add(42, 2);
    expect(m.get(0)).toBe(6);
    expect(m.get(0xffffffff)).toBe(7);
    expect(m.get(42)).toBe(3);
    expect(m.get(43)).toBe(-1);
    expect(m.size).toBe(3);
  });

  it('keeps every entry when it grows', () => {
    const m = new U32Map(2);
    for (let i = 0; i < 5000; i++) m.set(i * 2654435761 >>> 0, i);
    expect(m.size).toBe(5000);
    for (let i = 0; i < 5000; i++) expect(m.get(i * 2654435761 >>> 0)).toBe(i);
    let visited = 0;
    m.forEach(() => visited++);
    expect(visited).toBe(5000);
  });
});
