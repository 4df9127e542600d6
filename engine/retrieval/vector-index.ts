/**
 * An in-memory HNSW index (hnswlib-node) over L2-normalised vectors, scored by inner product (=
 * cosine). Never written to disk: hnswlib's read/write calls are not used anywhere.
 *
 * Slots are the caller's non-negative integers and may be reused. Inside, every added point gets a
 * fresh hnswlib label (a label is never reused: hnswlib's replace-deleted forgets the label of
 * the point it overwrites, which would be wrong if that label had been added again). `remove`
 * marks the point deleted (markDelete) and a later `add` reuses a deleted point's memory;
 * capacity doubles when full. A
 * copy of each vector is kept in JS so exact scores (and exact search under a narrow filter) need
 * no call into the native index.
 */
import hnswlib from 'hnswlib-node';
import { WardClerkError } from '../../core/errors.js';
import { dot } from '../providers/embedder.js';

export interface VectorIndexOptions {
  dimensions: number;
  /** Starting capacity; default 256. Grows by doubling. */
  capacity?: number;
  /** HNSW graph degree; default 16. */
  m?: number;
  /** Build-time beam; default 40 (5,000 chunks build in about half the time of 100). */
  efConstruction?: number;
  /** Search-time beam floor; default 200 (raised to k when k is larger). With efConstruction 40, the
   *  50 candidates hybrid search reads hold ~96% of the exact top 50 on the retrieval set's chunks. */
  efSearch?: number;
  /** Under a filter admitting at most this many points, search exactly instead; default 2,000. */
  exactBelow?: number;
}

export interface VectorHit {
  slot: number;
  /** Cosine similarity, in [-1, 1]. */
  score: number;
}

const SEED = 100;

export class VectorIndex {
  readonly dimensions: number;
  readonly #m: number;
  readonly #efSearch: number;
  readonly #exactBelow: number;
  readonly #hnsw: hnswlib.HierarchicalNSW;
  readonly #vectors = new Map<number, Float32Array>();
  readonly #labelOf = new Map<number, number>();
  readonly #slotOf = new Map<number, number>();
  #nextLabel = 0;
  #capacity: number;
  /** Points marked deleted and not yet reused. */
  #deleted = 0;

  constructor(options: VectorIndexOptions) {
    if (!Number.isInteger(options.dimensions) || options.dimensions < 1) {
      throw new WardClerkError('CONFIG_INVALID', 'vector index dimensions must be a positive integer', { details: { dimensions: options.dimensions } });
    }
    this.dimensions = options.dimensions;
    this.#m = options.m ?? 16;
    this.#efSearch = options.efSearch ?? 200;
    this.#exactBelow = options.exactBelow ?? 2000;
    this.#capacity = Math.max(16, options.capacity ?? 256);
    this.#hnsw = new hnswlib.HierarchicalNSW('ip', this.dimensions);
    this.#hnsw.initIndex({ maxElements: this.#capacity, m: this.#m, efConstruction: options.efConstruction ?? 40, randomSeed: SEED, allowReplaceDeleted: true });
  }

  get size(): number {
    return this.#vectors.size;
  }

  get capacity(): number {
    return this.#capacity;
  }

  has(slot: number): boolean {
    return this.#vectors.has(slot);
  }

  /** The stored (normalised) vector of a slot. */
  vector(slot: number): Float32Array | undefined {
    return this.#vectors.get(slot);
  }

  /** Adds (or replaces) the vector of `slot`. The vector must have `dimensions` finite entries. */
  add(slot: number, vector: Float32Array): void {
    if (vector.length !== this.dimensions) {
      throw new WardClerkError('VALIDATION_FAILED', 'vector length does not match the index', { details: { expected: this.dimensions, got: vector.length } });
    }
    let sum = 0;
    for (let i = 0; i < vector.length; i++) sum += vector[i]! * vector[i]!;
    if (!Number.isFinite(sum)) throw new WardClerkError('VALIDATION_FAILED', 'vector has a non-finite entry', { details: { slot } });
    // Inner product is cosine only for unit vectors; embedders normalise, this makes sure.
    const v = new Float32Array(vector);
    if (sum > 0 && Math.abs(sum - 1) > 1e-4) for (let i = 0; i < v.length; i++) v[i]! /= Math.sqrt(sum);
    if (this.#vectors.has(slot)) this.remove(slot);
    const label = this.#nextLabel++;
    if (this.#deleted > 0) {
      this.#hnsw.addPoint(Array.from(v), label, true);
      this.#deleted--;
    } else {
      if (this.#hnsw.getCurrentCount() >= this.#capacity) {
        this.#capacity *= 2;
        this.#hnsw.resizeIndex(this.#capacity);
      }
      this.#hnsw.addPoint(Array.from(v), label, false);
    }
    this.#vectors.set(slot, v);
    this.#labelOf.set(slot, label);
    this.#slotOf.set(label, slot);
  }

  /** Marks `slot` deleted; false when it was not present. */
  remove(slot: number): boolean {
    const label = this.#labelOf.get(slot);
    if (label === undefined) return false;
    this.#hnsw.markDelete(label);
    this.#vectors.delete(slot);
    this.#labelOf.delete(slot);
    this.#slotOf.delete(label);
    this.#deleted++;
    return true;
  }

  /** Cosine similarity of the query with one slot's vector (0 when absent). */
  score(query: Float32Array, slot: number): number {
    const v = this.#vectors.get(slot);
    return v ? dot(query, v) : 0;
  }

  /**
   * The `k` nearest slots to `query`, best first. With `accept`, only admitted slots; when the
   * filter admits few points (`accepted` counts them), the search is exact over those.
   */
  search(query: Float32Array, k: number, accept?: { test: (slot: number) => boolean; accepted: number }): VectorHit[] {
    if (query.length !== this.dimensions) {
      throw new WardClerkError('VALIDATION_FAILED', 'query vector length does not match the index', { details: { expected: this.dimensions, got: query.length } });
    }
    const n = Math.min(k, accept ? accept.accepted : this.#vectors.size);
    if (n <= 0) return [];
    if (accept && accept.accepted <= this.#exactBelow) return this.#exact(query, n, accept.test);
    this.#hnsw.setEf(Math.max(this.#efSearch, n));
    const slotOf = this.#slotOf;
    const test = accept?.test;
    const r = test ? this.#hnsw.searchKnn(Array.from(query), n, (label) => test(slotOf.get(label)!)) : this.#hnsw.searchKnn(Array.from(query), n);
    return r.neighbors.map((label, i) => ({ slot: slotOf.get(label)!, score: 1 - r.distances[i]! }));
  }

  #exact(query: Float32Array, k: number, test: (slot: number) => boolean): VectorHit[] {
    const hits: VectorHit[] = [];
    for (const [slot, v] of this.#vectors) if (test(slot)) hits.push({ slot, score: dot(query, v) });
    hits.sort((a, b) => b.score - a.score || a.slot - b.slot);
    return hits.slice(0, k);
  }

  /**
   * Bytes this index holds, estimated: hnswlib's level-0 block per point of capacity (vector,
   * 2·M links, label), upper-level links for the ~1/M points above level 0, and the JS copies.
   */
  estimateBytes(): number {
    const level0 = this.dimensions * 4 + 2 * this.#m * 4 + 4 + 8;
    const upper = (this.#m * 4 + 4) / Math.max(1, Math.log(this.#m)) + 8;
    const js = this.#vectors.size * (this.dimensions * 4 + 160);
    return Math.round(this.#capacity * (level0 + upper) + js);
  }
}
