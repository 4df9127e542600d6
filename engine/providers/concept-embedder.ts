/**
 * `concept`: the no-model default embedder. Deterministic and dependency-free: text is mapped to
 * clinical concept ids through the clinical vocabulary (so "heart attack", "MI" and "myocardial
 * infarction" share features), plus hashed word uni/bigrams and character trigrams, projected to
 * `dimensions` by signed feature hashing and L2-normalised.
 *
 * The three feature groups are normalised separately and mixed with fixed weights, so a long
 * note's many n-grams cannot drown the few concept features that carry the meaning. Words inside a
 * recognised concept span are left to the concept feature (the surface words of two synonyms
 * differ by design); character trigrams cover all text, which keeps typos and OCR noise close.
 */
import { WardClerkError } from '../../core/errors.js';
import { lookupConcepts as defaultLookup } from '../clinical/concept-lookup.js';
import { type Embedder, type EmbedOptions, type EmbedResult, embeddingSpace, l2Normalize } from './embedder.js';
import { throwIfAborted } from './throw-if-aborted.js';

export type ConceptLookup = (text: string) => Array<{ id: string; start: number; end: number }>;

export interface ConceptEmbedderOptions {
  /** Output length; default 384 (the size of common small sentence embedders). */
  dimensions?: number;
  /** Concept finder; defaults to the engine's clinical vocabulary. */
  lookup?: ConceptLookup;
  /** Group weights (concepts, words, char trigrams); defaults 0.75, 0.45, 0.5. */
  weights?: { concepts: number; words: number; chars: number };
  maxBatch?: number;
}

/** Bumped whenever the featurisation changes, so old indexes are recognised as another space. */
const VERSION = '1';
/** Length of `icd10cm:X00`, the 3-character ICD-10 category. */
const ICD_CATEGORY_END = 'icd10cm:'.length + 3;

/** FNV-1a over a string range, 32-bit. Seeded per feature group so groups do not collide systematically. */
function fnv(s: string, start: number, end: number, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = start; i < end; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Final avalanche (murmur3 fmix32) so low bits used for index and sign are well mixed. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c > 127;
}

class ConceptEmbedder implements Embedder {
  readonly provider = 'concept';
  readonly modelId = 'clinical-concepts';
  readonly version = VERSION;
  readonly dimensions: number;
  readonly maxBatch: number;
  readonly #lookup: ConceptLookup;
  readonly #w: { concepts: number; words: number; chars: number };
  // Scratch buffers reused across texts: embedding is synchronous per text, so no sharing hazard.
  readonly #c: Float32Array;
  readonly #wd: Float32Array;
  readonly #ch: Float32Array;

  constructor(o: ConceptEmbedderOptions) {
    this.dimensions = o.dimensions ?? 384;
    if (!Number.isInteger(this.dimensions) || this.dimensions < 8) {
      throw new WardClerkError('CONFIG_INVALID', 'concept embedder dimensions must be an integer ≥ 8', { details: { dimensions: this.dimensions } });
    }
    this.maxBatch = o.maxBatch ?? 256;
    this.#lookup = o.lookup ?? defaultLookup;
    this.#w = o.weights ?? { concepts: 0.75, words: 0.45, chars: 0.5 };
    this.#c = new Float32Array(this.dimensions);
    this.#wd = new Float32Array(this.dimensions);
    this.#ch = new Float32Array(this.dimensions);
  }

  #add(buf: Float32Array, h: number, weight: number): void {
    const m = mix(h);
    buf[m % this.dimensions]! += m & 0x80000000 ? -weight : weight;
  }

  /** Embeds one text; exported through `embed` only. */
  embedOne(text: string): Float32Array {
    const d = this.dimensions;
    const c = this.#c.fill(0);
    const wd = this.#wd.fill(0);
    const ch = this.#ch.fill(0);
    const lower = text.toLowerCase();

    const concepts = this.#lookup(text);
    // Sorted spans let the word scan skip concept words in one pass.
    const spans = concepts.map((x) => [x.start, x.end] as const).sort((a, b) => a[0] - b[0]);
    for (const x of concepts) {
      this.#add(c, fnv(x.id, 0, x.id.length, 1), 1);
      // ICD-10 is hierarchical: R06.02 (shortness of breath) and R06.00 (dyspnoea) share R06.0 and
      // R06, so their parents are added at falling weights and near-synonyms coded apart still meet.
      if (x.id.startsWith('icd10cm:')) {
        let w = 0.5;
        for (let end = x.id.length - 1; end >= ICD_CATEGORY_END; end--) {
          if (x.id[end - 1] === '.') continue;
          this.#add(c, fnv(x.id, 0, end, 1), w);
          w *= 0.7;
        }
      }
    }

    // Words: unigrams and bigrams outside concept spans.
    let si = 0;
    let prev = -1;
    for (let i = 0; i < lower.length; ) {
      if (!isWordChar(lower.charCodeAt(i))) {
        i++;
        continue;
      }
      const start = i;
      while (i < lower.length && isWordChar(lower.charCodeAt(i))) i++;
      while (si < spans.length && spans[si]![1] <= start) si++;
      if (si < spans.length && spans[si]![0] <= start) {
        prev = -1;
        continue;
      }
      const h = fnv(lower, start, i, 2);
      this.#add(wd, h, 1);
      if (prev >= 0) this.#add(wd, Math.imul(prev, 31) ^ h, 0.5);
      prev = h;
    }

    // Character trigrams over the text with runs of non-word characters folded to one space.
    let a = 32;
    let b = 32;
    let lastSpace = true;
    for (let i = 0; i < lower.length; i++) {
      let k = lower.charCodeAt(i);
      if (!isWordChar(k)) {
        if (lastSpace) continue;
        k = 32;
        lastSpace = true;
      } else lastSpace = false;
      this.#add(ch, (Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca77) ^ Math.imul(k, 0xc2b2ae3d)) >>> 0, 1);
      a = b;
      b = k;
    }
    if (!lastSpace) this.#add(ch, (Math.imul(a, 0x9e3779b1) ^ Math.imul(b, 0x85ebca77) ^ Math.imul(32, 0xc2b2ae3d)) >>> 0, 1);

    const out = new Float32Array(d);
    for (const [buf, w] of [
      [l2Normalize(c), this.#w.concepts],
      [l2Normalize(wd), this.#w.words],
      [l2Normalize(ch), this.#w.chars],
    ] as const) {
      for (let i = 0; i < d; i++) out[i]! += buf[i]! * w;
    }
    return l2Normalize(out);
  }

  async embed({ texts, signal }: EmbedOptions): Promise<EmbedResult> {
    throwIfAborted(signal);
    const vectors: Float32Array[] = [];
    for (let i = 0; i < texts.length; i++) {
      // Checked per batch, not per text: the abort check is cheap but not free.
      if (i > 0 && i % this.maxBatch === 0) throwIfAborted(signal);
      vectors.push(this.embedOne(texts[i]!));
    }
    return { vectors, space: embeddingSpace(this) };
  }
}

/** Creates the deterministic concept embedder (no model files, no network). */
export function createConceptEmbedder(options: ConceptEmbedderOptions = {}): Embedder {
  return new ConceptEmbedder(options);
}
