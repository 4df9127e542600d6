/**
 * Parses one phase of a dose instruction (the text between "then"s) into its parts. Scanners run
 * in a fixed order and claim the characters they match, so a later scanner cannot reuse them:
 * "max 8 in 24 hours" is never read as a dose of 8 or as Q24H, "for 7 days" never as a dose.
 */
import type { Span } from '../../../core/clinical/extraction.js';
import type { TimingRepeat } from '../../../core/clinical/fhir-dosage.js';
import { parseNumber } from './numbers.js';
import { doseUnit, SPOON_ML, type DoseUnit } from './dose-units.js';
import * as P from './sig-patterns.js';
import { scanTiming } from './scan-timing.js';
import { scanAsNeeded } from './scan-as-needed.js';
import { scanSlots, type SlotPattern } from './scan-slots.js';

export type TimeUnit = 's' | 'min' | 'h' | 'd' | 'wk' | 'mo' | 'a';

export interface PhaseDose { low: number; high: number | null; unit: DoseUnit | null; span: Span }
export interface PhaseBounds { value: number; high: number | null; unit: TimeUnit; span: Span }
export interface PhaseMaxDose { value: number; unit: DoseUnit | null; per: number; perUnit: TimeUnit; span: Span }

export interface Phase {
  span: Span;
  dose: PhaseDose | null;
  repeat: TimingRepeat;
  frequencySpan: Span | null;
  bounds: PhaseBounds | null;
  count: { value: number; span: Span } | null;
  untilFinished: Span | null;
  asNeeded: Span | null;
  reason: { text: string; span: Span } | null;
  route: { name: string; span: Span } | null;
  site: string | null;
  maxDose: PhaseMaxDose | null;
  asDirected: Span | null;
  /** An Indian-style "1-0-1" pattern, when the phase has one. */
  slots: SlotPattern | null;
}

/** Claimed-character bookkeeping for one phase, in phase-local offsets. */
export class Claims {
  private readonly taken: Uint8Array;
  constructor(readonly text: string, readonly offset: number) { this.taken = new Uint8Array(text.length); }
  free(start: number, end: number): boolean {
    for (let i = start; i < end; i++) if (this.taken[i]) return false;
    return true;
  }
  claim(start: number, end: number): void { this.taken.fill(1, start, end); }
  /** Runs a global regex; calls `fn` for each match whose range is free and claims it when fn returns true. */
  each(re: RegExp, fn: (m: RegExpExecArray, span: Span) => boolean): void {
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(this.text)) !== null) {
      if (m[0].length === 0) { re.lastIndex++; continue; }
      const start = m.index + (m[0].length - m[0].trimStart().length);
      const end = m.index + m[0].trimEnd().length;
      if (end > start && this.free(start, end) && fn(m, { start: start + this.offset, end: end + this.offset })) {
        this.claim(start, end);
      }
    }
  }
}

const DUR_UNITS: Record<string, TimeUnit> = { h: 'h', hr: 'h', hrs: 'h', hour: 'h', hours: 'h', d: 'd', day: 'd', days: 'd',
  din: 'd', w: 'wk', wk: 'wk', wks: 'wk', week: 'wk', weeks: 'wk', mo: 'mo', mos: 'mo', month: 'mo', months: 'mo',
  y: 'a', yr: 'a', yrs: 'a', year: 'a', years: 'a', night: 'd', nights: 'd' };

/** Maps a written time unit ("hrs", "24 hours", "weeks") to a UCUM unit of time. */
export function timeUnit(raw: string): TimeUnit | null {
  const s = raw.replace(/^24\s?/, '');
  return DUR_UNITS[s] ?? (s.startsWith('min') ? 'min' : null);
}

/** Parses one phase; `lower` is the normalised lower-case phase text, `offset` its start in the sig. */
export function parsePhase(lower: string, offset: number): Phase {
  const c = new Claims(lower, offset);
  const phase: Phase = {
    span: { start: offset, end: offset + lower.length }, dose: null, repeat: {}, frequencySpan: null, bounds: null,
    count: null, untilFinished: null, asNeeded: null, reason: null, route: null, site: null, maxDose: null, asDirected: null, slots: null,
  };
  // Cheap substring guards skip scanners that cannot match: most sigs are a few words long and
  // this keeps the grammar at a few microseconds per instruction.
  if (/direct|instruct|advis|per |sliding|u\.?d\.|dict|mdu|protocol|accord|as dir/.test(lower)) {
    c.each(P.AS_DIRECTED, (_m, span) => { phase.asDirected ??= span; return true; });
  }
  if (/max|exceed|more than|nte/.test(lower)) c.each(P.MAX_DOSE, (m, span) => {
    const value = parseNumber(m[1]!);
    const perUnit = timeUnit(m[4]!);
    if (value === null || perUnit === null || phase.maxDose) return false;
    const per = m[3] ? Number(m[3]) : /^24/.test(m[4]!) ? 24 : 1;
    phase.maxDose = { value, unit: m[2] ? doseUnit(m[2]) : null, per, perUnit, span };
    return true;
  });
  phase.slots = scanSlots(c);
  scanDuration(c, phase);
  scanAsNeeded(c, phase);
  scanSides(c, phase);
  scanTiming(c, phase);
  if (phase.slots) applySlots(phase, phase.slots);
  scanDose(c, phase);
  scanRoute(c, phase);
  return phase;
}

const PER_KG = /^\s?(?:\/|per)\s?kg(\s?\/\s?(?:day|d|24\s?h(?:rs?|ours)?)|\s(?:per|a)\s(?:day))?(?![a-z])/;
const MEAL_RELATION = /^(?:AC|PC|C)$/;

/**
 * A slot pattern sets the dose (the first slot's; unequal slots become one Dosage per slot in
 * parseSig) and a daily schedule with one `when` per non-zero slot; a meal relation written with
 * it ("after food", "(AF)") is kept; any other frequency word ("1-0-1 BD") only repeats it.
 */
function applySlots(phase: Phase, p: SlotPattern): void {
  const first = p.slots[0]!;
  phase.dose = { low: first.value, high: null, unit: p.unit, span: p.span };
  const meal = (phase.repeat.when ?? []).filter((w) => MEAL_RELATION.test(w));
  if (p.meal && !meal.includes(p.meal)) meal.push(p.meal);
  phase.repeat = { frequency: p.slots.length, period: 1, periodUnit: 'd', when: [...p.slots.map((s) => s.when), ...meal] };
  const f = phase.frequencySpan;
  phase.frequencySpan = f ? { start: Math.min(f.start, p.timingSpan.start), end: Math.max(f.end, p.timingSpan.end) } : { ...p.timingSpan };
}

function scanDuration(c: Claims, phase: Phase): void {
  const t = c.text;
  if (/til|complete/.test(t)) c.each(P.UNTIL_FINISHED, (_m, span) => { phase.untilFinished ??= span; return true; });
  if (/dose|admin|inject|treatment|applic/.test(t)) c.each(P.DURATION_COUNT, (m, span) => {
    const n = parseNumber(m[1]!);
    if (n === null || !Number.isInteger(n) || n < 1 || phase.count) return false;
    phase.count = { value: n, span };
    return true;
  });
  const setBounds = (value: number | null, high: number | null, unit: TimeUnit | null, span: Span): boolean => {
    if (value === null || unit === null || phase.bounds || value <= 0) return false;
    phase.bounds = { value, high: high !== null && high > value ? high : null, unit, span };
    return true;
  };
  if (/for|x/.test(t)) c.each(P.DURATION, (m, span) => setBounds(parseNumber(m[1]!), m[2] ? parseNumber(m[2]) : null, timeUnit(m[3]!), span));
  if (/course|supply|treatment/.test(t)) c.each(P.DURATION_COURSE, (m, span) => setBounds(parseNumber(m[1]!), m[2] ? parseNumber(m[2]) : null, timeUnit(m[3]!), span));
  if (t.includes('/')) c.each(P.DURATION_UK, (m, span) => {
    const den = m[3]!;
    if (den === '12' && !m[1]) return false;
    return setBounds(Number(m[2]), null, den === '7' ? 'd' : den === '52' ? 'wk' : 'mo', span);
  });
}

function scanDose(c: Claims, phase: Phase): void {
  if (/\dx|\d x|[a-z] x/.test(c.text)) c.each(P.DOSE_MULTIPLE, (m, span) => {
    // "2 x 5 ml" is 10 mL; "2 x 500 mg" is 1000 mg. Counted forms ("2 x tabs") are left to the dose scan.
    const times = parseNumber(m[1]!);
    const each = parseNumber(m[2]!);
    const unit = doseUnit(m[3]!);
    if (phase.dose || times === null || each === null || unit === null || times < 1 || each <= 0 || unit.code.startsWith('{')) return false;
    const spoon = SPOON_ML[m[3]!] ?? 1;
    phase.dose = { low: times * each * spoon, high: null, unit, span };
    return true;
  });
  c.each(P.DOSE_WITH_UNIT, (m, span) => {
    if (phase.dose) return false;
    let low: number | null; let high: number | null = null; let unitRaw: string;
    if (m[1]) { low = 0.5; unitRaw = m[2]!; }
    else if (m[5]) { low = parseNumber(m[3]!); high = m[4] ? parseNumber(m[4]) : null; unitRaw = m[5]; }
    else if (m[6]) { low = parseNumber(m[7]!); unitRaw = m[6]; }
    else { low = parseNumber(m[8]!); unitRaw = m[9]!; }
    let unit = doseUnit(unitRaw);
    if (low === null || unit === null || low <= 0) return false;
    // Weight-based: "15 mg/kg", "10 mg per kg", "40 mg/kg/day" → a per-kg unit (UCUM "mg/kg", "mg/kg/d").
    const localEnd = m.index + m[0].length;
    const perKg = unit.code.startsWith('{') ? null : PER_KG.exec(c.text.slice(localEnd, localEnd + 16));
    if (perKg) {
      const perDay = perKg[1] !== undefined;
      unit = { ...unit, singular: `${unit.singular}/kg${perDay ? '/day' : ''}`, plural: `${unit.plural}/kg${perDay ? '/day' : ''}`,
        code: `${unit.code}/kg${perDay ? '/d' : ''}`, impliedRoute: null };
      c.claim(localEnd, localEnd + perKg[0].length);
      span.end += perKg[0].length;
    }
    // "a day"/"a week" are frequencies, not doses; "1 dose" alone is not a quantity either.
    if (unit.singular === 'dose') return false;
    const spoon = SPOON_ML[unitRaw];
    if (spoon) { low *= spoon; if (high !== null) high *= spoon; }
    phase.dose = { low, high: high !== null && high > low ? high : null, unit, span };
    return true;
  });
  if (phase.dose) return;
  c.each(P.DOSE_BARE, (m) => {
    if (phase.dose) return false;
    const low = parseNumber(m[1]!);
    const high = m[2] ? parseNumber(m[2]) : null;
    if (low === null || low <= 0 || low > 20 || /^(a|an)$/.test(m[1]!)) return false;
    const idx = m.indices!;
    const numSpan = { start: idx[1]![0] + c.offset, end: (idx[2] ?? idx[1]!)[1] + c.offset };
    phase.dose = { low, high: high !== null && high > low ? high : null, unit: null, span: numSpan };
    return true;
  });
}

/** Eye and ear sides (OD/OS/OU, AD/AS/AU) must be read before "od" is taken as once daily. */
function scanSides(c: Claims, phase: Phase): void {
  const eyeContext = P.EYE_CONTEXT.test(c.text);
  if (eyeContext) {
    c.each(P.EYE_SIDE, (m, span) => {
      const side = m[1]!.replace(/\./g, '');
      phase.site ??= side === 'od' ? 'right eye' : side === 'os' ? 'left eye' : 'both eyes';
      phase.route ??= { name: 'ophthalmic', span };
      return true;
    });
  }
  if (/(?<![a-z])(?:drops?|ear)(?![a-z])/.test(c.text)) {
    c.each(P.EAR_SIDE, (m, span) => {
      const side = m[1]!.replace(/\./g, '');
      phase.site ??= side === 'ad' ? 'right ear' : side === 'as' ? 'left ear' : 'both ears';
      phase.route ??= { name: 'otic', span };
      return true;
    });
  }
}

function scanRoute(c: Claims, phase: Phase): void {
  let weak: { name: string; span: Span } | null = null;
  c.each(P.ROUTE, (m, span) => {
    const name = P.ROUTE_BY_PHRASE.get(m[1]!);
    if (!name) return false;
    if (P.WEAK_ROUTE_PHRASES.has(m[1]!)) { weak ??= { name, span }; return false; }
    phase.route ??= { name, span };
    return true;
  });
  const implied = phase.dose?.unit?.impliedRoute;
  // A weak phrase that agrees with the dose unit ("2 puffs inh") still names the route.
  if (!phase.route && weak && (!implied || implied === (weak as { name: string }).name)) phase.route = weak;
}
