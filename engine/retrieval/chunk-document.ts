/**
 * Section-aware chunking (tier 3). Each page is cut into sections with the engine's section
 * finder (headers it knows by name, and unknown capitalised headers standing alone on their line);
 * text before a page's first header continues the previous page's last section (the
 * preamble on page 1). Each section is cut into units — a table-like line whole (a lab row is
 * never split), prose lines into sentences, a sentence longer than a chunk at word boundaries —
 * and units are packed into chunks of at most `maxTokens`, each chunk after the first repeating
 * the previous chunk's trailing units up to `overlapTokens`. So a chunk never straddles two
 * sections or two pages, its range is exact, and together the chunks cover every non-space
 * character of the document.
 */
import { findSections } from '../clinical/sections/find-sections.js';
import type { Chunk, ChunkableDocument, ChunkSection } from './chunk.js';
import { countTokens } from './clinical-tokens.js';

export interface ChunkOptions {
  /** Largest chunk in approximate tokens; default 300. A single unit may not exceed it either. */
  maxTokens?: number;
  /** Tokens of trailing units repeated at the start of the next chunk of a section; default 60. */
  overlapTokens?: number;
}

interface Unit {
  start: number;
  end: number;
  tokens: number;
}

interface SectionRange {
  start: number;
  end: number;
  section: ChunkSection;
}

const PREAMBLE: ChunkSection = { kind: 'preamble', title: '' };
// Two spaces, a tab or a pipe inside a line: a table row (lab results, medication grids).
const TABLE_LINE = /\S(?: {2,}|\t|\|)\S/;
// A sentence ends at . ! ? followed by space and a capital, digit or bracket.
const SENTENCE_END = /[.!?](?=\s+[\p{Lu}\p{N}(])/gu;

/** The section finder's confidence for headers it knows by name (unknown capitalised ones get 0.6). */
const KNOWN_HEADER = 0.9;

/**
 * True when nothing but the header (and its colon) is on its line. An unknown "LABEL: value" line
 * ("PANCREAS: normal", "LAD: 90% stenosis") is a field inside a section, not a section of its own.
 */
function standsAlone(text: string, start: number, title: string): boolean {
  let e = text.indexOf('\n', start);
  if (e < 0) e = text.length;
  return /^[\s:#*]*$/.test(text.slice(start + title.length, e));
}

/** The sections of one page as a partition of [0, text.length); `carry` is the section the page opens in. */
function pageSections(text: string, carry: ChunkSection): SectionRange[] {
  const found = findSections(text).filter((s) => s.confidence >= KNOWN_HEADER || standsAlone(text, s.span.start, s.title));
  const out: SectionRange[] = [];
  const first = found[0]?.span.start ?? text.length;
  if (first > 0) out.push({ start: 0, end: first, section: carry });
  for (let i = 0; i < found.length; i++) {
    const s = found[i]!;
    out.push({ start: s.span.start, end: found[i + 1]?.span.start ?? text.length, section: { kind: s.kind, title: s.title } });
  }
  return out;
}

/** Trims a range to its non-space characters; null when nothing is left. */
function trimmed(text: string, start: number, end: number): Unit | null {
  while (start < end && /\s/.test(text[start]!)) start++;
  while (end > start && /\s/.test(text[end - 1]!)) end--;
  return start < end ? { start, end, tokens: countTokens(text.slice(start, end)) } : null;
}

const MODEL_TOKEN = /[\p{L}\p{N}]+|[^\s\p{L}\p{N}]/gu;

/**
 * Splits an over-long unit at spaces into pieces of at most `max` tokens; a single word longer
 * than that (a run of symbols, a long code) is cut between its tokens.
 */
function splitAtWords(text: string, u: Unit, max: number, out: Unit[]): void {
  const words = /\S+/g;
  words.lastIndex = u.start;
  let piece: Unit | null = null;
  for (let m = words.exec(text); m !== null && m.index < u.end; m = words.exec(text)) {
    const wEnd = Math.min(m.index + m[0].length, u.end);
    const t = countTokens(text.slice(m.index, wEnd));
    if (piece && piece.tokens + t > max) {
      out.push(piece);
      piece = null;
    }
    if (t > max) {
      splitWord(text, m.index, wEnd, max, out);
      continue;
    }
    if (piece) {
      piece.end = wEnd;
      piece.tokens += t;
    } else piece = { start: m.index, end: wEnd, tokens: t };
  }
  if (piece) out.push(piece);
}

function splitWord(text: string, start: number, end: number, max: number, out: Unit[]): void {
  const word = text.slice(start, end);
  let piece: Unit | null = null;
  for (const m of word.matchAll(MODEL_TOKEN)) {
    const a = start + m.index;
    if (piece && piece.tokens === max) {
      out.push(piece);
      piece = null;
    }
    if (piece) {
      piece.end = a + m[0].length;
      piece.tokens++;
    } else piece = { start: a, end: a + m[0].length, tokens: 1 };
  }
  if (piece) out.push(piece);
}

function pushUnit(text: string, u: Unit | null, max: number, out: Unit[]): void {
  if (!u) return;
  if (u.tokens <= max) out.push(u);
  else splitAtWords(text, u, max, out);
}

/** The units of a section range, in order. */
function sectionUnits(text: string, r: SectionRange, max: number): Unit[] {
  const out: Unit[] = [];
  let ls = r.start;
  while (ls < r.end) {
    let le = text.indexOf('\n', ls);
    if (le < 0 || le > r.end) le = r.end;
    const line = trimmed(text, ls, le);
    if (line && !TABLE_LINE.test(text.slice(line.start, line.end))) {
      let s = line.start;
      SENTENCE_END.lastIndex = line.start;
      const lineText = text.slice(0, line.end);
      for (let m = SENTENCE_END.exec(lineText); m !== null; m = SENTENCE_END.exec(lineText)) {
        pushUnit(text, trimmed(text, s, m.index + 1), max, out);
        s = m.index + 1;
      }
      pushUnit(text, trimmed(text, s, line.end), max, out);
    } else {
      pushUnit(text, line, max, out);
    }
    ls = le + 1;
  }
  return out;
}

/** Packs units into [first, last] index pairs, each ≤ max tokens, consecutive chunks overlapping. */
function pack(units: readonly Unit[], max: number, overlap: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  let i = 0;
  while (i < units.length) {
    let j = i;
    let tokens = units[i]!.tokens;
    while (j + 1 < units.length && tokens + units[j + 1]!.tokens <= max) tokens += units[++j]!.tokens;
    out.push([i, j]);
    if (j === units.length - 1) break;
    // Next chunk: the trailing units that fit in `overlap` and still leave room for the next new
    // unit (else the chunk would add nothing), never all of this chunk (progress).
    const room = Math.min(overlap, max - units[j + 1]!.tokens);
    let next = j + 1;
    let back = 0;
    while (next - 1 > i && back + units[next - 1]!.tokens <= room) back += units[--next]!.tokens;
    i = next;
  }
  return out;
}

/** Cuts a document into chunks, in page and text order. Never throws; an empty page yields none. */
export function chunkDocument(doc: ChunkableDocument, options: ChunkOptions = {}): Chunk[] {
  const max = Math.max(1, options.maxTokens ?? 300);
  const overlap = Math.max(0, Math.min(options.overlapTokens ?? 60, max - 1));
  const chunks: Chunk[] = [];
  let carry = PREAMBLE;
  doc.pages.forEach((text, p) => {
    const ranges = pageSections(text, carry);
    for (const r of ranges) {
      const units = sectionUnits(text, r, max);
      for (const [a, b] of pack(units, max, overlap)) {
        const start = units[a]!.start;
        const end = units[b]!.end;
        let tokens = 0;
        for (let k = a; k <= b; k++) tokens += units[k]!.tokens;
        chunks.push({
          id: `${doc.docId}#${p + 1}:${start}`,
          docId: doc.docId,
          docType: doc.type,
          clinicalDate: doc.clinicalDate,
          docTitle: doc.title,
          page: p + 1,
          start,
          end,
          section: r.section,
          text: text.slice(start, end),
          tokens,
        });
      }
    }
    carry = ranges[ranges.length - 1]?.section ?? carry;
  });
  return chunks;
}
