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
      } else this.#postings.set(t, { slots: [slot], tfs: [n] });
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
      p.slots.pop();
      p.tfs.pop();
      if (last === 0) this.#postings.delete(t);
    }
    this.#postingCount -= terms.length;
    this.#totalLength -= this.#lengths.get(slot)!;
    this.#terms.delete(slot);
    this.#lengths.delete(slot);
    return true;
  }

  /** The distinct query terms that occur in the index, with their idf. */
  #queryTerms(query: string): Array<{ postings: Posting; idf: number }> {
    const n = this.#lengths.size;
    const out: Array<{ postings: Posting; idf: number }> = [];
    for (const t of new Set(this.#termsOf(query))) {
      const p = this.#postings.get(t);
      if (p) out.push({ postings: p, idf: Math.log(1 + (n - p.slots.length + 0.5) / (p.slots.length + 0.5)) });
    }
    return out;
  }

  #termScore(tf: number, len: number, avg: number, idf: number): number {
    return (idf * tf * (this.#k1 + 1)) / (tf + this.#k1 * (1 - this.#b + (this.#b * len) / avg));
  }

  /**
   * The `k` best documents for `query` with a score above 0, best first (ties by slot). `accept`
   * limits the search to some slots (filters). A query with no known term finds nothing.
   */
  search(query: string, k: number, accept?: (slot: number) => boolean): Bm25Hit[] {
    if (k <= 0 || this.#lengths.size === 0) return [];
    const avg = this.#totalLength / this.#lengths.size || 1;
    const scores = new Map<number, number>();
    for (const { postings, idf } of this.#queryTerms(query)) {
      const { slots, tfs } = postings;
      for (let i = 0; i < slots.length; i++) {
        const slot = slots[i]!;
        if (accept && !accept(slot)) continue;
        scores.set(slot, (scores.get(slot) ?? 0) + this.#termScore(tfs[i]!, this.#lengths.get(slot)!, avg, idf));
      }
    }
    const hits: Bm25Hit[] = [];
    for (const [slot, score] of scores) hits.push({ slot, score });
    hits.sort((a, b) => b.score - a.score || a.slot - b.slot);
    return hits.slice(0, k);
  }

  /** The BM25 score of one document for `query` (0 when no query term occurs in it). */
  score(query: string, slot: number): number {
    const len = this.#lengths.get(slot);
    if (len === undefined) return 0;
    const avg = this.#totalLength / this.#lengths.size || 1;
    let s = 0;
    for (const { postings, idf } of this.#queryTerms(query)) {
      const i = postings.slots.indexOf(slot);
      if (i >= 0) s += this.#termScore(postings.tfs[i]!, len, avg, idf);
    }
    return s;
  }
}
