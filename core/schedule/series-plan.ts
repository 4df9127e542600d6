/**
 * Compiles a FHIR R4 `Timing` into a `SeriesPlan`: a small JSON value (no PHI) that
 * `occurrences()` expands lazily. Three kinds, as issue 8 names them, plus a single dose:
 * - `fixed`: `timeOfDay` clock times on each dose day;
 * - `interval`: every `period / frequency` of real time (s/min/h), anchored at the first dose
 *   (= the start instant), so "every 8 hours" stays 8 real hours apart across DST;
 * - `frequency`: N times per day/week/month/year, at policy times, `when` codes or on `dayOfWeek`;
 * - `once`: a bare `count: 1` ("take once"), at the start instant.
 * Ranges schedule their low end (`frequencyMax`, `periodMax`, `countMax`, `boundsRange.high` are
 * ignored): never more doses than the least prescribed. `duration` (how long one administration
 * lasts) does not move the start of a dose.
 *
 * A Timing that cannot be scheduled is not an error here but an explicit result
 * `{ scheduled: false, reason }`: a PRN medication or a "stop X" task is a valid plan item with
 * no reminders. Only an unknown zone throws (`INVALID_TIME_ZONE`).
 */
import type { Timing, TimingRepeat } from '../clinical/fhir-dosage.js';
import { frequencySeconds, type ClockPolicy } from './clock-policy.js';
import { assertTimeZone, parseClock, toWall, wallDay } from './local-time.js';
import { occurrences } from './occurrences.js';
import { seriesBounds } from './series-bounds.js';
import { isKnownWhen, whenSeconds } from './when-codes.js';

export type CalendarUnit = 'd' | 'wk' | 'mo' | 'a';

/** Which local days carry doses, and at which local times. */
export interface CalendarRule {
  unit: CalendarUnit;
  /** Cycle length in `unit`s (every 2 days → 2). */
  length: number;
  /** Local epoch day on which cycle 0 starts (the start's local date). */
  anchorDay: number;
  /** Dose days per cycle, spread evenly over it (round(k·days/N)); 1 for N times a day. */
  daysPerCycle: number;
  /** ISO weekdays (1 = Monday) instead of spread days; the cycle is `length` weeks from the anchor's week. */
  weekdays: number[] | null;
  /** Local times on each dose day, seconds of day, ascending. */
  seconds: number[];
}

export interface SeriesPlan {
  kind: 'fixed' | 'interval' | 'frequency' | 'once';
  zone: string;
  /** No occurrence before this instant (epoch ms). */
  start: number;
  /** Exclusive end (epoch ms), from bounds and `count`; null = open-ended. */
  end: number | null;
  /** The `count` that ended the series, when one did. */
  count: number | null;
  intervalMs: number | null;
  calendar: CalendarRule | null;
  /** Parts of the Timing that were ignored or adjusted (codes only, no values). */
  warnings: string[];
}

export type UnscheduledReason = 'as_needed' | 'no_repeat' | 'no_frequency' | 'invalid_timing' | 'invalid_bounds'
  | 'empty_bounds' | 'interval_too_short' | 'unsupported';

export type SeriesPlanResult = { scheduled: true; plan: SeriesPlan } | { scheduled: false; reason: UnscheduledReason };

export interface PlanSeriesInput {
  timing: Timing | undefined;
  /** Dosage.asNeeded*: an as-needed item gets no reminders, whatever its frequency says. */
  asNeeded?: boolean;
  /** First instant the series may use (epoch ms): plan start, or the first dose for intervals. */
  start: number;
  /** The patient's IANA zone. */
  zone: string;
  policy: ClockPolicy;
}

const REAL_MS: Record<string, number> = { s: 1000, min: 60_000, h: 3_600_000, d: 86_400_000, wk: 604_800_000 };
const ISO_WEEKDAY: Record<string, number> = { mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6, sun: 7 };
/** HL7 GTSAbbreviation codes read when a Timing has only `code`. */
const CODE_REPEAT: Record<string, TimingRepeat> = {
  QD: { frequency: 1, period: 1, periodUnit: 'd' }, BID: { frequency: 2, period: 1, periodUnit: 'd' },
  TID: { frequency: 3, period: 1, periodUnit: 'd' }, QID: { frequency: 4, period: 1, periodUnit: 'd' },
  QOD: { frequency: 1, period: 2, periodUnit: 'd' }, AM: { frequency: 1, period: 1, periodUnit: 'd', when: ['MORN'] },
  PM: { frequency: 1, period: 1, periodUnit: 'd', when: ['EVE'] }, BED: { frequency: 1, period: 1, periodUnit: 'd', when: ['HS'] },
  WK: { frequency: 1, period: 1, periodUnit: 'wk' }, MO: { frequency: 1, period: 1, periodUnit: 'mo' },
  Q1H: { period: 1, periodUnit: 'h' }, Q2H: { period: 2, periodUnit: 'h' }, Q3H: { period: 3, periodUnit: 'h' },
  Q4H: { period: 4, periodUnit: 'h' }, Q6H: { period: 6, periodUnit: 'h' }, Q8H: { period: 8, periodUnit: 'h' },
};

function repeatOf(t: Timing): TimingRepeat | null {
  if (t.repeat && Object.keys(t.repeat).length > 0) return t.repeat;
  const code = t.code?.coding?.find((c) => c.code && CODE_REPEAT[c.code])?.code;
  return code ? CODE_REPEAT[code]! : null;
}

type Shape = { kind: SeriesPlan['kind']; intervalMs: number | null; calendar: Omit<CalendarRule, 'anchorDay'> | null };

function shapeOf(r: TimingRepeat, policy: ClockPolicy, warnings: string[]): Shape | UnscheduledReason {
  if (r.period !== undefined && (r.periodUnit === undefined || !(r.period > 0) || !Number.isFinite(r.period))) return 'invalid_timing';
  if (r.frequency !== undefined && !(r.frequency > 0)) return 'invalid_timing';
  const n = r.frequency ?? 1;
  // A unit without a period says nothing (tim-2 only requires the converse).
  const unit = r.period !== undefined ? r.periodUnit : undefined;
  const times = (r.timeOfDay ?? []).map(parseClock);
  const whenList = r.when ?? [];
  if (whenList.some((w) => !isKnownWhen(w))) warnings.push('unknown_when_code');
  const realInterval = unit !== undefined && (unit === 's' || unit === 'min' || unit === 'h'
    || ((unit === 'd' || unit === 'wk') && !Number.isInteger(r.period)));
  if (times.length === 0 && realInterval) {
    const ms = Math.round((r.period! * REAL_MS[unit]!) / n);
    if (!Number.isFinite(ms)) return 'invalid_timing';
    if (ms < 60_000) return 'interval_too_short';
    if (whenList.length > 0 || r.dayOfWeek?.length) warnings.push('ignored_with_interval');
    return { kind: 'interval', intervalMs: ms, calendar: null };
  }
  if ((unit === 'mo' || unit === 'a') && !Number.isInteger(r.period)) return 'unsupported';
  const hasSchedule = times.length > 0 || r.frequency !== undefined || r.period !== undefined
    || whenList.length > 0 || (r.dayOfWeek?.length ?? 0) > 0;
  if (!hasSchedule) return r.count === 1 ? { kind: 'once', intervalMs: null, calendar: null } : 'no_frequency';

  // Clock times repeat on calendar days: an hourly or fractional period beside them is ignored.
  const calendarPeriod = unit === undefined || (['d', 'wk', 'mo', 'a'].includes(unit) && Number.isInteger(r.period ?? 1));
  if (!calendarPeriod) warnings.push('ignored_period_with_time_of_day');
  const cal = calendarPeriod ? { unit: (unit ?? 'd') as CalendarUnit, period: r.period ?? 1 } : { unit: 'd' as const, period: 1 };
  const weekdays = r.dayOfWeek?.length ? [...new Set(r.dayOfWeek.map((d) => ISO_WEEKDAY[d]!))].sort((a, b) => a - b) : null;
  const perDay = cal.unit === 'd' && cal.period === 1;
  let seconds: number[];
  if (times.length > 0) seconds = [...new Set(times)].sort((a, b) => a - b);
  else {
    seconds = whenList.length > 0 ? whenSeconds(policy, whenList, r.offset) : [];
    if (seconds.length === 0) seconds = frequencySeconds(policy, perDay ? n : 1);
    else if (perDay && r.frequency !== undefined) {
      // Named times win, but never more doses a day than the frequency.
      if (seconds.length > n) { seconds = seconds.slice(0, n); warnings.push('when_more_than_frequency'); }
      else if (seconds.length < n) warnings.push('when_fewer_than_frequency');
    }
  }
  const calendarUnit: CalendarUnit = weekdays ? 'wk' : cal.unit;
  const length = weekdays ? (cal.unit === 'wk' ? cal.period : 1) : cal.period;
  const minDays = { d: 1, wk: 7, mo: 28, a: 365 }[calendarUnit] * length;
  const daysPerCycle = weekdays || perDay ? 1 : Math.max(1, Math.min(n, minDays));
  return { kind: times.length > 0 ? 'fixed' : 'frequency', intervalMs: null,
    calendar: { unit: calendarUnit, length, daysPerCycle, weekdays, seconds } };
}

/**
 * Compiles `timing` for a patient. Throws `INVALID_TIME_ZONE` for a bad zone; every other
 * problem is `{ scheduled: false, reason }`. With `count`, the series' end is set to just after
 * its count-th occurrence, so later expansions never enumerate from the start.
 */
export function planSeries(input: PlanSeriesInput): SeriesPlanResult {
  const zone = assertTimeZone(input.zone);
  if (input.asNeeded) return { scheduled: false, reason: 'as_needed' };
  if (!Number.isFinite(input.start)) return { scheduled: false, reason: 'invalid_bounds' };
  const r = input.timing ? repeatOf(input.timing) : null;
  if (!r) return { scheduled: false, reason: 'no_repeat' };
  const warnings: string[] = [];
  const shape = shapeOf(r, input.policy, warnings);
  if (typeof shape === 'string') return { scheduled: false, reason: shape };
  const b = seriesBounds(zone, input.start, r);
  if (!b.ok) return { scheduled: false, reason: b.reason };
  if ((b.end !== null && b.end <= b.start) || r.count === 0) return { scheduled: false, reason: 'empty_bounds' };
  const plan: SeriesPlan = {
    kind: shape.kind, zone, start: b.start, end: b.end, count: null, intervalMs: shape.intervalMs,
    calendar: shape.calendar ? { ...shape.calendar, anchorDay: wallDay(toWall(zone, b.start)) } : null, warnings,
  };
  if (shape.kind === 'once') plan.end = Math.min(plan.end ?? Infinity, plan.start + 1);
  else if (r.count !== undefined) {
    const last = countEnd(plan, r.count);
    if (last !== null && (plan.end === null || last < plan.end)) { plan.end = last; plan.count = r.count; }
  }
  return { scheduled: true, plan };
}

/** Just after the count-th occurrence (an exclusive end), or null when the series ends sooner. */
function countEnd(plan: SeriesPlan, count: number): number | null {
  let seen = 0;
  // Bounded even for a pattern that never fires (a century is past any course).
  for (const t of occurrences(plan, { until: plan.start + 100 * 366 * 86_400_000 })) if (++seen === count) return t + 1;
  return null;
}
