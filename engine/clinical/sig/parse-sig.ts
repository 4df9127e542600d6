/**
 * The dose-instruction (sig) grammar: free text such as "1-2 tabs po q4-6h prn pain, max 8/24h"
 * or "2 puffs bd for a week followed by 1 puff" → ordered FHIR R4 `Dosage` entries plus flat,
 * normalised fields. Pure, synchronous, never throws; every span indexes the input string.
 */
import type { Span } from '../../../core/clinical/extraction.js';
import type { Dosage } from '../../../core/clinical/fhir-dosage.js';
import { parsePhase, type Phase } from './parse-phase.js';
import { PHASE_SPLIT, DURATION, DURATION_UK, DURATION_COUNT } from './sig-patterns.js';
import { buildDosage, doseString, durationString, frequencyString, perSlot } from './build-dosage.js';
import { equalSlots } from './scan-slots.js';
import { repairTypos } from './typos.js';

export interface SigResult {
  /** One entry per phase, in order; `sequence` set when there is more than one. */
  dosage: Dosage[];
  /** Dose of the first phase: "1 tablet", "1-2 tablets", "5 mL", "2 puffs", or a bare "1". */
  dose: string | null;
  /** Canonical frequency of the first phase (see README.md): "BID", "Q4-6H", "QHS", "QOD" … */
  frequency: string | null;
  /** Duration of the first phase: "7 days", "2 weeks", "3 doses", "until finished". */
  duration: string | null;
  as_needed: boolean;
  as_needed_reason: string | null;
  /** Coded route name (oral, IV, inhaled …) of the first phase that names one. */
  route: string | null;
  /** Spans into `text` keyed by field: dose, frequency, duration, as_needed, as_needed_reason, route, max_dose, as_directed. */
  spans: Record<string, Span>;
  as_directed: boolean;
}

/** Longest prefix of a sig that is parsed; longer input is kept verbatim in Dosage.text only. */
export const MAX_SIG_CHARS = 1000;

/**
 * Length-preserving normalisation: ASCII lower case, and one-character mappings of dashes, "×",
 * tabs, pipes and newlines, so that offsets into the result are offsets into the input.
 */
export function normaliseSig(text: string): string {
  // A char-code loop rather than replace() with a callback per capital: most sigs hold several.
  let i = 0;
  while (i < text.length && mapSigChar(text.charCodeAt(i)) === null) i++;
  if (i === text.length) return text;
  let out = text.slice(0, i);
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    out += mapSigChar(c) ?? text[i];
  }
  return out;
}

/** The replacement of one UTF-16 unit, or null when it stays. */
function mapSigChar(c: number): string | null {
  if (c >= 65 && c <= 90) return LOWER[c - 65]!;
  if (c === 0xd7) return 'x';
  if (c === 0x2013 || c === 0x2014 || c === 0x2212) return '-';
  return c === 9 || c === 10 || c === 13 || c === 124 || c === 0xa0 ? ' ' : null;
}

/**
 * Length-preserving repair of OCR confusions in sigs: "1o mg" → "10 mg" (letter o between a digit
 * and a digit/unit), "bld"/"8id"/"b1d" → "bid", "tld" → "tid", "qld" → "qid" as whole words.
 */
export function repairOcr(lower: string): string {
  let s = lower;
  if (/\d[ol]/.test(s)) s = s.replace(/(?<=\d)[ol]+(?=\d|\.\d|\s?(?:mg|mcg|ml|g|units?)(?![a-z]))/g, (x) => x.replace(/o/g, '0').replace(/l/g, '1'));
  if (/(?:[b8][l1]|8i|[tq][l1])d/.test(s)) s = s.replace(/(?<![a-z0-9.])(?:[b8][l1]|8i)d(?![a-z0-9])/g, 'bid').replace(/(?<![a-z0-9.])([tq])[l1]d(?![a-z0-9])/g, '$1id');
  // UK "ON" (omni nocte) only where a frequency stands: the whole instruction, or right after a dose
  // at its end ("40mg ON", table cell "ON"); never the English word "on". Read as "qn", same length.
  const on = ON_NOCTE.exec(s);
  if (on) s = `${s.slice(0, on.index + on[1]!.length)}qn${s.slice(on.index + on[1]!.length + 2)}`;
  return s;
}

const ON_NOCTE = /^(\s*(?:\d+(?:\.\d+)?\s?(?:mg|mcg|g|ml|units?|tabs?|tablets?|caps?|capsules?|puffs?)?\s+)?)on\.?\s*$/;

const LOWER = Array.from({ length: 26 }, (_, k) => String.fromCharCode(97 + k));

const EMPTY: SigResult = Object.freeze({
  dosage: [], dose: null, frequency: null, duration: null, as_needed: false, as_needed_reason: null, route: null,
  spans: {}, as_directed: false,
}) as SigResult;

/** Parses a dose instruction. Never throws; text with nothing recognisable yields one Dosage holding the text. */
export function parseSig(text: string): SigResult {
  if (typeof text !== 'string') return { ...EMPTY, spans: {} };
  // Dosage.text never starts with a separator left over from the line (", 1 tab PO BID").
  const verbatim = text.trim().replace(/^[,;:\u2013\u2014-]+\s*/, '');
  if (verbatim === '') return { ...EMPTY, spans: {} };
  const lower = repairTypos(repairOcr(normaliseSig(text.length > MAX_SIG_CHARS ? text.slice(0, MAX_SIG_CHARS) : text)));
  const phases = splitPhases(lower).map(([s, e]) => parsePhase(lower.slice(s, e), s)).filter(hasContent);
  if (phases.length === 0) phases.push(parsePhase(lower, 0));
  inherit(phases);
  const asDirected = phases.some((p) => p.asDirected !== null);
  const multi = phases.length > 1;
  const dosage = phases.flatMap((p, i) => {
    const d = buildDosage(p, verbatim, multi ? i + 1 : null, asDirected);
    return p.slots && !equalSlots(p.slots) ? perSlot(d, p.slots, i + 1) : [d];
  });
  return summarise(phases, dosage, asDirected);
}

function hasContent(p: Phase): boolean {
  return p.dose !== null || p.frequencySpan !== null || p.bounds !== null || p.count !== null || p.asNeeded !== null
    || p.untilFinished !== null || p.maxDose !== null || p.asDirected !== null;
}

/** Splits at "then"/"followed by"…, and at commas or semicolons that close a timed step of a taper. */
function splitPhases(lower: string): Array<[number, number]> {
  const cuts: Array<[number, number]> = [];
  PHASE_SPLIT.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = PHASE_SPLIT.exec(lower)) !== null) {
    if (m[0].length === 0) { PHASE_SPLIT.lastIndex++; continue; }
    cuts.push([m.index, m.index + m[0].length]);
  }
  const pieces: Array<[number, number]> = [];
  let from = 0;
  for (const [s, e] of cuts) { pieces.push([from, s]); from = e; }
  pieces.push([from, lower.length]);
  const out: Array<[number, number]> = [];
  for (const [s, e] of pieces) for (const [a, b] of splitSecondDose(lower, s, e)) out.push(...splitTaperList(lower, a, b));
  return out.filter(([s, e]) => e > s);
}

const SECOND_DOSE = /\s*(?:,\s*)?(?:and|&)\s+(?=\d+(?:\.\d+)?\s?(?:mg|mcg|g|units?|tabs?|tablets?|caps?|capsules?)(?![a-z]))/g;

/**
 * "on Mon, Wed, Fri and 2.5 mg all other days": a schedule with no dose of its own (the dose is
 * the strength before it) joined to a second dose is two regimens; the first keeps the strength.
 */
function splitSecondDose(lower: string, s: number, e: number): Array<[number, number]> {
  const seg = lower.slice(s, e);
  if (!/and|&/.test(seg)) return [[s, e]];
  SECOND_DOSE.lastIndex = 0;
  const m = SECOND_DOSE.exec(seg);
  if (!m || /\d/.test(seg.slice(0, m.index)) || !/[a-z]{2}/.test(seg.slice(0, m.index))) return [[s, e]];
  return [[s, s + m.index], [s + m.index + m[0].length, e]];
}

const STEP_END = /[,;]\s*(?=\d|(?:one|two|three|four|half|take)(?![a-z]))/g;
const hasDuration = (s: string): boolean => [DURATION, DURATION_UK, DURATION_COUNT].some((re) => { re.lastIndex = 0; return re.test(s); });

function splitTaperList(lower: string, s: number, e: number): Array<[number, number]> {
  const seg = lower.slice(s, e);
  const out: Array<[number, number]> = [];
  let from = 0;
  STEP_END.lastIndex = 0;
  let m: RegExpExecArray | null;
  while ((m = STEP_END.exec(seg)) !== null) {
    if (hasDuration(seg.slice(from, m.index)) && hasDuration(seg.slice(m.index))) {
      out.push([s + from, s + m.index]);
      from = m.index + m[0].length;
    }
  }
  out.push([s + from, e]);
  return out;
}

/** Later phases repeat what they leave out: "2 puffs bd for a week followed by 1 puff" keeps bd and puffs. */
function inherit(phases: Phase[]): void {
  for (let i = 1; i < phases.length; i++) {
    const prev = phases[i - 1]!;
    const cur = phases[i]!;
    if (cur.dose && !cur.dose.unit && prev.dose?.unit) cur.dose = { ...cur.dose, unit: prev.dose.unit };
    if (!cur.frequencySpan && prev.frequencySpan && Object.keys(prev.repeat).length > 0 && cur.dose) {
      cur.repeat = { ...prev.repeat };
    }
    if (!cur.route && prev.route) cur.route = prev.route;
    if (!cur.site && prev.site) cur.site = prev.site;
  }
}

function summarise(phases: Phase[], dosage: Dosage[], asDirected: boolean): SigResult {
  const first = phases[0]!;
  const spans: Record<string, Span> = {};
  const put = (key: string, span: Span | null | undefined): void => { if (span && !spans[key]) spans[key] = span; };
  put('dose', first.dose?.span);
  put('frequency', phases.find((p) => p.frequencySpan)?.frequencySpan);
  put('duration', first.bounds?.span ?? first.count?.span ?? first.untilFinished);
  const prn = phases.find((p) => p.asNeeded);
  put('as_needed', prn?.asNeeded);
  put('as_needed_reason', prn?.reason?.span);
  const routed = phases.find((p) => p.route);
  put('route', routed?.route?.span);
  put('max_dose', phases.find((p) => p.maxDose)?.maxDose?.span);
  put('as_directed', phases.find((p) => p.asDirected)?.asDirected);
  return {
    dosage,
    dose: doseString(first),
    frequency: frequencyString(first),
    duration: durationString(first),
    as_needed: prn !== undefined,
    as_needed_reason: prn?.reason?.text ?? null,
    route: routed?.route?.name ?? null,
    spans,
    as_directed: asDirected,
  };
}
