/**
 * Dictionary matcher for drug names over word tokens: a token trie for exact (multi-word) names,
 * plus a symmetric-deletion index for one-edit misspellings of names of 6+ letters and a digit →
 * letter repair for OCR noise ("metf0rmin", "1isinopril"). One pass over the note's tokens; no
 * per-note loop over the vocabulary.
 */
import type { DrugEntry, DrugVocab } from '../vocab/drug-vocab.js';

export interface DrugMatch {
  start: number;
  end: number;
  entry: DrugEntry;
  /** 'exact', 'ocr' (digits repaired) or 'fuzzy' (one edit). */
  kind: 'exact' | 'ocr' | 'fuzzy';
}

interface Node { next: Map<string, Node>; entry: DrugEntry | null }

/** Characters allowed between the words of a multi-word name ("Z-Pak", "Tylenol #3", "co-amoxiclav"): 1–3 of " -/#+" (see isGap). */
const OCR_DIGITS: Record<string, string> = { '0': 'o', '1': 'l', '5': 's', '8': 'b', '3': 'e', '6': 'g', '7': 't' };
const MIN_FUZZY = 6;
/** English and clinical words one edit away from a drug name; never corrected. */
const NOT_DRUGS = new Set(['ambient', 'lyrics', 'solace', 'palace', 'prosecute', 'request', 'requires',
  'insular', 'restore', 'restored', 'detail', 'details', 'senior', 'lantern', 'plenty', 'allergic', 'allergy', 'cardiac',
  'regular', 'atrial', 'actual', 'relief', 'primary', 'remain', 'remains', 'medical', 'protein', 'proteins',
  'instead', 'celebrate', 'premium', 'evident', 'tender', 'central', 'control', 'controls', 'caution',
  'national', 'rational', 'natural', 'nursing', 'morning', 'evening', 'bedtime', 'tablets', 'capsules', 'patient',
  'patients', 'history', 'started', 'stopped', 'continue', 'continued', 'daily', 'weekly', 'monthly', 'hourly',
  'lasting', 'pending', 'regimen', 'oxygen', 'severe', 'stable', 'symptoms']);

export class DrugMatcher {
  private readonly root: Node = { next: new Map(), entry: null };
  /** Single-word names of 6+ letters, for fuzzy lookups. */
  private readonly single = new Map<string, DrugEntry>();
  private readonly deletes = new Map<string, string[]>();
  /** Fuzzy/OCR outcomes per word: note vocabulary repeats, so each word is corrected once. */
  private readonly memo = new Map<string, { entry: DrugEntry; kind: 'ocr' | 'fuzzy' } | null>();

  constructor(vocab: DrugVocab) {
    for (const [term, entry] of vocab.terms) {
      const words = term.match(/[a-z0-9]+/g);
      if (!words) continue;
      let node = this.root;
      for (const w of words) {
        let n = node.next.get(w);
        if (!n) { n = { next: new Map(), entry: null }; node.next.set(w, n); }
        node = n;
      }
      node.entry ??= entry;
      if (words.length === 1 && /^[a-z]+$/.test(words[0]!) && words[0]!.length >= MIN_FUZZY) {
        this.single.set(words[0]!, entry);
        for (const d of deletions(words[0]!)) {
          const list = this.deletes.get(d);
          if (list) { if (!list.includes(words[0]!)) list.push(words[0]!); } else this.deletes.set(d, [words[0]!]);
        }
      }
    }
  }

  /** All drug mentions in `text`, left to right, non-overlapping, longest first at each position. */
  findAll(text: string): DrugMatch[] {
    const toks = wordTokens(text);
    const out: DrugMatch[] = [];
    for (let i = 0; i < toks.length; i++) {
      let node: Node | undefined = this.root;
      let bestJ = -1;
      let bestEntry: DrugEntry | null = null;
      for (let j = i; j < toks.length && node; j++) {
        if (j > i && !isGap(text, toks[j - 1]!.e, toks[j]!.s)) break;
        node = node.next.get(toks[j]!.w);
        if (node?.entry) { bestJ = j; bestEntry = node.entry; }
      }
      const t = toks[i]!;
      if (bestEntry) {
        out.push({ start: t.s, end: toks[bestJ]!.e, entry: bestEntry, kind: 'exact' });
        i = bestJ;
        continue;
      }
      if (t.w.length < MIN_FUZZY - 1 || NOT_DRUGS.has(t.w)) continue;
      let hit = this.memo.get(t.w);
      if (hit === undefined) {
        hit = this.correct(t.w);
        if (this.memo.size > 100_000) this.memo.clear();
        this.memo.set(t.w, hit);
      }
      if (hit) out.push({ start: t.s, end: t.e, entry: hit.entry, kind: hit.kind });
    }
    return out;
  }

  /** OCR repair first ("metf0rmin", "rnetformin"), then one edit for words of 6+ letters. */
  private correct(w: string): { entry: DrugEntry; kind: 'ocr' | 'fuzzy' } | null {
    const repaired = /\d/.test(w) && /[a-z]/.test(w) ? repairOcr(w) : w.includes('rn') ? w.replace(/rn/g, 'm') : null;
    if (repaired) {
      const hit = this.lookupOne(repaired) ?? this.fuzzy(repaired, false);
      if (hit) return { entry: hit, kind: 'ocr' };
    }
    if (w.length >= MIN_FUZZY && /^[a-z]+$/.test(w)) {
      const hit = this.fuzzy(w, true);
      if (hit) return { entry: hit, kind: 'fuzzy' };
    }
    return null;
  }

  private lookupOne(w: string): DrugEntry | null {
    return this.root.next.get(w)?.entry ?? null;
  }

  /** A single-word name within one edit (insert, delete, substitute, transpose) of `w`. */
  private fuzzy(w: string, sameFirst: boolean): DrugEntry | null {
    const candidates = new Set<string>();
    for (const c of this.deletes.get(w) ?? []) candidates.add(c);
    for (const d of deletions(w)) {
      if (this.single.has(d)) candidates.add(d);
      for (const c of this.deletes.get(d) ?? []) candidates.add(c);
    }
    for (const c of candidates) {
      if (sameFirst && c[0] !== w[0]) continue;
      if (withinOneEdit(w, c)) return this.single.get(c)!;
    }
    return null;
  }
}

interface WordToken { s: number; e: number; w: string }

function isWordChar(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
}

/**
 * Runs of ASCII letters/digits (as /[A-Za-z0-9]+/g), lower-cased. A char-code scan that lower-cases
 * only tokens holding a capital: this ran once per note over every word and dominated matching.
 */
function wordTokens(text: string): WordToken[] {
  const toks: WordToken[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    let c = text.charCodeAt(i);
    if (!isWordChar(c)) { i++; continue; }
    const s = i;
    let upper = false;
    while (i < n && isWordChar(c = text.charCodeAt(i))) { if (c >= 65 && c <= 90) upper = true; i++; }
    const raw = text.slice(s, i);
    toks.push({ s, e: i, w: upper ? raw.toLowerCase() : raw });
  }
  return toks;
}

/** Whether text[from, to) is a gap allowed inside a multi-word name: 1 to 3 of " -/#+", checked without slicing. */
function isGap(text: string, from: number, to: number): boolean {
  const len = to - from;
  if (len < 1 || len > 3) return false;
  for (let k = from; k < to; k++) {
    const c = text.charCodeAt(k);
    if (c !== 32 && c !== 45 && c !== 47 && c !== 35 && c !== 43) return false;
  }
  return true;
}

function deletions(w: string): string[] {
  const out: string[] = [];
  for (let i = 0; i < w.length; i++) out.push(w.slice(0, i) + w.slice(i + 1));
  return out;
}

/** Digits inside a word read as the letters OCR confuses them with; "rn" read as "m". */
function repairOcr(w: string): string {
  let s = '';
  for (const ch of w) s += OCR_DIGITS[ch] ?? ch;
  return /^[a-z]+$/.test(s) ? s : w;
}

/** Optimal-string-alignment distance ≤ 1. */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  const la = a.length; const lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  let i = 0;
  while (i < la && i < lb && a[i] === b[i]) i++;
  if (la === lb) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}
