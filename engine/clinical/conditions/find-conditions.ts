/**
 * Finds condition mentions by dictionary (token trie) match against the active ICD-10-CM
 * vocabulary, with each mention's assertion from the ConText triggers around it. Mentions inside
 * section header titles are skipped ("PE:" is the exam, not a pulmonary embolism).
 */
import type { Disease, Section } from '../../../core/clinical/extraction.js';
import { PUNCT, type Token } from '../text/tokenize.js';
import type { PhraseMatch } from '../text/phrase-trie.js';
import { maySplitWord, noteOcrRepair } from '../text/ocr-repairs.js';
import { everydayWords } from '../vocab/drug-vocab.js';
import { type AssertionContext, assertionFor } from '../assertion/assertion-context.js';
import { activeConditionVocabulary, lateralityOf, type ConditionConcept, type ConditionVocabulary } from './condition-vocabulary.js';

export const ICD10CM_SYSTEM = 'http://hl7.org/fhir/sid/icd-10-cm';

/** Returns the condition mentions of a tokenised note, in text order. */
export function findConditions(text: string, tokens: Token[], ctx: AssertionContext, sections: Section[]): Disease[] {
  const vocab = activeConditionVocabulary();
  const out: Disease[] = [];
  const headerEnds = sections.map((s) => ({ start: s.span.start, end: s.span.start + s.title.length, family: s.kind === 'family_history', allergy: s.kind === 'allergies', sectionEnd: s.span.end }));
  for (const m of withSplitRepairs(vocab, text, tokens, vocab.trie.matchAll(text, tokens))) {
    let concept = m.value;
    if (concept.code === '-') continue;
    // "left otitis media", "fracture of the right ankle": the side-specific code when there is one.
    const sides = lateralityOf(vocab, concept.code);
    if (sides) {
      const side = sideOf(tokens, m.first, m.last);
      const lateral = side ? sides[side] : undefined;
      if (lateral) concept = concept.negatedForm ? { ...lateral, negatedForm: true } : lateral;
    }
    let family = false;
    let inHeader = false;
    for (const h of headerEnds) {
      if (m.start >= h.start && m.start < h.end) { inHeader = true; break; }
      if (m.start >= h.start && m.start < h.sectionEnd) {
        if (h.family) family = true;
        // Reactions listed with allergies ("penicillin (rash)") are not current conditions.
        if (h.allergy) { inHeader = true; break; }
      }
    }
    if (inHeader) continue;
    const assertion = concept.negatedForm ? 'negated' : assertionFor(ctx, m.first, m.last, family).assertion;
    const surface = text.slice(m.start, m.end);
    const single = m.last - m.first === 1;
    const confidence = single && surface.length <= 4 ? 0.8 : 0.92;
    out.push({
      text: surface,
      display: concept.display,
      code: { system: ICD10CM_SYSTEM, code: concept.code, display: concept.display },
      assertion,
      span: { start: m.start, end: m.end },
      confidence,
    });
  }
  return out;
}

const SIDES: Record<string, 'left' | 'right' | 'bilateral'> = { left: 'left', right: 'right', lt: 'left', rt: 'right', bilateral: 'bilateral', both: 'bilateral' };
const LINKS = new Set(['of', 'in', 'on', 'to', 'the', 'involving', 'affecting', 'at', ',', '(']);

/**
 * The side a condition mention names, from up to three words before it ("left otitis media",
 * "right ear otitis media", "R ankle sprain"), inside it ("fracture of the left wrist") or a short
 * phrase after it ("otitis media of the left ear", "fracture, right"), within its clause.
 */
export function sideOf(tokens: Token[], first: number, last: number): 'left' | 'right' | 'bilateral' | null {
  // Inside the mention: the trie steps over a side word within a phrase ("fracture of the left wrist").
  for (let k = first + 1; k < last - 1; k++) { const s = SIDES[tokens[k]!.norm]; if (s) return s; }
  for (let k = first - 1; k >= Math.max(0, first - 3); k--) {
    const t = tokens[k]!;
    if (t.kind === PUNCT) break;
    const s = SIDES[t.norm] ?? (k === first - 1 && t.upper && (t.norm === 'l' || t.norm === 'r') ? (t.norm === 'l' ? 'left' : 'right') : undefined);
    if (s) return s;
  }
  for (let k = last; k < Math.min(tokens.length, last + 4); k++) {
    const t = tokens[k]!;
    const s = SIDES[t.norm];
    if (s) return s;
    if (!LINKS.has(t.norm)) break;
  }
  return null;
}

/**
 * Adds matches for one-word conditions OCR split in two ("H ypertension") between the trie's
 * matches, conservatively: the joined word must be a one-word phrase and neither part a word.
 */
function withSplitRepairs(vocab: ConditionVocabulary, text: string, tokens: Token[], matches: PhraseMatch<ConditionConcept>[]): PhraseMatch<ConditionConcept>[] {
  const everyday = everydayWords();
  const known = (w: string): boolean => everyday.has(w) || vocab.trie.single(w) !== null;
  let out: PhraseMatch<ConditionConcept>[] | null = null;
  let mi = 0;
  for (let i = 0; i + 1 < tokens.length; i++) {
    while (mi < matches.length && matches[mi]!.last <= i) mi++;
    const m = matches[mi];
    if (m && m.first <= i + 1) { i = m.last - 1; continue; }
    const a = tokens[i]!;
    const b = tokens[i + 1]!;
    if (!maySplitWord(text, a.start, a.end, b.start, a.norm, b.norm, known)) continue;
    const value = vocab.trie.single(a.norm + b.norm);
    if (!value) continue;
    out ??= [...matches];
    out.push({ value, first: i, last: i + 2, start: a.start, end: b.end });
    noteOcrRepair();
    i++;
  }
  return out ? out.sort((x, y) => x.start - y.start) : matches;
}
