/**
 * Finds medication mentions in clinical text: drug name (normalised ingredient + RxCUI), strength,
 * form, route, status and the dose instruction parsed into FHIR Dosage. Pure and synchronous;
 * never throws on any string; every span indexes `text`.
 */
import type { Medication, Span } from '../../../core/clinical/extraction.js';
import { loadDrugVocab, type DrugEntry, type DrugVocab } from '../vocab/drug-vocab.js';
import { DrugMatcher, type DrugMatch } from './drug-matcher.js';
import { parseForm, parseStrength } from './strength-form.js';
import { headerAbove, isAllergyContext, isNegated, lineStart, statusIn, windowEnd, type MedStatus } from './med-context.js';
import { buildMedication } from './build-medication.js';

let defaultMatcher: { vocab: DrugVocab; matcher: DrugMatcher } | null = null;

/** Builds a matcher for a vocabulary (for a hospital's larger vocabulary loaded with loadDrugVocab). */
export function createMedicationFinder(vocab: DrugVocab): (text: string) => Medication[] {
  const matcher = new DrugMatcher(vocab);
  return (text) => find(text, vocab, matcher);
}

/** Medications in `text`, in order of appearance, using the bundled drug vocabulary. */
export function findMedications(text: string): Medication[] {
  if (typeof text !== 'string' || text.length === 0) return [];
  if (!defaultMatcher) {
    const vocab = loadDrugVocab();
    defaultMatcher = { vocab, matcher: new DrugMatcher(vocab) };
  }
  return find(text, defaultMatcher.vocab, defaultMatcher.matcher);
}

/** A mention after joining combinations written "lisinopril/HCTZ" or "amoxicillin-clavulanate". */
export interface Mention { start: number; end: number; entry: DrugEntry; fuzzy: boolean }

const COMBO_GAP = /^\s?(?:\/|-|\+|&|and|with)\s?$/i;

function joinCombinations(matches: DrugMatch[], text: string, vocab: DrugVocab): Mention[] {
  const out: Mention[] = [];
  for (const m of matches) {
    const prev = out[out.length - 1];
    const fuzzy = m.kind !== 'exact';
    // "Clenil (beclometasone)": the generic in brackets names the same drug, not a second one.
    if (prev && prev.entry.name === m.entry.name && /^\s*\(\s*$/.test(text.slice(prev.end, m.start))) continue;
    if (prev && COMBO_GAP.test(text.slice(prev.end, m.start)) && prev.entry.name !== m.entry.name) {
      const name = `${prev.entry.name}-${m.entry.name}`;
      const reversed = `${m.entry.name}-${prev.entry.name}`;
      const known = vocab.ingredients.get(name) ?? vocab.ingredients.get(reversed);
      out[out.length - 1] = { start: prev.start, end: m.end, entry: known ?? { name, rxcui: null }, fuzzy: prev.fuzzy || fuzzy };
      continue;
    }
    out.push({ start: m.start, end: m.end, entry: m.entry, fuzzy });
  }
  return out;
}

/**
 * Drug abbreviations that are also sig words ("INH" isoniazid / "inh" inhaled). They name the drug
 * only where a drug name stands: at the start of a line or list item, or followed by a strength.
 */
const SIG_WORD_ABBREVIATIONS = new Set(['inh']);

function standsAsDrugName(text: string, m: DrugMatch): boolean {
  if (!SIG_WORD_ABBREVIATIONS.has(text.slice(m.start, m.end).toLowerCase())) return true;
  const before = text.slice(lineStart(text, m.start), m.start);
  return /^\s*(?:[-*•·]|\d{1,2}[.)])?\s*$/.test(before) || parseStrength(text, m.end) !== null;
}

function find(text: string, vocab: DrugVocab, matcher: DrugMatcher): Medication[] {
  const mentions = joinCombinations(matcher.findAll(text).filter((m) => standsAsDrugName(text, m)), text, vocab);
  const meds: Medication[] = [];
  let prevEnd = 0;
  for (let i = 0; i < mentions.length; i++) {
    const men = mentions[i]!;
    const limit = mentions[i + 1]?.start ?? text.length;
    const ls = Math.max(lineStart(text, men.start), prevEnd, mentions[i - 1]?.end ?? 0);
    prevEnd = men.end;
    const before = text.slice(ls, men.start);
    const header = headerAbove(text, men.start);
    if (isAllergyContext(header, before) || isNegated(before)) continue;
    let cursor = men.end;
    // A brand name followed by its generic in parentheses: "Glucophage (metformin) 500 mg".
    const paren = /^\s*\(([A-Za-z -]+)\)/.exec(text.slice(cursor, limit));
    if (paren && vocab.terms.get(paren[1]!.trim().toLowerCase())?.name === men.entry.name) cursor += paren[0].length;
    let strength: { value: string; span: Span } | null = null;
    let form: { value: string; span: Span; route: string | null } | null = null;
    for (let k = 0; k < 4; k++) {
      const mod = RELEASE.exec(text.slice(cursor, cursor + 12));
      if (mod) { cursor += mod[0].length; continue; }
      const s: ReturnType<typeof parseStrength> = strength ? null : parseStrength(text, cursor);
      if (s && s.end <= limit && isStrength(s.value, men.entry.name)) { strength = s; cursor = s.end; continue; }
      const f: ReturnType<typeof parseForm> = form ? null : parseForm(text, cursor);
      if (f && f.end <= limit) { form = f; cursor = f.end; continue; }
      break;
    }
    // The instruction starts after separators ("500 mg tablet, 1 tab …"): Dosage.text and spans begin at a word.
    const lead = /^[ \t,;:\u2013\u2014-]+/.exec(text.slice(cursor, Math.min(limit, cursor + 12)));
    const sigStart = cursor + (lead ? lead[0].length : 0);
    const end = Math.max(sigStart, windowEnd(text, sigStart, limit));
    prevEnd = end;
    const near = text.slice(Math.max(lineStart(text, men.start), mentions[i - 1]?.end ?? 0, men.start - 40), men.start);
    const status = statusOf(near, header, text.slice(cursor, end));
    meds.push(buildMedication({ text, mention: men, strength, form, sigStart, sigEnd: end, before, beforeStart: ls, status }));
  }
  return meds;
}

const RELEASE = /^[\s,)]*(?:ER|XR|XL|SR|CR|DR|EC|LA|ODT|IR|MR|CD|HCl|HFA|DS|OTC|tartrate|succinate|sodium|potassium|hydrochloride|besylate|maleate|citrate|mesylate|fumarate|calcium|magnesium)(?![A-Za-z0-9])/i;

/**
 * Whether an amount written after a name is the product strength. "20 units", "10 mL" and a range
 * like "2.5-5 mg" of a single-ingredient drug are doses ("Oramorph 2.5-5mg 4 hrly"), left to the
 * sig grammar; "10-325 mg" of a combination is a strength.
 */
function isStrength(value: string, name: string): boolean {
  if (/^[\d.]+ (?:units|mL|L)$/.test(value)) return false;
  const range = /^([\d.]+)-([\d.]+) /.exec(value);
  return !(range && !name.includes('-') && Number(range[1]) < Number(range[2]));
}

function statusOf(near: string, header: string, after: string): MedStatus | null {
  // Only the clause just before the name: "; continue Synthroid" but not "stopped X, started Y".
  const clause = near.split(/[;,.]/).pop() ?? '';
  return statusIn(clause) ?? statusFromHeader(header) ?? statusIn(after.match(/^[\s,;(-]*(?:\(([^)]{0,30})\)|-\s*([a-z ]{0,30}))/i)?.[0] ?? '');
}

function statusFromHeader(header: string): MedStatus | null {
  if (header === '' || !/med|drug|rx|prescri|plan|stop|discontinu|new|change|continu/.test(header)) return null;
  return statusIn(header);
}
