/**
 * Maps text to clinical concept ids, so different wordings of one concept share an id:
 * "heart attack", "MI" and "myocardial infarction" all give `icd10cm:I21.9`; "Glucophage" and
 * "metformin" give `rxnorm:6809` (drugs without an RxCUI: `drug:<ingredient name>`). Used by the
 * embedder to add concept tokens. One tokenisation and two dictionary passes; no assertions.
 */
import { tokenize } from './text/tokenize.js';
import { activeConditionVocabulary } from './conditions/condition-vocabulary.js';
import { bundledDrugMatcher } from './medications/drug-matcher.js';

export interface ConceptMention { id: string; start: number; end: number }

/** Concept mentions in `text`, in text order, non-overlapping (longer mention wins). Never throws on any string. */
export function lookupConcepts(text: string): ConceptMention[] {
  const tokens = tokenize(text);
  const found: ConceptMention[] = [];
  for (const m of activeConditionVocabulary().trie.matchAll(text, tokens)) {
    if (m.value.code !== '-') found.push({ id: `icd10cm:${m.value.code}`, start: m.start, end: m.end });
  }
  for (const d of bundledDrugMatcher().findAll(text)) {
    found.push({ id: d.entry.rxcui ? `rxnorm:${d.entry.rxcui}` : `drug:${d.entry.name}`, start: d.start, end: d.end });
  }
  found.sort((a, b) => a.start - b.start || (b.end - b.start) - (a.end - a.start));
  const out: ConceptMention[] = [];
  let lastEnd = -1;
  for (const c of found) {
    if (c.start < lastEnd) continue;
    out.push(c);
    lastEnd = c.end;
  }
  return out;
}
