import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHUNK_ITEMS, CHUNK_TEXT_CHARS, chunkItems } from './enqueue.js';

describe('chunkItems', () => {
  it('covers every item exactly once, in order, within the item and text bounds', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 300_000 }), { minLength: 1, maxLength: 1000 }), (lengths) => {
        const chunks = chunkItems(lengths);
        let next = 0;
        for (const c of chunks) {
          expect(c.index).toBe(next);
          expect(c.count).toBeGreaterThanOrEqual(1);
          expect(c.count).toBeLessThanOrEqual(CHUNK_ITEMS);
          const chars = lengths.slice(c.index, c.index + c.count).reduce((a, b) => a + b, 0);
          // Only a single item longer than the bound may exceed it, alone in its chunk.
          if (c.count > 1) expect(chars).toBeLessThanOrEqual(CHUNK_TEXT_CHARS);
          next += c.count;
        }
        expect(next).toBe(lengths.length);
      }),
    );
  });

  it('packs 1,000 short notes into 1,000 / CHUNK_ITEMS messages', () => {
    expect(chunkItems(Array(1000).fill(400))).toHaveLength(Math.ceil(1000 / CHUNK_ITEMS));
    expect(chunkItems([10, 10, 10], 2, 1000)).toEqual([{ index: 0, count: 2 }, { index: 2, count: 1 }]);
    expect(chunkItems([600, 600, 10], 50, 1000)).toEqual([{ index: 0, count: 1 }, { index: 1, count: 2 }]);
  });
});
