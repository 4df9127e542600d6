/**
 * The rules extractor: one pass of tokenisation, then dictionary (trie) matchers for sections,
 * conditions with ConText assertions, observations, the prescriber, allergies and (through
 * engine/clinical/medications) medications with FHIR Dosage. Pure and synchronous; it never
 * throws on any string — a component that fails is reported in `warnings` (code only, no text)
 * and its list is left empty, so one bug cannot take a whole batch down.
 */
import type { Extraction, Medication, Section } from '../../core/clinical/extraction.js';
import { findMedications } from './medications/find-medications.js';
import { findSections } from './sections/find-sections.js';
import { tokenize } from './text/tokenize.js';
import { sentenceIds } from './text/sentences.js';
import { buildAssertionContext } from './assertion/assertion-context.js';
import { findConditions } from './conditions/find-conditions.js';
import { findObservations } from './observations/find-observations.js';
import { findPrescriber } from './prescriber/find-prescriber.js';
import { findAllergies } from './allergies/find-allergies.js';
import { takeOcrRepairs } from './text/ocr-repairs.js';

/** Below this OCR confidence (0–1, as the OCR provider reports it) a note carries OCR_LOW_CONFIDENCE. */
export const LOW_OCR_CONFIDENCE = 0.8;

export const RULES_EXTRACTOR_VERSION = '1.0.0';

type Warning = Extraction['warnings'][number];

function guarded<T>(component: string, warnings: Warning[], fallback: T, fn: () => T): T {
  try {
    return fn();
  } catch {
    warnings.push({ code: 'COMPONENT_FAILED', message: `${component} extraction failed; its results are omitted` });
    return fallback;
  }
}

/**
 * Extracts clinical facts from a note. `options.now` resolves relative dates ("today") in
 * observations; without it they stay null. Every item's `span` indexes `text` (UTF-16 offsets)
 * and `text.slice(span.start, span.end) === item.text`.
 */
export function extractClinical(text: string, options: { now?: Date; ocrConfidence?: number } = {}): Extraction {
  const t0 = performance.now();
  const warnings: Warning[] = [];
  takeOcrRepairs(); // counts from this extraction only
  const input = typeof text === 'string' ? text : '';
  const sections = guarded('sections', warnings, [] as Section[], () => findSections(input));
  const tokens = tokenize(input);
  const sentence = sentenceIds(input, tokens);
  const diseases = guarded('conditions', warnings, [], () => findConditions(input, tokens, buildAssertionContext(input, tokens, sentence), sections));
  const observations = guarded('observations', warnings, [], () => findObservations(input, tokens, options.now));
  const doctor = guarded('prescriber', warnings, null, () => findPrescriber(input));
  const allergies = guarded('allergies', warnings, [], () => findAllergies(input, sections));
  const medications = guarded('medications', warnings, [] as Medication[], () => findMedications(input, warnings))
    .filter((m) => !insideCondition(m, diseases))
    .map((m) => withSectionStatus(m, sections));
  const repaired = takeOcrRepairs();
  if (repaired > 0) warnings.push({ code: 'OCR_REPAIRED', message: `${repaired} word(s) split by OCR were joined against the vocabulary` });
  if (options.ocrConfidence !== undefined && options.ocrConfidence < LOW_OCR_CONFIDENCE) {
    warnings.push({ code: 'OCR_LOW_CONFIDENCE', message: `OCR confidence ${options.ocrConfidence.toFixed(2)} is below ${LOW_OCR_CONFIDENCE}: check the extracted values against the document` });
  }
  const diseasesOutsideSigs = withinSigs(diseases, medications);
  if (input.trim() === '') warnings.push({ code: 'EMPTY_TEXT', message: 'the note is empty' });
  return {
    extractor: 'rules',
    extractor_version: RULES_EXTRACTOR_VERSION,
    latency_ms: Math.max(0, performance.now() - t0),
    sections,
    diseases: diseasesOutsideSigs,
    medications,
    observations,
    doctor,
    allergies,
    warnings,
  };
}

/**
 * Whether a medication's name sits inside a condition's words: "vitamin D deficiency", "iron
 * deficiency anaemia", "heparin-induced thrombocytopenia" name a condition, not a drug taken.
 */
function insideCondition(m: Medication, diseases: Extraction['diseases']): boolean {
  const name = m.spans.name ?? m.span;
  for (const d of diseases) if (name.start >= d.span.start && name.end <= d.span.end && d.span.end - d.span.start > name.end - name.start) return true;
  return false;
}

/** Sig fields whose text is never a condition of the patient ("(AF)" after food, "OD" once daily). */
const SIG_FIELDS = ['as_needed_reason', 'dose', 'frequency', 'duration', 'route', 'as_needed', 'max_dose', 'dispense_quantity', 'refills'];

/**
 * A PRN reason ("prn wheezing", "SOS for fever") names what the drug is for if it happens, not a
 * diagnosis of the patient; a condition inside another part of a dose instruction ("1-0-1 (AF)" =
 * after food) is no condition at all. Both are dropped (the reason stays on the medication as
 * `as_needed_reason`).
 */
function withinSigs(diseases: Extraction['diseases'], meds: Medication[]): Extraction['diseases'] {
  if (diseases.length === 0 || meds.length === 0) return diseases;
  const inside = (d: { span: { start: number; end: number } }, s: { start: number; end: number } | undefined): boolean =>
    s !== undefined && d.span.start >= s.start && d.span.end <= s.end;
  const out: Extraction['diseases'] = [];
  for (const d of diseases) {
    const m = meds.find((x) => d.span.start < x.span.end && d.span.end > x.span.start);
    if (!m) { out.push(d); continue; }
    if (SIG_FIELDS.some((k) => inside(d, m.spans[k]))) continue;
    out.push(d);
  }
  return out;
}

/** Fills a medication's null status from the section it sits in (new / current / discharge lists). */
function withSectionStatus(m: Medication, sections: Section[]): Medication {
  if (m.status !== null) return m;
  let section: Section | null = null;
  for (const s of sections) if (m.span.start >= s.span.start && m.span.start < s.span.end) section = s;
  if (!section) return m;
  const title = section.title.toLowerCase();
  let status: Medication['status'] = null;
  if (/hold|held|withh[eo]ld|pause/.test(title)) status = 'held';
  else if (/previous|past med|prior med|tried/.test(title)) status = 'past';
  else if (/stop|discontinu|ceased/.test(title)) status = 'stopped';
  else if (/chang|adjust/.test(title)) status = 'changed';
  else if (section.kind === 'medications_new') status = 'new';
  else if (section.kind === 'medications_current' || section.kind === 'medications_discharge') status = 'continued';
  return status === null ? m : { ...m, status };
}
