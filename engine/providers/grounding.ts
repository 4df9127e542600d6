/**
 * Grounding: an LLM value is only kept when it can be found in the source text, and then it
 * carries the span where it was found. Matching is exact first, then on a normalised form that
 * folds case, runs of whitespace and the confusions OCR typically makes (0/o, 1/l/I/i/|, 5/s,
 * rn/m), so a note read by OCR as "Metf0rmin 5OO rng" still grounds "metformin 500 mg".
 * A match must start and end on a word boundary of the source, so short invented values do not
 * ground inside unrelated words.
 */
import type { Span } from '../../core/clinical/extraction.js';

/** The normalised source with, per normalised character, the source range it came from. */
export interface GroundingIndex {
  readonly source: string;
  readonly norm: string;
  readonly starts: readonly number[];
  readonly ends: readonly number[];
}

export interface Grounded {
  span: Span;
  /** True when the value occurs verbatim (no normalisation needed). */
  exact: boolean;
}

const FOLD: Record<string, string> = { '0': 'o', '1': 'l', i: 'l', '|': 'l', '5': 's' };

function normalise(text: string): { norm: string; starts: number[]; ends: number[] } {
  let norm = '';
  const starts: number[] = [];
  const ends: number[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i] as string;
    if (/\s/.test(ch)) {
      let j = i + 1;
      while (j < text.length && /\s/.test(text[j] as string)) j++;
      norm += ' ';
      starts.push(i);
      ends.push(j);
      i = j;
      continue;
    }
    const lower = ch.toLowerCase();
    const c = lower.length === 1 ? lower : ch;
    // "rn" is read for "m" (and vice versa) by OCR; both sides fold to "m".
    if (c === 'r' && (text[i + 1] ?? '').toLowerCase() === 'n') {
      norm += 'm';
      starts.push(i);
      ends.push(i + 2);
      i += 2;
      continue;
    }
    norm += FOLD[c] ?? c;
    starts.push(i);
    ends.push(i + 1);
    i += 1;
  }
  return { norm, starts, ends };
}

/** The normalised form used for matching (exported for tests and for comparing values). */
export function normaliseForGrounding(text: string): string {
  return normalise(text.trim()).norm;
}

export function buildGroundingIndex(source: string): GroundingIndex {
  const { norm, starts, ends } = normalise(source);
  return { source, norm, starts, ends };
}

const WORD = /[\p{L}\p{N}]/u;

function onBoundaries(source: string, start: number, end: number): boolean {
  const first = source[start] ?? '';
  const last = source[end - 1] ?? '';
  const before = source[start - 1] ?? '';
  const after = source[end] ?? '';
  return !(WORD.test(first) && WORD.test(before)) && !(WORD.test(last) && WORD.test(after));
}

function nearest(candidates: Span[], near: number | undefined): Span | null {
  if (candidates.length === 0) return null;
  if (near === undefined) return candidates[0] as Span;
  return candidates.reduce((best, c) => (Math.abs(c.start - near) < Math.abs(best.start - near) ? c : best));
}

/**
 * Finds `value` in the indexed source. With several occurrences the one starting nearest `near`
 * (e.g. the medication name's offset) wins, else the first. Returns null for blank or absent values.
 */
export function groundValue(index: GroundingIndex, value: string, near?: number): Grounded | null {
  const wanted = value.trim();
  if (wanted.length === 0) return null;
  const exact: Span[] = [];
  for (let at = index.source.indexOf(wanted); at >= 0; at = index.source.indexOf(wanted, at + 1)) {
    if (onBoundaries(index.source, at, at + wanted.length)) exact.push({ start: at, end: at + wanted.length });
  }
  const hit = nearest(exact, near);
  if (hit) return { span: hit, exact: true };
  const needle = normaliseForGrounding(wanted);
  if (needle.length === 0) return null;
  const fuzzy: Span[] = [];
  for (let at = index.norm.indexOf(needle); at >= 0; at = index.norm.indexOf(needle, at + 1)) {
    const start = index.starts[at] as number;
    const end = index.ends[at + needle.length - 1] as number;
    if (onBoundaries(index.source, start, end)) fuzzy.push({ start, end });
  }
  const fuzzyHit = nearest(fuzzy, near);
  return fuzzyHit ? { span: fuzzyHit, exact: false } : null;
}
