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
import { mergeMentions } from './merge-mentions.js';
import { scanDispense } from '../sig/dispense.js';

let defaultMatcher: { vocab: DrugVocab; matcher: DrugMatcher } | null = null;

/** Builds a matcher for a vocabulary (for a hospital's larger vocabulary loaded with loadDrugVocab). */
export function createMedicationFinder(vocab: DrugVocab): (text: string) => Medication[] {
  const matcher = new DrugMatcher(vocab);
  return (text) => merged(find(text, vocab, matcher));
}

/** Medications in `text`, in order of appearance, using the bundled drug vocabulary. */
export function findMedications(text: string, warnings?: Array<{ code: string; message: string }>): Medication[] {
  if (typeof text !== 'string' || text.length === 0) return [];
  if (!defaultMatcher) {
    const vocab = loadDrugVocab();
    defaultMatcher = { vocab, matcher: new DrugMatcher(vocab) };
  }
  return merged(find(text, defaultMatcher.vocab, defaultMatcher.matcher), warnings);
}

/** One entry per drug (merge-mentions.ts); a conflict between two instructions for one drug is a warning (no text in it). */
function merged(meds: Medication[], warnings?: Array<{ code: string; message: string }>): Medication[] {
  const r = mergeMentions(meds);
  if (r.conflicts > 0 && warnings) {
    warnings.push({ code: 'MEDICATION_SIG_CONFLICT', message: `${r.conflicts} medication mention(s) gave a different instruction for the same drug; the most complete was kept` });
  }
  return r.meds;
}

/** A route word written right before the next drug ("switched to oral cefpodoxime", "and IV ceftriaxone") is that drug's. */
const ROUTE_BEFORE_NAME = /(?:^|[\s,(])(?:iv|i\.v\.|intravenous|oral|po|p\.o\.|im|i\.m\.|sc|s\.c\.|subcut|subcutaneous|sl|topical|inhaled|nebuli[sz]ed|intranasal|rectal|vaginal)\s*$/i;

function routeFreeLimit(text: string, from: number, limit: number): number {
  if (limit >= text.length || limit - from < 3) return limit;
  const m = ROUTE_BEFORE_NAME.exec(text.slice(Math.max(from, limit - 24), limit));
  return m ? limit - (m[0].length - (/^[\s,(]/.test(m[0]) ? 1 : 0)) : limit;
}

/** A line (or the rest of one) that holds only dispensing details: "Disp: #30", "Qty: 90, Refills: 3", "#20". */
const DISPENSE_LINE = /^[ \t,;.]*(?:disp|dispense|qty|quantity|supply|refills?|rf|repeats|no refills|#\s?\d|\d+\s*(?:refills?|-?\s?days?'? supply))(?![a-z])/i;

/** End of the text searched for dispensing details: the window, plus the rest of its line and up to 3 lines that hold only them. */
function dispenseEnd(text: string, end: number, limit: number): number {
  let e = end;
  for (let k = 0; k < 4 && e < limit; k++) {
    const from = text[e] === '\n' ? e + 1 : e;
    if (!DISPENSE_LINE.test(text.slice(from, Math.min(limit, from + 40)))) break;
    const nl = text.indexOf('\n', from);
    e = nl === -1 || nl > limit ? limit : nl;
  }
  return e;
}

/** A mention after joining combinations written "lisinopril/HCTZ" or "amoxicillin-clavulanate". */
export interface Mention { start: number; end: number; entry: DrugEntry; fuzzy: boolean }

const LIST_JOIN = /^\s*(?:,\s*(?:and|or)?|and|or|&|\/)\s*$/i;
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
      // "tried Claritin and Zyrtec" is a list; only a known product is a combination when joined by a word.
      if (!known && /[a-z]/i.test(text.slice(prev.end, m.start))) { out.push({ start: m.start, end: m.end, entry: m.entry, fuzzy }); continue; }
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
    const modifiers: string[] = [text.slice(men.start, men.end)];
    for (let k = 0; k < 5; k++) {
      const mod = RELEASE.exec(text.slice(cursor, cursor + 24));
      if (mod) { modifiers.push(mod[1]!); cursor += mod[0].length; continue; }
      const s: ReturnType<typeof parseStrength> = strength ? null : parseStrength(text, cursor);
      if (s && s.end <= limit && isStrength(s.value, men.entry.name)) { strength = s; cursor = s.end; continue; }
      const f: ReturnType<typeof parseForm> = form ? null : parseForm(text, cursor);
      if (f && f.end <= limit) { form = f; cursor = f.end; continue; }
      break;
    }
    if (!strength) {
      const bare = bareStrength(text, cursor, limit, men.entry.name);
      if (bare) { strength = bare; cursor = bare.span.end; }
    }
    if (!form) form = prefixForm(before, ls);
    if (form) modifiers.push(text.slice(form.span.start, form.span.end));
    const variant = productVariant(men.entry.name, modifiers.join(' '), form?.value ?? null);
    // The instruction starts after separators ("500 mg tablet, 1 tab …"): Dosage.text and spans begin at a word.
    const lead = /^[ \t,;:\u2013\u2014-]+/.exec(text.slice(cursor, Math.min(limit, cursor + 12)));
    const sigStart = cursor + (lead ? lead[0].length : 0);
    const end = Math.max(sigStart, windowEnd(text, sigStart, routeFreeLimit(text, sigStart, limit)));
    prevEnd = end;
    const dispense = scanDispense(text, sigStart, dispenseEnd(text, end, limit));
    const near = text.slice(Math.max(lineStart(text, men.start), mentions[i - 1]?.end ?? 0, men.start - 40), men.start);
    let status = statusOf(near, header, text.slice(cursor, end));
    // "tried Claritin and Zyrtec", "started lisinopril, metformin": a list shares the first item's status.
    const prevMed = meds[meds.length - 1];
    if (status === null && prevMed?.status && prevMed.span.end <= men.start && LIST_JOIN.test(text.slice(prevMed.span.end, men.start))) {
      status = prevMed.status;
    }
    const mention = variant.name === men.entry.name ? men : { ...men, entry: { ...men.entry, name: variant.name } };
    meds.push(buildMedication({ text, mention, strength, form, formName: variant.form, dispense, sigStart, sigEnd: end, before, beforeStart: ls, status }));
  }
  return meds;
}

/**
 * A bare number right after a brand ("Pan 40", "Dolo-650", "Augmentin 625 1-0-1") is its strength
 * in mg: an integer of 5 or more, a decimal ("Amlong 2.5"), or any number followed by a slot
 * pattern. Small integers stay doses ("metformin 1 bid"); insulins count in units.
 */
const BARE_STRENGTH = /^[ \t]*-?[ \t]*(\d{1,4}(?:\.\d{1,3})?)(?![\d.\/%-]|,\d|\s?-\s?\d|\s?x\s?\d|[a-z])/i;
const AFTER_BARE = /^\s*(?:[\d½¼¾](?:\.\d+)?\s?-\s?[\d½¼¾](?:\.\d+)?\s?-|$|[,;(]|(?:tab|cap|od|bd|tds|qds|hs|sos|bid|tid|qid|qd|daily|once|twice|at|in|after|before|with|x|for|morning|night|stat|prn|tabs?|caps?|tablets?|capsules?|po|orally)(?![a-z]))/i;

/** "Co-codamol 30/500": the strengths of a combination's ingredients, in mg, written bare. */
const BARE_COMBO = /^[ \t]*(\d{1,4}(?:\.\d{1,3})?)\/(\d{1,4}(?:\.\d{1,3})?)(?![\d.\/%]|\s?(?:mg|mcg|g|ml|units?|%))/i;

function bareStrength(text: string, from: number, limit: number, name: string): { value: string; span: Span } | null {
  if (/insulin/.test(name)) return null;
  if (/-| \/ /.test(name)) {
    const c = BARE_COMBO.exec(text.slice(from, Math.min(limit, from + 24)));
    if (c) {
      const start = from + c[0].length - c[1]!.length - c[2]!.length - 1;
      return { value: `${Number(c[1])}-${Number(c[2])} mg`, span: { start, end: from + c[0].length } };
    }
  }
  const m = BARE_STRENGTH.exec(text.slice(from, Math.min(limit, from + 24)));
  if (!m) return null;
  const after = text.slice(from + m[0].length, Math.min(limit, from + m[0].length + 16));
  if (!AFTER_BARE.test(after)) return null;
  const n = Number(m[1]);
  const slotNext = /^\s*[\d½¼¾]/.test(after);
  if (!(n > 0) || (!slotNext && Number.isInteger(n) && n < 5)) return null;
  const start = from + m[0].length - m[1]!.length;
  return { value: `${n} mg`, span: { start, end: from + m[0].length } };
}

/** Dose-form prefixes of hospital prescriptions: "Tab. Pan 40", "Cap Omez", "Syp. Crocin", "Inj. Monocef". */
const PREFIX_FORM = /(?:^|[^A-Za-z])(tabs?|tablets?|caps?|capsules?|syp|syr|syrup|susp|inj|injection|oint|ointment|crm|cream|gel|lotion|drops?|gtt|e\/d|eye drops?|ear drops?|nasal spray|inh|inhaler|rotacaps?|neb|respules?|sachet|sach|pwd|powder|supp|lozenges?)[.:]?\s*$|(?:^|[^A-Za-z.])([TC])\.\s?$/i;
const PREFIX_FORMS: Record<string, [string, string | null]> = {
  tab: ['tablet', null], tabs: ['tablet', null], tablet: ['tablet', null], tablets: ['tablet', null],
  cap: ['capsule', null], caps: ['capsule', null], capsule: ['capsule', null], capsules: ['capsule', null],
  syp: ['syrup', null], syr: ['syrup', null], syrup: ['syrup', null], susp: ['suspension', null],
  inj: ['injection', null], injection: ['injection', null],
  oint: ['ointment', 'topical'], ointment: ['ointment', 'topical'], crm: ['cream', 'topical'], cream: ['cream', 'topical'],
  gel: ['gel', 'topical'], lotion: ['lotion', 'topical'], drop: ['drops', null], drops: ['drops', null], gtt: ['drops', null],
  'e/d': ['ophthalmic solution', 'ophthalmic'], 'eye drop': ['ophthalmic solution', 'ophthalmic'], 'eye drops': ['ophthalmic solution', 'ophthalmic'],
  'ear drop': ['otic solution', 'otic'], 'ear drops': ['otic solution', 'otic'], 'nasal spray': ['nasal spray', 'nasal'],
  inh: ['inhaler', 'inhaled'], inhaler: ['inhaler', 'inhaled'], rotacap: ['inhaler', 'inhaled'], rotacaps: ['inhaler', 'inhaled'],
  neb: ['inhaler', 'inhaled'], respule: ['inhaler', 'inhaled'], respules: ['inhaler', 'inhaled'],
  sachet: ['powder', null], sach: ['powder', null], pwd: ['powder', null], powder: ['powder', null],
  supp: ['suppository', 'rectal'], lozenge: ['lozenge', 'oral'], lozenges: ['lozenge', 'oral'],
};

function prefixForm(before: string, beforeStart: number): { value: string; span: Span; route: string | null } | null {
  const cut = Math.max(0, before.length - 40);
  const m = PREFIX_FORM.exec(before.slice(cut));
  if (!m) return null;
  // "T. Dolo", "C. Omez": Indian shorthand for tablet and capsule.
  const word = m[1] ?? m[2]!;
  const hit = m[2] ? (m[2].toUpperCase() === 'T' ? PREFIX_FORMS.tab : PREFIX_FORMS.cap) : PREFIX_FORMS[word.toLowerCase().replace(/\s+/g, ' ')];
  if (!hit) return null;
  const start = beforeStart + cut + m.index + m[0].indexOf(word);
  return { value: hit[0], span: { start, end: start + word.length }, route: hit[1] };
}

const RELEASE = /^[\s,)]*(extended[- ]release|delayed[- ]release|sustained[- ]release|ER|XR|XL|SR|CR|DR|EC|LA|ODT|IR|MR|CD|HCl|HFA|DS|OTC|tartrate|succinate|sodium|potassium|hydrochloride|besylate|maleate|citrate|mesylate|fumarate|calcium|magnesium|hyclate|monohydrate|hydrobromide)(?![A-Za-z0-9])/i;

/** Salts that make a different product, kept in the name ("metoprolol succinate" is the ER salt, "tartrate" the IR one). */
const DISTINCT_SALTS: Record<string, RegExp> = {
  metoprolol: /(?<![a-z])(succinate|tartrate)(?![a-z])/i,
  bupropion: /(?<![a-z])(hydrobromide)(?![a-z])/i,
};
/** Brands that name one salt: Toprol XL is metoprolol succinate, Lopressor metoprolol tartrate. */
const BRAND_SALTS: Array<[RegExp, string]> = [[/(?<![a-z])(?:toprol|met\s?xl|metolar\s?xr|seloken\s?xl)(?![a-z])/i, 'succinate'], [/(?<![a-z])(?:lopressor|betaloc)(?![a-z])/i, 'tartrate']];
const RELEASE_KIND: Array<[RegExp, string]> = [
  [/(?<![a-z])(?:er|xr|xl|sr|cr|la|extended[- ]release|sustained[- ]release)(?![a-z])/i, 'extended-release'],
  [/(?<![a-z])(?:dr|ec|delayed[- ]release)(?![a-z])/i, 'delayed-release'],
  [/(?<![a-z])odt(?![a-z])/i, 'orally disintegrating'],
];

/**
 * The product as written: the salt where it is clinically distinct, and the release kind
 * ("Toprol XL", "metoprolol succinate ER") folded into a tablet or capsule form.
 */
function productVariant(name: string, written: string, form: string | null): { name: string; form: string | null } {
  const salt = DISTINCT_SALTS[name]?.exec(written)?.[1] ?? BRAND_SALTS.find(([re]) => re.test(written))?.[1];
  const out = { name: salt && DISTINCT_SALTS[name] ? `${name} ${salt.toLowerCase()}` : name, form };
  if (form !== null && form !== 'tablet' && form !== 'capsule') return out;
  for (const [re, kind] of RELEASE_KIND) if (re.test(written)) return { ...out, form: `${kind} ${form ?? 'tablet'}` };
  return out;
}

/**
 * Whether an amount written after a name is the product strength. "20 units", "10 mL" and a range
 * like "2.5-5 mg" of a single-ingredient drug are doses ("Oramorph 2.5-5mg 4 hrly"), left to the
 * sig grammar; "10-325 mg" of a combination is a strength.
 */
function isStrength(value: string, name: string): boolean {
  if (/^[\d.]+ (?:units|mL|L)$/.test(value)) return false;
  // "60,000 IU" of vitamin D is the product; "20 IU" of insulin or heparin is a dose.
  const iu = /^([\d.]+) IU$/.exec(value);
  if (iu) return Number(iu[1]) >= 1000 && !/insulin|heparin/.test(name);
  // "15 mg/kg" is a weight-based dose, not a product strength.
  if (/\/kg$/.test(value)) return false;
  const range = /^([\d.]+)-([\d.]+) /.exec(value);
  return !(range && !name.includes('-') && Number(range[1]) < Number(range[2]));
}

function statusOf(near: string, header: string, after: string): MedStatus | null {
  // Only the clause just before the name: "; continue Synthroid" but not "stopped X, started Y".
  const clause = near.split(/[;,.]/).pop() ?? '';
  return statusIn(clause) ?? statusAfter(after) ?? statusFromHeader(header)
    ?? statusIn(after.match(/^[\s,;(-]*(?:\(([^)]{0,30})\)|-\s*([a-z ]{0,30}))/i)?.[0] ?? '');
}

/** Status words right after the name: "warfarin held for surgery", "Claritin in the past", "metformin was stopped". */
const AFTER_STATUS = /^[\s,]*(?:(?:was|is|has been|have been|being|now)\s+)?(held|on hold|stopped|discontinued|d\/c'?d|in the past|previously|failed|not tolerated|withheld|paused|did not help|didn't help|did not work|didn't work|was ineffective|ineffective|not effective|without (?:relief|benefit|effect))(?![a-z])/i;

/** A status tag later on the line: "b.d. - withheld until review", "o.n. (continue)", "… – STOPPED". */
const TAGGED_STATUS = /(?:^|\s)(?:[-–—(]|\[)\s*(held|withheld|on hold|suspended|paused|stopped|stop|discontinued|d\/c'?d|ceased|continued?|unchanged|new|started|start|changed|increased|decreased|reduced|dose (?:changed|increased|reduced))(?![a-z])/i;

/** "ceftriaxone was switched to cefpodoxime": the drug switched from is stopped (the one switched to is new). */
const SWITCHED_FROM = /^[\s,]*(?:was|is|has been|were)\s+(?:switched|changed|converted|transitioned)\s+(?:over\s+)?to(?![a-z])/i;

function statusAfter(after: string): MedStatus | null {
  if (SWITCHED_FROM.test(after)) return 'stopped';
  const m = AFTER_STATUS.exec(after) ?? TAGGED_STATUS.exec(after.length > 160 ? after.slice(0, 160) : after);
  return m ? statusIn(m[1]!) : null;
}

function statusFromHeader(header: string): MedStatus | null {
  if (header === '' || !/med|drug|rx|prescri|plan|stop|discontinu|new|change|continu|start|hold|tried|previous|prior|past/.test(header)) return null;
  // "Past medical history" is not a list of past drugs; "Past medications" is.
  if (/medical|surgical|history/.test(header)) return null;
  return statusIn(header);
}
