/**
 * Rewrites clinical text for a patient: terms and abbreviations from `glossary-terms.ts` become
 * plain words ("HTN" → "high blood pressure", "Metformin 500 mg BD" → "Metformin 500 mg twice a
 * day"). Only whole terms are rewritten: a term must not touch a letter or digit on either side,
 * so "AF" in "AFTER", "MI" in "MIN" and "BP" in "BP140" stay as written. Numbers, units and drug
 * names are never glossary terms, so they pass through unchanged. Pure and linear; the patterns
 * are built once.
 */
import { ABBREVIATIONS, TESTS, WORDS, type Glossary } from './glossary-terms.js';

/** In a dosing instruction, "AF"/"BF" are after/before food (Indian prescriptions), not atrial fibrillation. */
const SIG_MEAL: Glossary = { AF: 'after food', BF: 'before food' };
const SIG_BEFORE = /(?:\b\d+(?:\.\d+)?\s*-\s*\d+(?:\.\d+)?\s*-\s*\d+|\b(?:OD|BD|TDS|BID|TID|QID|HS|tab|tabs|tablet|tablets|cap|caps|mg|ml|mcg|units?|daily|x\s*\d+\s*days?)\b|\()[\s.,]*\(?\s*$/i;
const SIG_AFTER = /^\s*[),]?\s*(?:\d|x\s*\d|for\s+\d|$)/i;

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/&-]/g, '\\$&');
}

function alternation(keys: string[], flags: string): RegExp {
  const sorted = [...keys].sort((a, b) => b.length - a.length);
  return new RegExp(`(?<![A-Za-z0-9])(?:${sorted.map(escape).join('|')})(?![A-Za-z0-9])`, flags);
}

const EXACT: Glossary = { ...ABBREVIATIONS, ...TESTS, ...SIG_MEAL };
const EXACT_RE = alternation(Object.keys(EXACT), 'g');
const WORDS_LOWER = new Map(Object.entries(WORDS).map(([k, v]) => [k.toLowerCase(), v]));
const WORDS_RE = alternation([...WORDS_LOWER.keys()], 'gi');

export interface GlossaryHit {
  /** Offsets in the original text. */
  start: number;
  end: number;
  term: string;
  plain: string;
}

function plainFor(term: string, text: string, start: number, end: number): string | null {
  if (term in SIG_MEAL) {
    const sig = SIG_BEFORE.test(text.slice(Math.max(0, start - 30), start)) || SIG_AFTER.test(text.slice(end, end + 12));
    if (sig) return SIG_MEAL[term]!;
    return term === 'AF' ? ABBREVIATIONS.AFib! : null;
  }
  if (term in TESTS) return `${TESTS[term]} (${term})`;
  return EXACT[term] ?? null;
}

/** Every glossary term in `text`, left to right, longest first where two overlap. */
export function findGlossaryTerms(text: string): GlossaryHit[] {
  const hits: GlossaryHit[] = [];
  for (const m of text.matchAll(EXACT_RE)) {
    const plain = plainFor(m[0], text, m.index, m.index + m[0].length);
    if (plain !== null) hits.push({ start: m.index, end: m.index + m[0].length, term: m[0], plain });
  }
  for (const m of text.matchAll(WORDS_RE)) {
    hits.push({ start: m.index, end: m.index + m[0].length, term: m[0], plain: WORDS_LOWER.get(m[0].toLowerCase())! });
  }
  hits.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: GlossaryHit[] = [];
  for (const h of hits) if (kept.length === 0 || h.start >= kept.at(-1)!.end) kept.push(h);
  return kept;
}

const SENTENCE_START = /(?:^|[.!?:]\s+|\n\s*)$/;

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

/**
 * `text` with every glossary term replaced by plain words (tests keep their name in brackets).
 * A replacement starts with a capital where the term started a sentence or was a capitalised
 * word ("Hypertension, controlled" → "High blood pressure, controlled").
 */
export function toPlainLanguage(text: string): string {
  let out = '';
  let from = 0;
  for (const h of findGlossaryTerms(text)) {
    out += text.slice(from, h.start);
    const startsSentence = SENTENCE_START.test(text.slice(Math.max(0, h.start - 3), h.start)) || (h.start === 0);
    const capitalWord = /^[A-Z][a-z]/.test(h.term) && h.term.toLowerCase() in WORDS;
    out += startsSentence || capitalWord ? capitalise(h.plain) : h.plain;
    from = h.end;
  }
  return out + text.slice(from);
}
