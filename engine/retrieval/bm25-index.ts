/**
 * An in-memory BM25 index (Okapi BM25, k1 = 1.2, b = 0.75, Lucene's always-positive idf) over the
 * clinical tokeniser and concept ids. Documents are added and removed one at a time: postings, lengths and the
 * average length are kept up to date, so a removed passage scores nothing from then on and the
 * others score as if it had never been added.
 *
 * Callers name documents by a non-negative integer slot they own (the patient index uses the
 * same slot as the vector index), so a search allocates nothing per document.
 */
import { indexTerms } from './clinical-tokens.js';

export interface Bm25Options {
  k1?: number;
  b?: number;
  /** Text → terms, for documents and queries alike; default `indexTerms` (clinical tokens + concept ids). */
  terms?: (text: string) => string[];
}

export interface Bm25Hit {
  slot: number;
  score: number;
}

interface Posting {
  slots: number[];
  tfs: number[];
  /** Length (in terms) of each slot's document, so scoring reads no map. */
  lens: number[];
}

/** A query resolved against the index (`Bm25Index.prepare`). */
export interface Bm25Query {
  readonly terms: ReadonlyArray<{ postings: Posting; idf: number }>;
  /** Average document length when prepared. */
  readonly avg: number;
}

export class Bm25Index {
  readonly #k1: number;
  readonly #b: number;
  readonly #termsOf: (text: string) => string[];
  /** term → the slots holding it and their term frequencies (parallel arrays, unordered). */
  readonly #postings = new Map<string, Posting>();
  /** slot → distinct terms of that document (for removal). */
  readonly #terms = new Map<number, string[]>();
  readonly #lengths = new Map<number, number>();
  #totalLength = 0;
  #postingCount = 0;

  constructor(options: Bm25Options = {}) {
    this.#k1 = options.k1 ?? 1.2;
    this.#b = options.b ?? 0.75;
    this.#termsOf = options.terms ?? indexTerms;
  }

  get size(): number {
    return this.#lengths.size;
  }

  /** (term, document) pairs held: the bulk of the index's memory. */
  get postingCount(): number {
    return this.#postingCount;
  }

  has(slot: number): boolean {
    return this.#lengths.has(slot);
  }

  /** Indexes `text` under `slot`, replacing whatever the slot held. */
  add(slot: number, text: string): void {
    if (this.#lengths.has(slot)) this.remove(slot);
    const terms = this.#termsOf(text);
    const tf = new Map<string, number>();
    for (const t of terms) tf.set(t, (tf.get(t) ?? 0) + 1);
    for (const [t, n] of tf) {
      const p = this.#postings.get(t);
      if (p) {
        p.slots.push(slot);
        p.tfs.push(n);
        p.lens.push(terms.length);
      } else this.#postings.set(t, { slots: [slot], tfs: [n], lens: [terms.length] });
    }
    this.#postingCount += tf.size;
    this.#terms.set(slot, [...tf.keys()]);
    this.#lengths.set(slot, terms.length);
    this.#totalLength += terms.length;
  }

  /** Forgets `slot`; false when it was not indexed. */
  remove(slot: number): boolean {
    const terms = this.#terms.get(slot);
    if (!terms) return false;
    for (const t of terms) {
      const p = this.#postings.get(t)!;
      // Swap-remove: postings are unordered.
      const i = p.slots.indexOf(slot);
      const last = p.slots.length - 1;
      p.slots[i] = p.slots[last]!;
      p.tfs[i] = p.tfs[last]!;
      p.lens[i] = p.lens[last]!;
      p.slots.pop();
      p.tfs.pop();
      p.lens.pop();
      if (last === 0) this.#postings.delete(t);
    }
    this.#postingCount -= terms.length;
    this.#totalLength -= this.#lengths.get(slot)!;
    this.#terms.delete(slot);
    this.#lengths.delete(slot);
    return true;
  }

  /**
   * Resolves a query against the index as it is now (terms, postings, idf), so one search and the
   * scores of its hits tokenise the query once. Stale after the next add or remove.
   */
  prepare(query: string): Bm25Query {
    const n = this.#lengths.size;
    const terms: Bm25Query['terms'][number][] = [];
    for (const t of new Set(this.#termsOf(query))) {
      const p = this.#postings.get(t);
      if (p) terms.push({ postings: p, idf: Math.log(1 + (n - p.slots.length + 0.5) / (p.slots.length + 0.5)) });
    }
    return { terms, avg: n > 0 ? this.#totalLength / n || 1 : 1 };
  }

  #termScore(tf: number, len: number, avg: number, idf: number): number {
    return (idf * tf * (this.#k1 + 1)) / (tf + this.#k1 * (1 - this.#b + (this.#b * len) / avg));
  }

  /**
   * The `k` best documents for `query` with a score above 0, best first (ties by slot). `accept`
   * limits the search to some slots (filters). A query with no known term finds nothing.
   */
  search(query: string | Bm25Query, k: number, accept?: (slot: number) => boolean): Bm25Hit[] {
    if (k <= 0 || this.#lengths.size === 0) return [];
    const q = typeof query === 'string' ? this.prepare(query) : query;
    const scores = new Map<number, number>();
    for (const { postings, idf } of q.terms) {
      const { slots, tfs, lens } = postings;
      for (let i = 0; i < slots.length; i++) {
        const slot = slots[i]!;
        if (accept && !accept(slot)) continue;
        scores.set(slot, (scores.get(slot) ?? 0) + this.#termScore(tfs[i]!, lens[i]!, q.avg, idf));
      }
    }
    return topK(scores, k);
  }

  /** The BM25 score of one document for `query` (0 when no query term occurs in it). */
  score(query: string | Bm25Query, slot: number): number {
    if (!this.#lengths.has(slot)) return 0;
    const q = typeof query === 'string' ? this.prepare(query) : query;
    let s = 0;
    for (const { postings, idf } of q.terms) {
      const i = postings.slots.indexOf(slot);
      if (i >= 0) s += this.#termScore(postings.tfs[i]!, postings.lens[i]!, q.avg, idf);
    }
    return s;
  }
}

/** Better first: higher score, then lower slot. */
function better(a: Bm25Hit, b: Bm25Hit): boolean {
  return a.score > b.score || (a.score === b.score && a.slot < b.slot);
}

/** The k best of `scores`, best first, by a bounded min-heap (no sort of every scored document). */
function topK(scores: Map<number, number>, k: number): Bm25Hit[] {
  const heap: Bm25Hit[] = [];
  const down = (i: number): void => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let w = i;
      if (l < heap.length && better(heap[w]!, heap[l]!)) w = l;
      if (r < heap.length && better(heap[w]!, heap[r]!)) w = r;
      if (w === i) return;
      [heap[i], heap[w]] = [heap[w]!, heap[i]!];
      i = w;
    }
  };
  for (const [slot, score] of scores) {
    const hit = { slot, score };
    if (heap.length < k) {
      heap.push(hit);
      for (let i = heap.length - 1; i > 0; ) {
        const parent = (i - 1) >> 1;
        if (!better(heap[parent]!, heap[i]!)) break;
        [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
        i = parent;
      }
    } else if (better(hit, heap[0]!)) {
      heap[0] = hit;
      down(0);
    }
  }
  return heap.sort((a, b) => (better(a, b) ? -1 : 1));
}
