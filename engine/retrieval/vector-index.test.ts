import { describe, expect, it } from 'vitest';
import { WardClerkError } from '../../core/errors.js';
import { dot, l2Normalize } from '../providers/embedder.js';
import { VectorIndex } from './vector-index.js';

/** Deterministic pseudo-random unit vectors (xorshift). */
function vectors(n: number, dims: number, seed = 7): Float32Array[] {
  let s = seed >>> 0 || 1;
  const rnd = (): number => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return ((s >>> 0) / 0xffffffff) * 2 - 1;
  };
  return Array.from({ length: n }, () => l2Normalize(Float32Array.from({ length: dims }, rnd)));
}

function bruteForce(all: Map<number, Float32Array>, q: Float32Array, k: number): number[] {
  return [...all].map(([slot, v]) => ({ slot, s: dot(q, v) })).sort((a, b) => b.s - a.s).slice(0, k).map((x) => x.slot);
}

describe('VectorIndex (hnswlib-node)', () => {
  it('finds the nearest vectors with cosine scores, as brute force does (recall@10 ≥ 0.95 on 3,000 points)', () => {
    const vs = vectors(3000, 64);
    const ix = new VectorIndex({ dimensions: 64, capacity: 16 });
    const all = new Map<number, Float32Array>();
    vs.forEach((v, i) => {
      ix.add(i * 3, v);
      all.set(i * 3, v);
    });
    expect(ix.size).toBe(3000);
    expect(ix.capacity).toBeGreaterThanOrEqual(3000);
    let found = 0;
    for (const q of vectors(50, 64, 99)) {
      const hits = ix.search(q, 10);
      const exact = new Set(bruteForce(all, q, 10));
      found += hits.filter((h) => exact.has(h.slot)).length;
      for (const h of hits) expect(h.score).toBeCloseTo(dot(q, all.get(h.slot)!), 4);
    }
    expect(found / 500).toBeGreaterThanOrEqual(0.95);
  });

  it('removes in place (never returned again) and reuses the memory of removed points', () => {
    const vs = vectors(200, 16);
    const ix = new VectorIndex({ dimensions: 16, capacity: 200 });
    vs.forEach((v, i) => ix.add(i, v));
    for (let i = 0; i < 100; i++) expect(ix.remove(i)).toBe(true);
    expect(ix.remove(0)).toBe(false);
    for (const q of vs.slice(0, 100)) for (const h of ix.search(q, 20)) expect(h.slot).toBeGreaterThanOrEqual(100);
    // 100 new points fit in the 100 freed places: capacity does not grow.
    vectors(100, 16, 3).forEach((v, i) => ix.add(1000 + i, v));
    expect(ix.capacity).toBe(200);
    expect(ix.size).toBe(200);
    expect(ix.search(vectors(100, 16, 3)[5]!, 1)[0]!.slot).toBe(1005);
  });

  it('re-adding a slot replaces its vector, also after its old point was reused', () => {
    const [a, b, c, d] = vectors(4, 8, 11);
    const ix = new VectorIndex({ dimensions: 8, capacity: 16 });
    ix.add(1, a!);
    ix.add(2, b!);
    ix.add(1, c!); // slot 1 now c; its old point is deleted
    ix.add(3, d!); // reuses the deleted point
    expect(ix.search(c!, 1)[0]).toMatchObject({ slot: 1 });
    expect(ix.search(d!, 1)[0]).toMatchObject({ slot: 3 });
    expect(ix.search(a!, 3).map((h) => h.slot).sort()).toEqual([1, 2, 3]);
    expect(ix.size).toBe(3);
  });

  it('filters: exact under a narrow filter, HNSW under a wide one, never a rejected slot', () => {
    const vs = vectors(1000, 16, 5);
    const ix = new VectorIndex({ dimensions: 16, exactBelow: 100 });
    vs.forEach((v, i) => ix.add(i, v));
    const all = new Map(vs.map((v, i) => [i, v] as const));
    const q = vectors(1, 16, 77)[0]!;
    const narrow = (s: number): boolean => s % 20 === 0; // 50 slots: exact
    const exact = bruteForce(new Map([...all].filter(([s]) => narrow(s))), q, 5);
    expect(ix.search(q, 5, { test: narrow, accepted: 50 }).map((h) => h.slot)).toEqual(exact);
    const wide = (s: number): boolean => s % 2 === 0; // 500 slots: HNSW with a filter
    const hits = ix.search(q, 10, { test: wide, accepted: 500 });
    expect(hits.length).toBe(10);
    for (const h of hits) expect(wide(h.slot)).toBe(true);
    expect(ix.search(q, 10, { test: () => false, accepted: 0 })).toEqual([]);
  });

  it('returns at most as many hits as points, and none from an empty index', () => {
    const ix = new VectorIndex({ dimensions: 4 });
    expect(ix.search(new Float32Array([1, 0, 0, 0]), 5)).toEqual([]);
    ix.add(1, new Float32Array([1, 0, 0, 0]));
    ix.add(2, new Float32Array([0, 1, 0, 0]));
    expect(ix.search(new Float32Array([1, 0, 0, 0]), 5).map((h) => h.slot)).toEqual([1, 2]);
  });

  it('normalises vectors it is given, so scores stay cosines', () => {
    const ix = new VectorIndex({ dimensions: 2 });
    ix.add(1, new Float32Array([3, 4]));
    expect(ix.search(new Float32Array([0.6, 0.8]), 1)[0]!.score).toBeCloseTo(1, 5);
  });

  it('refuses vectors of the wrong length or with non-finite entries (VALIDATION_FAILED), and bad dimensions (CONFIG_INVALID)', () => {
    const ix = new VectorIndex({ dimensions: 4 });
    const code = (f: () => unknown): string | undefined => {
      try {
        f();
      } catch (e) {
        return e instanceof WardClerkError ? e.code : 'other';
      }
      return undefined;
    };
    expect(code(() => ix.add(1, new Float32Array(3)))).toBe('VALIDATION_FAILED');
    expect(code(() => ix.add(1, new Float32Array([1, Number.NaN, 0, 0])))).toBe('VALIDATION_FAILED');
    expect(code(() => ix.search(new Float32Array(5), 1))).toBe('VALIDATION_FAILED');
    expect(code(() => new VectorIndex({ dimensions: 0 }))).toBe('CONFIG_INVALID');
    expect(ix.size).toBe(0);
  });
});
