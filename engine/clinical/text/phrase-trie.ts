/**
 * A token trie for dictionary matching: phrases are stored as sequences of normalised tokens, and
 * `matchAll` walks the token stream once, taking the longest match at each position (left to
 * right, non-overlapping). Cost is O(tokens × longest phrase), independent of vocabulary size.
 */
import type { Token } from './tokenize.js';
import { phraseKeys, tokenize } from './tokenize.js';

interface Entry<T> {
  value: T;
  /** When set, the raw token texts must equal these exactly (case-sensitive abbreviations). */
  exact: string[] | null;
}

interface Node<T> {
  next: Map<string, Node<T>> | null;
  entries: Entry<T>[] | null;
}

export interface PhraseMatch<T> {
  value: T;
  /** Index of the first and one-past-last token. */
  first: number;
  last: number;
  start: number;
  end: number;
}

/** Side words a phrase may hold without naming them ("fracture of the left wrist"). */
const SIDE_WORDS = new Set(['left', 'right', 'bilateral']);

/** Bound on the root-lookup cache (entries); it is emptied when full. */
const ROOT_CACHE_MAX = 8192;

export class PhraseTrie<T> {
  private readonly root: Node<T> = { next: null, entries: null };
  /**
   * The root's children for words seen recently, misses included. The root of a large vocabulary
   * (ICD-10-CM) holds ~100k first words; every token of every note starts a lookup there, and
   * probing that table was the conditions matcher's main cost. Notes reuse a small working set of
   * words, so a small table answers most lookups.
   */
  private readonly rootCache = new Map<string, Node<T> | null>();
  size = 0;

  /** Adds `phrase`; with `caseSensitive` the text must match the phrase's letter case exactly. */
  add(phrase: string, value: T, caseSensitive = false): void {
    const toks = tokenize(phrase);
    if (toks.length === 0) return;
    this.rootCache.clear();
    let node = this.root;
    for (const t of toks) {
      node.next ??= new Map();
      let child = node.next.get(t.norm);
      if (!child) { child = { next: null, entries: null }; node.next.set(t.norm, child); }
      node = child;
    }
    const exact = caseSensitive ? toks.map((t) => phrase.slice(t.start, t.end)) : null;
    node.entries ??= [];
    // Same phrase twice: keep the first value (earlier files win), but a case-sensitive and an
    // insensitive entry can coexist.
    if (node.entries.some((e) => (e.exact === null) === (exact === null))) return;
    node.entries.push({ value, exact });
    this.size++;
  }

  /** The value of a one-token phrase written in any letter case (`norm` lower-cased), or null. */
  single(norm: string): T | null {
    const node = this.rootChild(norm);
    if (!node?.entries) return null;
    for (const e of node.entries) if (!e.exact) return e.value;
    return null;
  }

  /** Whether some phrase starts with the token `norm`. */
  startsWith(norm: string): boolean {
    return this.rootChild(norm) !== null;
  }

  /** The root's child for `norm` (through the cache), or null. */
  private rootChild(norm: string): Node<T> | null {
    let child = this.rootCache.get(norm);
    if (child === undefined) {
      child = this.root.next?.get(norm) ?? null;
      if (this.rootCache.size >= ROOT_CACHE_MAX) this.rootCache.clear();
      this.rootCache.set(norm, child);
    }
    return child;
  }

  /** Longest match starting at token `i`, or null. */
  matchAt(text: string, tokens: Token[], i: number): PhraseMatch<T> | null {
    return this.walk(text, tokens, singularsOf(tokens), i, i, this.root, null);
  }

  /**
   * Depth-first walk keeping the longest match. A plural word ("migraines") also follows the
   * singular branch (longer words ending in a single "s"), so both "migraines" and "migraine
   * without aura" can match; the branch factor is at most 2 per token.
   */
  private walk(text: string, tokens: Token[], singulars: Array<string | undefined>, first: number, j: number, node: Node<T>,
    best: PhraseMatch<T> | null): PhraseMatch<T> | null {
    if (j >= tokens.length || !node.next) return best;
    const norm = tokens[j]!.norm;
    const atRoot = node === this.root;
    const exact = atRoot ? this.rootChild(norm) : node.next.get(norm);
    const sing = singulars[j];
    const singular = sing === undefined ? undefined : atRoot ? this.rootChild(sing) : node.next.get(sing);
    if (exact) best = this.follow(text, tokens, singulars, first, j, exact, best);
    if (singular) best = this.follow(text, tokens, singulars, first, j, singular, best);
    // A side written inside a phrase ("fracture of the left wrist" for "fracture of the wrist"):
    // skipped here, read by the caller's laterality.
    if (!exact && j > first && SIDE_WORDS.has(norm)) best = this.walk(text, tokens, singulars, first, j + 1, node, best);
    return best;
  }

  /** One branch of `walk`: the entry ending at token `j` (if any), then the longest continuation. */
  private follow(text: string, tokens: Token[], singulars: Array<string | undefined>, first: number, j: number, child: Node<T>,
    best: PhraseMatch<T> | null): PhraseMatch<T> | null {
    let here = best;
    if (child.entries) {
      for (const e of child.entries) {
        if (e.exact && !exactEquals(text, tokens, first, e.exact)) continue;
        if (!here || j + 1 > here.last) here = { value: e.value, first, last: j + 1, start: tokens[first]!.start, end: tokens[j]!.end };
        break;
      }
    }
    const deeper = this.walk(text, tokens, singulars, first, j + 1, child, here);
    return deeper && (!best || deeper.last > best.last) ? deeper : best;
  }

  /** All longest, non-overlapping matches, left to right. */
  matchAll(text: string, tokens: Token[]): PhraseMatch<T>[] {
    const out: PhraseMatch<T>[] = [];
    const singulars = singularsOf(tokens);
    let i = 0;
    while (i < tokens.length) {
      const m = this.walk(text, tokens, singulars, i, i, this.root, null);
      if (m) { out.push(m); i = m.last; } else i++;
    }
    return out;
  }
}

/**
 * Per token, its singular form when it looks plural (5+ characters ending in a single "s"),
 * computed once per `matchAll` instead of sliced per token per trie depth.
 */
function singularsOf(tokens: Token[]): Array<string | undefined> {
  const out = new Array<string | undefined>(tokens.length);
  for (let j = 0; j < tokens.length; j++) {
    const norm = tokens[j]!.norm;
    const n = norm.length;
    if (n >= 5 && norm.charCodeAt(n - 1) === 115 && norm.charCodeAt(n - 2) !== 115) out[j] = norm.slice(0, -1);
  }
  return out;
}

function exactEquals(text: string, tokens: Token[], first: number, exact: string[]): boolean {
  for (let k = 0; k < exact.length; k++) {
    const t = tokens[first + k];
    if (!t || text.slice(t.start, t.end) !== exact[k]) return false;
  }
  return true;
}

export { phraseKeys };
