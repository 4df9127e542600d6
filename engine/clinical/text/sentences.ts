/**
 * Sentence segmentation over a token stream, for assertion scope. A sentence ends at ".", "!" or
 * "?" followed by space/end (not inside numbers, not after titles or dotted abbreviations such as
 * "Dr." or "b.i.d."), and at a line break unless the line is a soft wrap (the next line starts
 * with a lower-case word and the previous one did not end a list item).
 */
import type { Token } from './tokenize.js';
import { NUM, PUNCT, WORD } from './tokenize.js';

const NO_BREAK_BEFORE_DOT = new Set([
  'dr', 'mr', 'mrs', 'ms', 'prof', 'st', 'vs', 'approx', 'no', 'fig', 'e.g', 'i.e', 'etc', 'pt', 'hx', 'sx', 'dx', 'tx', 'rx',
  'jr', 'sr', 'inc', 'tab', 'tabs', 'cap', 'caps', 'approx',
]);

/** Returns, per token, the index of the sentence it belongs to (non-decreasing). */
export function sentenceIds(text: string, tokens: Token[]): Int32Array {
  const ids = new Int32Array(tokens.length);
  let sid = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const prev = i > 0 ? tokens[i - 1]! : null;
    if (prev && t.line !== prev.line && !softWrap(prev, t)) sid++;
    ids[i] = sid;
    if (t.kind === PUNCT && (t.norm === '.' || t.norm === '!' || t.norm === '?')) {
      if (endsSentence(text, tokens, i)) sid++;
    }
  }
  return ids;
}

function softWrap(prev: Token, next: Token): boolean {
  if (next.kind !== WORD || next.upper) return false;
  const c = next.norm.charCodeAt(0);
  if (c < 97 || c > 122) return false;
  if (prev.kind === PUNCT && prev.norm !== ',' && prev.norm !== ')') return false;
  // A lower-case first letter in the original means a continuation line.
  return true;
}

function endsSentence(text: string, tokens: Token[], i: number): boolean {
  const t = tokens[i]!;
  const after = text.charCodeAt(t.end);
  if (t.norm === '.') {
    const prev = i > 0 ? tokens[i - 1]! : null;
    const next = tokens[i + 1];
    // Decimal numbers ("7.2") and dotted abbreviations ("b.i.d.", "q.d.s.").
    if (prev && next && prev.end === t.start && next.start === t.end && (prev.kind === NUM || next.kind === NUM || next.norm.length <= 2)) return false;
    if (prev && prev.end === t.start && prev.kind === WORD && NO_BREAK_BEFORE_DOT.has(prev.norm) && next && next.line === t.line) {
      // "No. 5" keeps going, "Asthma: no. Diabetes: yes." does not.
      if (prev.norm !== 'no' || next.kind === NUM) return false;
    }
    // Last dot of a dotted abbreviation ("b.i.d.", "q.d.s.").
    const before = i > 1 ? tokens[i - 2]! : null;
    if (prev && before && prev.norm.length === 1 && prev.end === t.start && before.norm === '.' && before.end === prev.start) {
      return false;
    }
  }
  return Number.isNaN(after) || after === 32 || after === 10 || after === 13 || after === 9 || after === 41 || after === 34;
}
