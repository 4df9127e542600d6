/**
 * Frequency, named times (EventTiming `when`), clock times, meal offsets and days of the week for
 * one phase, merged into one FHIR `Timing.repeat` that satisfies tim-1…tim-10 by construction.
 */
import type { TimingRepeat } from '../../../core/clinical/fhir-dosage.js';
import type { Span } from '../../../core/clinical/extraction.js';
import { parseNumber } from './numbers.js';
import * as P from './sig-patterns.js';
import { timeUnit, type Claims, type Phase, type TimeUnit } from './parse-phase.js';

type Day = NonNullable<TimingRepeat['dayOfWeek']>[number];
const DAY_CODES: Record<string, Day> = { mon: 'mon', tue: 'tue', wed: 'wed', thu: 'thu', fri: 'fri', sat: 'sat', sun: 'sun' };
const MEAL_SUFFIX: Record<string, string> = { breakfast: 'M', lunch: 'D', dinner: 'V', supper: 'V', tea: 'V', 'evening meal': 'V', 'the evening meal': 'V' };
const MEAL_PREFIX: Record<string, string> = { before: 'AC', with: 'C', after: 'PC', ac: 'AC', pc: 'PC' };
const NO_OFFSET = new Set(['C', 'CM', 'CD', 'CV']);
const DAY_PART: Record<string, string> = { MORN: 'M', ACM: 'M', CM: 'M', PCM: 'M', WAKE: 'M', NOON: 'D', ACD: 'D', CD: 'D',
  PCD: 'D', EVE: 'V', ACV: 'V', CV: 'V', PCV: 'V', NIGHT: 'N', HS: 'N' };

/**
 * "daily", "every day": on every day, without saying how often on it ("daily before breakfast and
 * before dinner" is twice a day). "once daily", "od", "qd", "1x daily" do say it.
 */
const EVERY_DAY = /^(?:daily|every day|each day|dly)\.?$/;

interface Base {
  repeat: TimingRepeat;
  span: Span;
  /** Written as `EVERY_DAY`: named times of day (or clock times) set the count. */
  everyDay: boolean;
}

/** Scans timing phrases of a phase into `phase.repeat` and `phase.frequencySpan`. */
export function scanTiming(c: Claims, phase: Phase): void {
  let base: Base | null = null;
  const when: string[] = [];
  let impliesThree = false;
  const timeOfDay: string[] = [];
  let days: Day[] = [];
  let offset: number | null = null;
  let first: Span | null = null;
  const note = (span: Span): void => {
    if (!first) { first = { ...span }; return; }
    first = { start: Math.min(first.start, span.start), end: Math.max(first.end, span.end) };
  };
  const setBase = (repeat: TimingRepeat, span: Span, everyDay = false): boolean => {
    // The schedule written first wins ("daily, increase by 100 mg every 2 to 4 weeks" is daily).
    if (!base || span.start < (base as Base).span.start) base = { repeat, span, everyDay };
    note(span);
    return true;
  };

  const t = c.text;
  if (/\d\s?[ap]\.?m|\d:\d|\d00\s?h/.test(t)) c.each(P.TIME_OF_DAY, (m, span) => {
    let h: number; let min = 0;
    if (m[1] !== undefined) {
      h = Number(m[1]); min = m[2] ? Number(m[2]) : 0;
      if (h < 1 || h > 12) return false;
      const pm = m[3]!.startsWith('p');
      if (pm && h !== 12) h += 12;
      if (!pm && h === 12) h = 0;
    } else if (m[4] !== undefined) { h = Number(m[4]); min = Number(m[5]); }
    else { h = Number(m[6]); if (h > 23) return false; }
    const t = `${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}:00`;
    if (!timeOfDay.includes(t)) timeOfDay.push(t);
    note(span);
    return true;
  });
  if (/before|after|prior/.test(t)) c.each(P.MEAL_OFFSET, (m, span) => {
    const n = parseNumber(m[1]!);
    const unit = timeUnit(m[2]!);
    if (n === null || (unit !== 'min' && unit !== 'h')) return false;
    offset = Math.round(unit === 'h' ? n * 60 : n);
    const prefix = m[3] === 'after' ? 'PC' : 'AC';
    const target = m[4]!;
    const code = target === 'bedtime' || target === 'bed' ? 'HS'
      : MEAL_SUFFIX[target] ? prefix + MEAL_SUFFIX[target] : prefix;
    if (!when.includes(code)) when.push(code);
    if (code === 'AC' || code === 'PC') impliesThree = true;
    note(span);
    return true;
  });
  if (/h|min/.test(t)) c.each(P.HOURLY, (m, span) => {
    const low = parseNumber(m[1] ?? m[4]!);
    const highRaw = m[2] ?? m[5];
    const high = highRaw ? parseNumber(highRaw) : null;
    const unit: TimeUnit | null = m[3] ? (m[3].startsWith('min') ? 'min' : 'h') : 'h';
    if (low === null || low <= 0 || unit === null) return false;
    const repeat: TimingRepeat = { frequency: 1, period: low, periodUnit: unit };
    if (high !== null && high > low) repeat.periodMax = high;
    return setBase(repeat, span);
  });
  if (/hour|q\.?\s?1/.test(t)) c.each(P.EVERY_HOUR, (_m, span) => setBase({ frequency: 1, period: 1, periodUnit: 'h' }, span));
  const perPeriod = (m: RegExpExecArray, span: Span, lowRaw: string, highRaw: string | undefined, unitRaw: string): boolean => {
    const low = parseNumber(lowRaw);
    const high = highRaw ? parseNumber(highRaw) : null;
    const unit = unitRaw.startsWith('d') ? 'd' : unitRaw.startsWith('w') ? 'wk' : unitRaw.startsWith('m') ? 'mo' : 'a';
    if (low === null || !Number.isInteger(low) || low < 1 || low > 48) return false;
    const repeat: TimingRepeat = { frequency: low, period: 1, periodUnit: unit };
    if (high !== null && Number.isInteger(high) && high > low) repeat.frequencyMax = high;
    void m;
    return setBase(repeat, span);
  };
  // "up to 3 times a day", "up to qid": at most n a day — frequency 1, frequencyMax n.
  if (t.includes('up to')) {
    c.each(P.UP_TO_TIMES, (m, span) => {
      const n = parseNumber(m[2] ?? m[1]!);
      return n !== null && n > 1 ? perPeriod(m, span, '1', String(n), m[3]!) : perPeriod(m, span, m[2] ?? m[1]!, undefined, m[3]!);
    });
    c.each(P.UP_TO_LATIN, (m, span) => {
      const n = P.latinCount(m[1]!);
      if (n === null) return false;
      return setBase(n > 1 ? { frequency: 1, frequencyMax: n, period: 1, periodUnit: 'd' } : { frequency: 1, period: 1, periodUnit: 'd' }, span);
    });
  }
  if (/[-/]|to|or/.test(t)) c.each(P.LATIN_RANGE, (m, span) => {
    const low = P.latinCount(m[1]!);
    const high = P.latinCount(m[2]!);
    if (low === null || high === null || high <= low) return false;
    return setBase({ frequency: low, frequencyMax: high, period: 1, periodUnit: 'd' }, span);
  });
  if (/time|x/.test(t)) c.each(P.PER_PERIOD, (m, span) => perPeriod(m, span, m[1]!, m[2], m[3]!));
  if (/once|twice|thrice/.test(t)) c.each(P.ONCE_TWICE, (m, span) => perPeriod(m, span, m[1]!, undefined, m[2]!));
  if (/every|each|q/.test(t)) c.each(P.EVERY_N, (m, span) => {
    const low = parseNumber(m[1]!);
    const high = m[2] ? parseNumber(m[2]) : null;
    const unit = timeUnit(m[3]!);
    if (low === null || low <= 0 || unit === null) return false;
    const repeat: TimingRepeat = { frequency: 1, period: low, periodUnit: unit };
    if (high !== null && high > low) repeat.periodMax = high;
    return setBase(repeat, span);
  });
  if (/mon|tue|wed|thu|fri|sat|sun|mwf|m\/w|tth|tu\//.test(t)) c.each(P.DAYS_OF_WEEK, (m, span) => {
    const found: Day[] = [];
    if (m[3]) {
      const s = m[3].replace(/\//g, '');
      const list: Day[] = s === 'mwf' ? ['mon', 'wed', 'fri'] : ['tue', 'thu'];
      found.push(...list);
    } else {
      for (const w of m[2]!.match(P.DAY_WORD) ?? []) {
        const d = DAY_CODES[w.slice(0, 3)];
        if (d && !found.includes(d)) found.push(d);
      }
      const fullName = /day/.test(m[2]!);
      if (!m[1] && found.length < 2 && !fullName) return false;
    }
    if (found.length === 0) return false;
    days = [...days, ...found.filter((d) => !days.includes(d))];
    note(span);
    return true;
  });
  if (P.ANY_FIXED_FREQUENCY.test(t)) for (const [re, repeat] of P.FIXED_FREQUENCIES) c.each(re, (m, span) => setBase({ ...repeat }, span, EVERY_DAY.test(m[0].trim())));
  if (P.ANY_WHEN_PATTERN.test(t)) for (const [re, codes, three] of P.WHEN_PATTERNS) {
    c.each(re, (m, span) => {
      const list = codes.length > 0 ? codes : mealCodes(m[0]);
      for (const code of list) if (!when.includes(code)) when.push(code);
      // "with meals" alone means three times a day; "with food" only says how to take it.
      if (three && /meals|each meal|every meal|mealtimes|^a\.?c|^p\.?c/.test(m[0].trim())) impliesThree = true;
      note(span);
      return true;
    });
  }
  phase.repeat = mergeRepeat(base as Base | null, when, impliesThree, timeOfDay, days, offset);
  phase.frequencySpan = first;
}

function mealCodes(phrase: string): string[] {
  const p = phrase.trim();
  const prefix = MEAL_PREFIX[p.split(' ')[0]!.replace(/\./g, '')] ?? 'C';
  const out: string[] = [];
  for (const meal of ['breakfast', 'lunch', 'dinner', 'supper', 'evening meal', 'tea']) {
    if (new RegExp(`(?<![a-z])${meal}(?![a-z])`).test(p)) {
      const code = prefix + MEAL_SUFFIX[meal]!;
      if (!out.includes(code)) out.push(code);
    }
  }
  return out;
}

function mergeRepeat(base: Base | null, when: string[], impliesThree: boolean, timeOfDay: string[], days: Day[],
  offset: number | null): TimingRepeat {
  const r: TimingRepeat = base ? { ...base.repeat } : {};
  const daily = r.periodUnit === undefined || r.periodUnit === 'd';
  // "daily" with two named times is the named times' count (never fewer doses than times named).
  const countFromTimes = (n: number): void => {
    if (base?.everyDay && r.frequency === 1 && r.period === 1 && r.frequencyMax === undefined && n > 1) r.frequency = n;
  };
  if (timeOfDay.length > 0) {
    r.timeOfDay = timeOfDay.sort();
    if (r.frequency === undefined && r.count === undefined) Object.assign(r, { frequency: timeOfDay.length, period: 1, periodUnit: 'd' });
    else countFromTimes(timeOfDay.length);
  } else if (when.length > 0 && daily) {
    // "morning and night" is "2 per day at MORN and NIGHT"; named times only refine a daily schedule.
    r.when = when;
    // "every morning before breakfast" is one time of day: count distinct parts of the day.
    const specific = new Set(when.filter((w) => !['AC', 'PC', 'C'].includes(w)).map((w) => DAY_PART[w] ?? w)).size;
    if (r.frequency === undefined && r.count === undefined) {
      // "with meals and at bedtime" is the three meals plus bedtime: four a day.
      const bedtime = when.some((w) => w === 'HS' || w === 'NIGHT') ? 1 : 0;
      const n = impliesThree && specific === bedtime ? 3 + bedtime : Math.max(specific, 1);
      Object.assign(r, { frequency: n, period: 1, periodUnit: 'd' });
    } else countFromTimes(specific);
    if (offset !== null && when.every((w) => !NO_OFFSET.has(w))) r.offset = offset;
  }
  if (days.length > 0) {
    // FHIR: frequency and period are not used together with dayOfWeek.
    delete r.frequency; delete r.frequencyMax; delete r.period; delete r.periodMax; delete r.periodUnit;
    r.dayOfWeek = days;
  }
  return r;
}
