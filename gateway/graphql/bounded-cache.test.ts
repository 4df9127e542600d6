import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { boundedCache } from './bounded-cache.js';

describe('boundedCache', () => {
  it('keeps at most maxEntries and evicts the least recently used', () => {
    const c = boundedCache<number>(2);
    c.set('a', 1);
    c.set('b', 2);
    expect(c.get('a')).toBe(1);
    c.set('c', 3);
    expect(c.get('b')).toBeUndefined();
    expect(c.get('a')).toBe(1);
    expect(c.get('c')).toBe(3);
    expect(c.size).toBe(2);
  });

  it('never holds more than its bound and always returns the last value set for a key still held (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j'), fc.integer()), { maxLength: 60 }), (max, ops) => {
        const c = boundedCache<number>(max);
        const last = new Map<string, number>();
        for (const [k, v] of ops) {
          c.set(k, v);
          last.set(k, v);
          expect(c.size).toBeLessThanOrEqual(max);
          expect(c.get(k)).toBe(v);
        }
        for (const [k, v] of last) {
          const got = c.get(k);
          if (got !== undefined) expect(got).toBe(v);
        }
      }),
    );
  });
});
