/**
 * Sentence spans of a note, from the engine's own tokeniser and sentence rules (the ones assertion
 * scope uses), so a step's span agrees with what the rest of the engine calls a sentence. A leading
 * list marker ("1.", "-", "•") is not part of the sentence it starts.
 */
import { tokenize } from '../text/tokenize.js';
import { sentenceIds } from '../text/sentences.js';
import type { Span } from '../../../core/clinical/extraction.js';

export interface Sentence extends Span {
  text: string;
}

const LIST_MARKER = /^(?:\(?\d{1,2}[.)]|[-•*·]|[a-z][.)])\s+/i;

/** Every sentence of `text` with its span; list markers trimmed off the front. */
export function splitSentences(text: string): Sentence[] {
  const tokens = tokenize(text);
  if (tokens.length === 0) return [];
  const ids = sentenceIds(text, tokens);
  const out: Sentence[] = [];
  let start = tokens[0]!.start;
  let end = tokens[0]!.end;
  const pushOne = (s: number, e: number) => {
    const marker = LIST_MARKER.exec(text.slice(s, e));
    if (marker && marker[0].length < e - s) s += marker[0].length;
    out.push({ start: s, end: e, text: text.slice(s, e) });
  };
  // The shared rules treat "fever\nStop X." as one soft-wrapped sentence; an instruction line
  // starting with a capital, a digit or a list marker is a new step here.
  const push = () => {
    let s = start;
    const re = /\r?\n[ \t]*(?=[A-Z0-9•*·-])/g;
    re.lastIndex = s;
    for (let m = re.exec(text); m !== null && m.index < end; m = re.exec(text)) {
      const lineEnd = text.slice(s, m.index).trimEnd().length + s;
      if (lineEnd > s) pushOne(s, lineEnd);
      s = m.index + m[0].length;
    }
    if (end > s) pushOne(s, end);
  };
  for (let i = 1; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (ids[i] !== ids[i - 1]) {
      // "1." alone is a "sentence" to the tokeniser's rules; it belongs to the line it numbers.
      if (/^\(?\d{1,2}[.)]$/.test(text.slice(start, end).trim()) && t.line === tokens[i - 1]!.line) {
        end = t.end;
        continue;
      }
      push();
      start = t.start;
    }
    end = t.end;
  }
  push();
  return out;
}

/** The sentence containing offset `at` (or the nearest before it). */
export function sentenceAt(sentences: Sentence[], at: number): Sentence | null {
  let found: Sentence | null = null;
  for (const s of sentences) {
    if (s.start > at) break;
    found = s;
  }
  return found;
}
