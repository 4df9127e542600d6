import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keyedCounter } from './connection-limits.js';

describe('keyedCounter', () => {
  it('allows `limit` slots per key, independently per key, and frees them on release', () => {
    const c = keyedCounter(2);
    expect(c.acquire('a')).toBe(true);
    expect(c.acquire('a')).toBe(true);
    expect(c.acquire('a')).toBe(false);
    expect(c.acquire('b')).toBe(true);
    c.release('a');
    expect(c.acquire('a')).toBe(true);
    expect(c.count('a')).toBe(2);
  });

  it('never exceeds the limit and ends at zero whatever the order of acquires and releases', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.array(fc.tuple(fc.boolean(), fc.constantFrom('x', 'y')), { maxLength: 200 }), (limit, ops) => {
        const c = keyedCounter(limit);
        const held: Record<string, number> = { x: 0, y: 0 };
        for (const [take, key] of ops) {
          if (take) {
            if (c.acquire(key)) held[key]!++;
          } else if (held[key]! > 0) {
            c.release(key);
            held[key]!--;
          }
          expect(c.count(key)).toBe(held[key]);
          expect(c.count(key)).toBeLessThanOrEqual(limit);
        }
        for (const key of ['x', 'y']) while (held[key]!-- > 0) c.release(key);
        expect(c.count('x') + c.count('y')).toBe(0);
      }),
    );
  });
});
