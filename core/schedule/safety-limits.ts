/**
 * The safety bounds a re-plan must keep, derived from a compiled series and its Dosage:
 * - the minimum interval between two doses: an interval series' own period; for N doses a day
 *   the tenant table (BID ≥ 8 h …), else half the nominal spacing; never more than the
 *   prescribed pattern's own smallest gap (so an adherent patient is never moved);
 * - frequency caps: no more doses on any local calendar day (or cycle: the week of a
 *   Mon/Wed/Fri plan, the two days of a QOD one) than the plan gives. Calendar buckets, not a
 *   sliding 24 h: the minimum interval already prevents doubling, and a sliding window would
 *   drag a BID plan to 15:00/23:00 for good after one late dose instead of letting it return;
 * - `maxDosePerPeriod`, the prescriber's hard limit, on administrations in any sliding real period.
 */
import type { Dosage, Quantity } from '../clinical/fhir-dosage.js';
import { tableMinIntervalMs, type ClockPolicy } from './clock-policy.js';
import { addMonths, civilFields, DAY_MS, MINUTE_MS, toWall, wallDay } from './local-time.js';
import { occurrences } from './occurrences.js';
import type { SeriesPlan } from './series-plan.js';

/**
 * At most `count` doses in any half-open real window (t − periodMs, t] (`real`), or in one local
 * calendar bucket (`calendar`): `days` days counted from local epoch day `anchorDay`, or `months`
 * calendar months from it.
 */
export type DoseCap = {
  count: number;
  source: 'frequency' | 'max_dose_per_period';
} & ({ clock: 'real'; periodMs: number } | { clock: 'calendar'; anchorDay: number; days: number; months: number });

const CYCLE_DAYS = { d: 1, wk: 7, mo: 28, a: 365 } as const;
/** Longest real length of a unit: a longer window is the stricter cap. */
const CAP_UNIT_MS: Record<string, number> = { s: 1000, min: MINUTE_MS, h: 3_600_000, d: DAY_MS, wk: 7 * DAY_MS, mo: 31 * DAY_MS, a: 366 * DAY_MS };

/** Doses in one cycle of a calendar series. */
function dosesPerCycle(plan: SeriesPlan): number {
  const c = plan.calendar!;
  return (c.weekdays?.length ?? c.daysPerCycle) * c.seconds.length;
}

/** Smallest gap of the pattern in local wall time (its layout, read in UTC over two cycles). */
function patternGapMs(plan: SeriesPlan): number {
  const c = plan.calendar!;
  const wallPlan: SeriesPlan = { ...plan, zone: 'UTC', start: c.anchorDay * DAY_MS, end: null };
  let prev: number | null = null; let gap = Infinity; let seen = 0;
  for (const t of occurrences(wallPlan)) {
    if (prev !== null) gap = Math.min(gap, t - prev);
    prev = t;
    if (++seen > 2 * dosesPerCycle(plan) + 1) break;
  }
  return gap;
}

/** Minimum ms between two doses of `plan` (at least one minute). */
export function minIntervalMs(plan: SeriesPlan, policy: ClockPolicy): number {
  if (plan.kind === 'interval') return plan.intervalMs!;
  if (plan.kind === 'once') return DAY_MS;
  const c = plan.calendar!;
  const daily = c.unit === 'd' && c.length === 1 && !c.weekdays;
  const nominal = (c.length * CYCLE_DAYS[c.unit] * DAY_MS) / dosesPerCycle(plan);
  const table = daily ? tableMinIntervalMs(policy, c.seconds.length) : null;
  return Math.max(MINUTE_MS, Math.min(table ?? nominal / 2, patternGapMs(plan)));
}

/** The plan's own frequency as caps: per local day, and per cycle when the cycle is longer. */
export function frequencyCaps(plan: SeriesPlan): DoseCap[] {
  if (plan.kind === 'once') return [];
  if (plan.kind === 'interval') return [{ count: 1, periodMs: plan.intervalMs!, clock: 'real', source: 'frequency' }];
  const c = plan.calendar!;
  const caps: DoseCap[] = [{ count: c.seconds.length, clock: 'calendar', anchorDay: c.anchorDay, days: 1, months: 0, source: 'frequency' }];
  const count = dosesPerCycle(plan);
  if (c.weekdays) {
    const monday = c.anchorDay - (civilFields(c.anchorDay).weekday - 1);
    caps.push({ count, clock: 'calendar', anchorDay: monday, days: 7 * c.length, months: 0, source: 'frequency' });
  } else if (c.unit === 'mo' || c.unit === 'a') {
    caps.push({ count, clock: 'calendar', anchorDay: c.anchorDay, days: 0, months: c.length * (c.unit === 'a' ? 12 : 1), source: 'frequency' });
  } else if (c.length * CYCLE_DAYS[c.unit] > 1) {
    caps.push({ count, clock: 'calendar', anchorDay: c.anchorDay, days: c.length * CYCLE_DAYS[c.unit], months: 0, source: 'frequency' });
  }
  return caps;
}

function sameUnit(a: Quantity, b: Quantity): boolean {
  const ua = a.code ?? a.unit; const ub = b.code ?? b.unit;
  return ua === undefined || ub === undefined || ua === ub;
}

/**
 * `maxDosePerPeriod` as administrations per real period: numerator ÷ the dose per administration
 * (the high end of a dose range) when their units agree; otherwise the numerator is read as a
 * count of administrations (`unitsAgree: false`, worth a warning). Null without a usable ratio.
 */
export function maxDoseCap(dosage: Dosage | undefined): (DoseCap & { unitsAgree: boolean }) | null {
  const num = dosage?.maxDosePerPeriod?.numerator;
  const den = dosage?.maxDosePerPeriod?.denominator;
  const unitMs = CAP_UNIT_MS[den?.code ?? den?.unit ?? ''] ?? null;
  if (!num?.value || !(num.value > 0) || !den?.value || !(den.value > 0) || unitMs === null) return null;
  const dr = dosage!.doseAndRate?.[0];
  const dose = dr?.doseQuantity ?? dr?.doseRange?.high;
  const unitsAgree = dose?.value !== undefined && dose.value > 0 && sameUnit(num, dose);
  const count = Math.max(1, Math.floor(unitsAgree ? num.value / dose!.value! : num.value));
  return { count, periodMs: den.value * unitMs, clock: 'real', source: 'max_dose_per_period', unitsAgree };
}

/** An open-ended copy of the series' slots from `from` on, for re-planning past the course end. */
export function openPattern(plan: SeriesPlan): (from: number) => Iterable<number> {
  const open: SeriesPlan = { ...plan, end: null };
  return (from) => occurrences(open, { from });
}

export type CalendarCap = Extract<DoseCap, { clock: 'calendar' }>;

/** Local epoch day on which bucket `k` of a calendar cap starts. */
export function bucketStartDay(cap: CalendarCap, k: number): number {
  return cap.months > 0 ? addMonths(cap.anchorDay, k * cap.months) : cap.anchorDay + k * cap.days;
}

/** The bucket index holding instant `t` (negative before the anchor). */
export function bucketOf(cap: CalendarCap, zone: string, t: number): number {
  const day = wallDay(toWall(zone, t));
  if (cap.months === 0) return Math.floor((day - cap.anchorDay) / cap.days);
  const a = civilFields(cap.anchorDay); const f = civilFields(day);
  let k = Math.floor(((f.year * 12 + f.month) - (a.year * 12 + a.month)) / cap.months);
  while (day < bucketStartDay(cap, k)) k--;
  while (day >= bucketStartDay(cap, k + 1)) k++;
  return k;
}
