/**
 * Canonical frequency strings (the `frequency` field of a medication and of parseSig's result)
 * and the HL7 timing abbreviation codes. The canonical string is a pure function of the
 * `Timing.repeat` the grammar builds, so two wordings that mean the same schedule ("bd", "twice
 * daily", "morning and night") always print the same string. README.md in this folder lists them.
 */
import type { CodeableConcept, TimingRepeat } from '../../../core/clinical/fhir-dosage.js';

export const GTS_SYSTEM = 'http://terminology.hl7.org/CodeSystem/v3-GTSAbbreviation';

/** Canonical strings with a fixed meaning, and their FHIR `Timing.repeat` shape. */
export const CANONICAL_FREQUENCIES: Record<string, TimingRepeat> = {
  QD: { frequency: 1, period: 1, periodUnit: 'd' },
  BID: { frequency: 2, period: 1, periodUnit: 'd' },
  TID: { frequency: 3, period: 1, periodUnit: 'd' },
  QID: { frequency: 4, period: 1, periodUnit: 'd' },
  QAM: { frequency: 1, period: 1, periodUnit: 'd', when: ['MORN'] },
  QPM: { frequency: 1, period: 1, periodUnit: 'd', when: ['EVE'] },
  QNOON: { frequency: 1, period: 1, periodUnit: 'd', when: ['NOON'] },
  QHS: { frequency: 1, period: 1, periodUnit: 'd', when: ['HS'] },
  QOD: { frequency: 1, period: 2, periodUnit: 'd' },
  QW: { frequency: 1, period: 1, periodUnit: 'wk' },
  QM: { frequency: 1, period: 1, periodUnit: 'mo' },
  ONCE: { count: 1 },
  Q4H: { frequency: 1, period: 4, periodUnit: 'h' },
  'Q4-6H': { frequency: 1, period: 4, periodMax: 6, periodUnit: 'h' },
};

/** Canonical string → HL7 v3 GTSAbbreviation code (only the codes in FHIR's timing-abbreviation value set). */
const GTS_CODES: Record<string, string> = {
  QD: 'QD', BID: 'BID', TID: 'TID', QID: 'QID', QOD: 'QOD', QAM: 'AM', QPM: 'PM', QHS: 'BED', QW: 'WK', QM: 'MO',
  Q1H: 'Q1H', Q2H: 'Q2H', Q3H: 'Q3H', Q4H: 'Q4H', Q6H: 'Q6H', Q8H: 'Q8H',
};

const DAY_COUNT_WORDS = ['', 'QD', 'BID', 'TID', 'QID'];
const UNIT_WORDS: Record<string, [string, string]> = {
  s: ['second', 'seconds'], min: ['minute', 'minutes'], h: ['hour', 'hours'], d: ['day', 'days'],
  wk: ['week', 'weeks'], mo: ['month', 'months'], a: ['year', 'years'],
};
const SINGLE_WHEN: Record<string, string> = { MORN: 'QAM', EVE: 'QPM', NIGHT: 'QHS', HS: 'QHS', NOON: 'QNOON' };

/**
 * The canonical frequency string for a repeat, or null when the repeat carries no schedule.
 * Rules, in order: a day-of-week list → "QW" (one day) or "N times a week"; count-only → "ONCE"
 * or "N doses"; hourly periods → "Q4H", "Q4-6H", "Q30MIN"; per day → QD/BID/TID/QID or
 * "N times a day", with QAM/QPM/QHS/QNOON for once a day at one named time; "1-2 times a day"
 * for frequency ranges; every other day → QOD, every N days → "Q3D"; weekly → QW, "Q2W",
 * "N times a week"; monthly → QM, "Q3MO"; timeOfDay lists count as times per day.
 */
export function canonicalFrequency(r: TimingRepeat | undefined): string | null {
  if (!r) return null;
  if (r.dayOfWeek && r.dayOfWeek.length > 0) {
    return r.dayOfWeek.length === 1 ? 'QW' : `${r.dayOfWeek.length} times a week`;
  }
  const unit = r.periodUnit;
  if (r.period === undefined || unit === undefined) {
    if (r.timeOfDay && r.timeOfDay.length > 0) return perDay(r.timeOfDay.length, undefined, r.when);
    if (r.count !== undefined && r.frequency === undefined) return r.count === 1 ? 'ONCE' : null;
    return null;
  }
  const f = r.frequency ?? 1;
  const fMax = r.frequencyMax;
  if (unit === 'h' || unit === 'min' || unit === 's') {
    if (f !== 1) return `${f} times every ${r.period} ${UNIT_WORDS[unit]![1]}`;
    const suffix = unit === 'h' ? 'H' : unit === 'min' ? 'MIN' : 'S';
    if (unit === 'h' && r.periodMax === undefined && r.period === 24) return 'QD';
    if (unit === 'h' && r.periodMax === undefined && r.period === 48) return 'QOD';
    return r.periodMax !== undefined ? `Q${r.period}-${r.periodMax}${suffix}` : `Q${r.period}${suffix}`;
  }
  if (r.period === 1 && r.periodMax === undefined) {
    if (unit === 'd') return perDay(f, fMax, r.when);
    if (unit === 'wk') return fMax !== undefined ? `${f}-${fMax} times a week` : f === 1 ? 'QW' : `${f} times a week`;
    if (unit === 'mo') return fMax !== undefined ? `${f}-${fMax} times a month` : f === 1 ? 'QM' : `${f} times a month`;
    if (unit === 'a') return f === 1 ? 'yearly' : `${f} times a year`;
  }
  if (f === 1 && fMax === undefined) {
    const range = r.periodMax !== undefined ? `${r.period}-${r.periodMax}` : String(r.period);
    if (unit === 'd') return r.period === 2 && r.periodMax === undefined ? 'QOD' : `Q${range}D`;
    if (unit === 'wk') return `Q${range}W`;
    if (unit === 'mo') return `Q${range}MO`;
  }
  return `${fMax !== undefined ? `${f}-${fMax}` : f} times every ${r.period} ${UNIT_WORDS[unit]![1]}`;
}

function perDay(f: number, fMax: number | undefined, when: string[] | undefined): string {
  if (fMax !== undefined) return `${f}-${fMax} times a day`;
  if (f === 1 && when) {
    // Once a day at one named time ("every morning before breakfast" is still QAM).
    const named = new Set(when.filter((w) => SINGLE_WHEN[w]).map((w) => SINGLE_WHEN[w]!));
    if (named.size === 1) return [...named][0]!;
  }
  return DAY_COUNT_WORDS[f] ?? `${f} times a day`;
}

/** `Timing.code` for a canonical string, when HL7 defines one. */
export function timingCode(canonical: string | null): CodeableConcept | undefined {
  if (canonical === null) return undefined;
  const code = GTS_CODES[canonical];
  return code ? { coding: [{ system: GTS_SYSTEM, code }], text: canonical } : undefined;
}
