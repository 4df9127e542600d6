import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reciprocalRankFusion } from './rrf.js';

describe('reciprocalRankFusion', () => {
  it('sums 1/(k + rank) over the lists (k = 60)', () => {
    const fused = reciprocalRankFusion([['a', 'b', 'c'], ['c', 'a']]);
    expect(fused.map((f) => f.item)).toEqual(['a', 'c', 'b']);
    expect(fused[0]!.score).toBeCloseTo(1 / 61 + 1 / 62, 12);
    expect(fused[1]!.score).toBeCloseTo(1 / 63 + 1 / 61, 12);
    expect(fused[2]!.score).toBeCloseTo(1 / 62, 12);
    expect(fused.map((f) => f.ranks)).toEqual([[1, 2], [3, 1], [2, null]]);
  });

  it('uses the given k', () => {
    expect(reciprocalRankFusion([['x']], 0)[0]!.score).toBe(1);
  });

  it('breaks ties by the better best rank, then by first seen', () => {
    // k = 0: p = 1/1, q = 1/2 + 1/2, r = 1/1 all tie; q's best rank is 2, and p was seen before r.
    expect(reciprocalRankFusion([['p', 'q'], ['r', 'q']], 0).map((f) => f.item)).toEqual(['p', 'r', 'q']);
    expect(reciprocalRankFusion([['c'], ['d']]).map((f) => f.item)).toEqual(['c', 'd']);
  });

  it('ignores a repeat within one list', () => {
    const fused = reciprocalRankFusion([['a', 'a', 'b']]);
    expect(fused.map((f) => [f.item, f.ranks[0]])).toEqual([['a', 1], ['b', 3]]);
  });

  it('an item first in every list is first; fused scores are non-increasing', () => {
    fc.assert(
      fc.property(fc.array(fc.uniqueArray(fc.integer({ min: 1, max: 30 }), { maxLength: 20 }), { minLength: 1, maxLength: 4 }), (lists) => {
        const withTop = lists.map((l) => [0, ...l]);
        const fused = reciprocalRankFusion(withTop);
        expect(fused[0]!.item).toBe(0);
        for (let i = 1; i < fused.length; i++) expect(fused[i]!.score).toBeLessThanOrEqual(fused[i - 1]!.score);
        expect(new Set(fused.map((f) => f.item)).size).toBe(new Set(withTop.flat()).size);
      }),
    );
  });
});
