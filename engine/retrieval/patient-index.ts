/**
 * One patient's retrieval index: a BM25 index and an HNSW vector index over the same chunks, in
 * memory only. Everything is scoped to the one patient the index was built for — no method takes
 * a patient, so no call can reach two patients' text.
 *
 * Built from a list of chunks with their vectors (from the sealed store, or fresh from the
 * pipeline); `add` and `removeDocument` update it in place. Vectors must come from the embedding
 * space the index was built for (`space`), and so must query vectors: two spaces never mix.
 */
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import { WardClerkError } from '../../core/errors.js';
import { Bm25Index } from './bm25-index.js';
import { type Chunk, retrievalText } from './chunk.js';
import { reciprocalRankFusion } from './rrf.js';
import { chunkFilter, isUnfiltered, type SearchFilters } from './search-filters.js';
import type { Recency } from './temporal-cue.js';
import { VectorIndex, type VectorIndexOptions } from './vector-index.js';

export interface IndexedChunk {
  chunk: Chunk;
  /** The embedding of `retrievalText(chunk)`. */
  vector: Float32Array;
}

export interface PatientIndexOptions {
  patientId: string;
  /** Embedding space of every vector (`EmbedResult.space`). */
  space: string;
  dimensions: number;
  chunks?: readonly IndexedChunk[];
  /** HNSW tuning; capacity defaults to the number of chunks. */
  hnsw?: Omit<VectorIndexOptions, 'dimensions'>;
}

export type SearchMode = 'hybrid' | 'bm25' | 'vector';

export interface SearchQuery {
  /** The question as typed (BM25 side). */
  text: string;
  /** Its embedding (vector side); required unless mode is `bm25`. */
  vector?: Float32Array;
  /** The embedding space of `vector`; must equal the index's. */
  space?: string;
  /** Results wanted, 1…100; default 10. */
  k?: number;
  filters?: SearchFilters;
  /** Default `hybrid`: BM25 and vector lists fused by reciprocal rank (k = 60). */
  mode?: SearchMode;
  /**
   * The question's time (`temporalCue`): in hybrid mode, the best `RECENCY_POOL` passages of each
   * list, ordered by clinical date, join the fusion as a third list.
   */
  recency?: Recency | null;
}

export interface SearchHit {
  chunkId: string;
  passage: string;
  docId: string;
  docType: Chunk['docType'];
  docTitle: string;
  clinicalDate: string | null;
  page: number;
  start: number;
  end: number;
  section: Chunk['section'];
  /** Fused (hybrid) score, or the one list's score in a single mode. */
  score: number;
  /** BM25 score of this passage for the query (0 when no query term is in it). */
  bm25Score: number;
  /** Cosine similarity of the query vector and the passage's (null in `bm25` mode). */
  vectorScore: number | null;
  /** 1-based rank in each candidate list, null when the passage was not among its candidates. */
  bm25Rank: number | null;
  vectorRank: number | null;
}

/** How deep each list is read before fusion: enough that a passage ranked well by one list is seen. */
const CANDIDATES_MIN = 50;
const CANDIDATES_PER_K = 5;
/** Passages of each list that the recency list orders (chosen before measuring; see temporal-cue.ts). */
const RECENCY_POOL = 10;
/** Longest run of `build` between two turns of the event loop. */
const SLICE_MS = 10;
/** Fixed cost per chunk in the estimate: the chunk object, its ids, the slot maps (measured ~300 B). */
const CHUNK_OVERHEAD_BYTES = 320;
/** Heap per (term, chunk) posting, measured ~69 B on 5,000 chunks (npm run bench -- retrieval). */
const POSTING_BYTES = 70;

export class PatientIndex {
  readonly patientId: string;
  readonly space: string;
  readonly dimensions: number;
  readonly #bm25 = new Bm25Index();
  readonly #vectors: VectorIndex;
  readonly #chunks = new Map<number, Chunk>();
  readonly #slotOf = new Map<string, number>();
  readonly #byDoc = new Map<string, Set<number>>();
  #nextSlot = 0;
  #textBytes = 0;

  /** Builds the index in one go: for a few chunks (a large build blocks its thread; see `build`). */
  constructor(options: PatientIndexOptions) {
    this.patientId = options.patientId;
    this.space = options.space;
    this.dimensions = options.dimensions;
    this.#vectors = new VectorIndex({ ...options.hnsw, dimensions: options.dimensions, capacity: options.hnsw?.capacity ?? Math.max(64, options.chunks?.length ?? 0) });
    if (options.chunks) this.add(options.chunks, options.space);
  }

  /**
   * The same index as `new PatientIndex(options)`, built cooperatively: chunks go in slices of at
   * most `sliceMs` of work (default 10 ms), and the event loop runs between slices (setImmediate),
   * so a server building 5,000 chunks (~2 s of CPU) still answers its other requests meanwhile.
   * Insertion order and the HNSW seed are those of the one-go build, so the result is identical.
   * Nobody holds the index until the promise resolves; a bad vector rejects it.
   */
  static async build(options: PatientIndexOptions, slicing: { sliceMs?: number } = {}): Promise<PatientIndex> {
    const { chunks = [], ...rest } = options;
    const index = new PatientIndex({ ...rest, hnsw: { ...rest.hnsw, capacity: rest.hnsw?.capacity ?? Math.max(64, chunks.length) } });
    const sliceMs = slicing.sliceMs ?? SLICE_MS;
    let next = 0;
    while (next < chunks.length) {
      const until = performance.now() + sliceMs;
      do index.add([chunks[next++]!], options.space);
      while (next < chunks.length && performance.now() < until);
      if (next < chunks.length) await yieldToEventLoop();
    }
    return index;
  }

  /** Chunks held. */
  get size(): number {
    return this.#chunks.size;
  }

  /** Ids of the documents with at least one chunk here. */
  documentIds(): string[] {
    return [...this.#byDoc.keys()];
  }

  /** Adds chunks (a chunk with an id already present replaces it). All-or-nothing on a bad vector. */
  add(entries: readonly IndexedChunk[], space: string): void {
    if (space !== this.space) throw spaceMismatch(this.space, space);
    for (const e of entries) {
      if (e.vector.length !== this.dimensions) {
        throw new WardClerkError('VALIDATION_FAILED', 'chunk vector length does not match the index', { details: { expected: this.dimensions, got: e.vector.length } });
      }
      if (!e.vector.every(Number.isFinite)) throw new WardClerkError('VALIDATION_FAILED', 'chunk vector has a non-finite entry', { details: { chunk_id: e.chunk.id } });
    }
    for (const { chunk, vector } of entries) {
      const old = this.#slotOf.get(chunk.id);
      if (old !== undefined) this.#removeSlot(old);
      const slot = this.#nextSlot++;
      this.#vectors.add(slot, vector);
      this.#bm25.add(slot, retrievalText(chunk));
      this.#chunks.set(slot, chunk);
      this.#slotOf.set(chunk.id, slot);
      let doc = this.#byDoc.get(chunk.docId);
      if (!doc) this.#byDoc.set(chunk.docId, (doc = new Set()));
      doc.add(slot);
      this.#textBytes += 2 * (chunk.text.length + chunk.docTitle.length + chunk.id.length);
    }
  }

  /** Removes every chunk of a document; returns how many there were. */
  removeDocument(docId: string): number {
    const slots = this.#byDoc.get(docId);
    if (!slots) return 0;
    const n = slots.size;
    for (const slot of [...slots]) this.#removeSlot(slot);
    return n;
  }

  #removeSlot(slot: number): void {
    const chunk = this.#chunks.get(slot)!;
    this.#vectors.remove(slot);
    this.#bm25.remove(slot);
    this.#chunks.delete(slot);
    this.#slotOf.delete(chunk.id);
    const doc = this.#byDoc.get(chunk.docId)!;
    doc.delete(slot);
    if (doc.size === 0) this.#byDoc.delete(chunk.docId);
    this.#textBytes -= 2 * (chunk.text.length + chunk.docTitle.length + chunk.id.length);
  }

  /** The best `k` passages for the query, best first. See `SearchQuery`. */
  search(query: SearchQuery): SearchHit[] {
    const mode = query.mode ?? 'hybrid';
    const k = query.k ?? 10;
    if (!Number.isInteger(k) || k < 1 || k > 100) throw new WardClerkError('VALIDATION_FAILED', 'k must be an integer from 1 to 100', { details: { k } });
    const vector = mode === 'bm25' ? undefined : this.#queryVector(query);
    const depth = Math.max(CANDIDATES_MIN, k * CANDIDATES_PER_K);
    let accept: ((slot: number) => boolean) | undefined;
    let accepted = this.#chunks.size;
    if (!isUnfiltered(query.filters)) {
      const pass = chunkFilter(query.filters!);
      const allowed = new Set<number>();
      for (const [slot, c] of this.#chunks) if (pass(c)) allowed.add(slot);
      accept = (slot) => allowed.has(slot);
      accepted = allowed.size;
    }
    const terms = this.#bm25.prepare(query.text);
    const bm25Hits = mode === 'vector' ? [] : this.#bm25.search(terms, mode === 'bm25' ? k : depth, accept);
    const bm25 = bm25Hits.map((h) => h.slot);
    const bm25ScoreOf = new Map(bm25Hits.map((h) => [h.slot, h.score]));
    const vec = vector ? this.#vectors.search(vector, mode === 'vector' ? k : depth, accept ? { test: accept, accepted } : undefined).map((h) => h.slot) : [];
    const lists = mode === 'bm25' ? [bm25] : mode === 'vector' ? [vec] : [bm25, vec];
    if (mode === 'hybrid' && query.recency) lists.push(this.#byDate([...bm25.slice(0, RECENCY_POOL), ...vec.slice(0, RECENCY_POOL)], query.recency));
    const fused = reciprocalRankFusion(lists);
    return fused.slice(0, k).map((f) => {
      const slot = f.item;
      const c = this.#chunks.get(slot)!;
      const bm25Score = bm25ScoreOf.get(slot) ?? this.#bm25.score(terms, slot);
      const vectorScore = vector ? this.#vectors.score(vector, slot) : null;
      return {
        chunkId: c.id,
        passage: c.text,
        docId: c.docId,
        docType: c.docType,
        docTitle: c.docTitle,
        clinicalDate: c.clinicalDate,
        page: c.page,
        start: c.start,
        end: c.end,
        section: c.section,
        score: mode === 'bm25' ? bm25Score : mode === 'vector' ? vectorScore! : f.score,
        bm25Score,
        vectorScore,
        bm25Rank: mode === 'vector' ? null : rankIn(bm25, slot),
        vectorRank: mode === 'bm25' ? null : rankIn(vec, slot),
      };
    });
  }

  /** Distinct dated slots of `slots`, newest or oldest first (ties keep their order). */
  #byDate(slots: readonly number[], recency: Recency): number[] {
    const dated = [...new Set(slots)].filter((slot) => this.#chunks.get(slot)!.clinicalDate !== null);
    const date = (slot: number): string => this.#chunks.get(slot)!.clinicalDate!;
    return dated.sort((a, b) => (recency === 'latest' ? date(b).localeCompare(date(a)) : date(a).localeCompare(date(b))));
  }

  #queryVector(query: SearchQuery): Float32Array {
    if (!query.vector) throw new WardClerkError('VALIDATION_FAILED', 'a query vector is needed for vector and hybrid search', { details: { mode: query.mode ?? 'hybrid' } });
    if (query.space !== this.space) throw spaceMismatch(this.space, query.space ?? null);
    return query.vector;
  }

  /**
   * Bytes this index holds, estimated from its parts (HNSW blocks, vector copies, BM25 postings,
   * passage text, per-chunk bookkeeping). The LRU budgets by this number; `npm run bench --
   * retrieval` sets it against the measured heap growth.
   */
  estimateBytes(): number {
    return this.#vectors.estimateBytes() + this.#bm25.postingCount * POSTING_BYTES + this.#textBytes + this.#chunks.size * CHUNK_OVERHEAD_BYTES;
  }
}

function rankIn(list: readonly number[], slot: number): number | null {
  const i = list.indexOf(slot);
  return i < 0 ? null : i + 1;
}

function spaceMismatch(expected: string, got: string | null): WardClerkError {
  return new WardClerkError('CONFLICT', 'vectors come from another embedding space than the index; re-embed the patient', {
    details: { reason: 'embedding_space_mismatch', expected, got },
  });
}
