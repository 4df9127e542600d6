/**
 * Lazy expansion of a `SeriesPlan` into instants (epoch ms), strictly increasing, inside
 * [max(start, from), min(end, until)). Nothing before `from` is enumerated: an interval series
 * jumps by arithmetic, a calendar series to the cycle holding `from`'s local date, so expanding
 * 100,000 series one day ahead costs a few dose days each. Open-ended series without `until`
 * yield forever; take what you need.
 */
import type { CalendarRule, SeriesPlan } from './series-plan.js';
import { addMonths, civilFields, instantAt, toWall, wallDay } from './local-time.js';

/** A window over a series; `from` inclusive, `until` exclusive (epoch ms). */
export interface Window { from?: number; until?: number }

/** The instants of `plan` inside `window`, ascending, each once. */
export function* occurrences(plan: SeriesPlan, window: Window = {}): Generator<number, void, undefined> {
  const lo = Math.max(plan.start, window.from ?? -Infinity);
  const hi = Math.min(plan.end ?? Infinity, window.until ?? Infinity);
  if (!(lo < hi)) return;
  if (plan.kind === 'once') {
    if (plan.start >= lo && plan.start < hi) yield plan.start;
    return;
  }
  if (plan.kind === 'interval') {
    const iv = plan.intervalMs!;
    for (let k = Math.max(0, Math.ceil((lo - plan.start) / iv)); ; k++) {
      const t = plan.start + k * iv;
      if (t >= hi) return;
      yield t;
    }
  }
  let last = -Infinity;
  for (const day of doseDays(plan.calendar!, wallDay(toWall(plan.zone, lo)) - 1)) {
    for (const s of plan.calendar!.seconds) {
      const t = instantAt(plan.zone, day, s);
      // Two local times in one spring-forward gap land on the same instant: fire once.
      if (t < lo || t <= last) continue;
      if (t >= hi) return;
      last = t;
      yield t;
    }
  }
}

/** Local epoch days carrying doses, ascending, from the cycle holding `fromDay` on. */
function* doseDays(c: CalendarRule, fromDay: number): Generator<number, void, undefined> {
  if (c.weekdays) {
    const monday = c.anchorDay - (civilFields(c.anchorDay).weekday - 1);
    let week = Math.max(0, Math.floor((fromDay - monday) / 7));
    week -= week % c.length;
    for (; ; week += c.length) for (const wd of c.weekdays) yield monday + week * 7 + wd - 1;
  }
  const months = c.unit === 'mo' ? c.length : c.unit === 'a' ? 12 * c.length : 0;
  if (months === 0) {
    const cycleDays = c.length * (c.unit === 'wk' ? 7 : 1);
    const offsets = spread(cycleDays, c.daysPerCycle);
    for (let k = Math.max(0, Math.floor((fromDay - c.anchorDay) / cycleDays)); ; k++) {
      for (const o of offsets) yield c.anchorDay + k * cycleDays + o;
    }
  }
  const a = civilFields(c.anchorDay); const f = civilFields(fromDay);
  const monthsIn = (f.year * 12 + f.month) - (a.year * 12 + a.month);
  for (let k = Math.max(0, Math.floor(monthsIn / months) - 1); ; k++) {
    const first = addMonths(c.anchorDay, k * months);
    const next = addMonths(c.anchorDay, (k + 1) * months);
    for (const o of spread(next - first, c.daysPerCycle)) yield first + o;
  }
}

/** N dose-day offsets spread evenly over a cycle of `days` days, distinct and ascending. */
function spread(days: number, n: number): number[] {
  const out: number[] = [];
  for (let k = 0; k < n; k++) {
    const o = Math.min(days - 1, Math.round((k * days) / n));
    if (out[out.length - 1] !== o) out.push(o);
  }
  return out;
}

/** An instant as an ISO-8601 UTC string. */
export function toIso(ms: number): string {
  return new Date(ms).toISOString();
}
