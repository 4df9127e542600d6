/**
 * Finds condition mentions by dictionary (token trie) match against the active ICD-10-CM
 * vocabulary, with each mention's assertion from the ConText triggers around it. Mentions inside
 * section header titles are skipped ("PE:" is the exam, not a pulmonary embolism).
 */
import type { Disease, Section } from '../../../core/clinical/extraction.js';
import type { Token } from '../text/tokenize.js';
import { type AssertionContext, assertionFor } from '../assertion/assertion-context.js';
import { activeConditionVocabulary } from './condition-vocabulary.js';

export const ICD10CM_SYSTEM = 'http://hl7.org/fhir/sid/icd-10-cm';

/** Returns the condition mentions of a tokenised note, in text order. */
export function findConditions(text: string, tokens: Token[], ctx: AssertionContext, sections: Section[]): Disease[] {
  const vocab = activeConditionVocabulary();
  const out: Disease[] = [];
  const headerEnds = sections.map((s) => ({ start: s.span.start, end: s.span.start + s.title.length, family: s.kind === 'family_history', allergy: s.kind === 'allergies', sectionEnd: s.span.end }));
  for (const m of vocab.trie.matchAll(text, tokens)) {
    const concept = m.value;
    if (concept.code === '-') continue;
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
