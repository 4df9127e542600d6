/**
 * Where a series starts and ends: `boundsPeriod`, `boundsDuration` and `boundsRange` (its low
 * end: a "5-7 days" course is scheduled for 5 days, never more doses than the least prescribed).
 * Calendar units (d, wk, mo, a) are added in local wall time, so "14 days" from 08:00 ends at
 * 08:00 local fourteen days later across a DST change; s/min/h are real elapsed time.
 */
import type { Quantity, TimingRepeat } from '../clinical/fhir-dosage.js';
import { addMonths, DAY_MS, fromWall, toWall, wallDay } from './local-time.js';

const REAL_UNIT_MS: Record<string, number> = { s: 1000, min: 60_000, h: 3_600_000 };
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const LOCAL_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?$/;

/** The unit code of a duration quantity (`code`, else a UCUM-like `unit`), or null. */
function unitOf(q: Quantity): string | null {
  const u = q.code ?? q.unit ?? null;
  if (u === null) return null;
  const n = u.toLowerCase();
  if (['s', 'min', 'h', 'd', 'wk', 'mo', 'a'].includes(n)) return n;
  const words: Record<string, string> = { second: 's', seconds: 's', minute: 'min', minutes: 'min', hour: 'h', hours: 'h',
    day: 'd', days: 'd', week: 'wk', weeks: 'wk', month: 'mo', months: 'mo', year: 'a', years: 'a' };
  return words[n] ?? null;
}

/** `from` plus a duration quantity in `zone`; null when the quantity has no usable value or unit. */
export function addDuration(zone: string, from: number, q: Quantity): number | null {
  const unit = unitOf(q);
  const v = q.value;
  if (unit === null || v === undefined || !Number.isFinite(v) || v < 0) return null;
  const real = REAL_UNIT_MS[unit];
  if (real !== undefined) return from + Math.round(v * real);
  const wall = toWall(zone, from);
  const timeOfDay = wall - wallDay(wall) * DAY_MS;
  if (unit === 'd' || unit === 'wk') {
    const days = v * (unit === 'wk' ? 7 : 1);
    const whole = Math.floor(days);
    return fromWall(zone, (wallDay(wall) + whole) * DAY_MS + timeOfDay) + Math.round((days - whole) * DAY_MS);
  }
  if (!Number.isInteger(v)) return null;
  const months = v * (unit === 'a' ? 12 : 1);
  return fromWall(zone, addMonths(wallDay(wall), months) * DAY_MS + timeOfDay);
}

/**
 * A FHIR dateTime as an instant: with an offset as written; a local date-time in `zone`; a bare
 * date as local midnight (or, with `endOfDay`, the next local midnight: the whole day counts).
 * Null when unparseable.
 */
export function parseFhirDateTime(zone: string, s: string, endOfDay = false): number | null {
  const d = DATE_ONLY.exec(s);
  if (d) {
    const day = Math.floor(Date.UTC(+d[1]!, +d[2]! - 1, +d[3]!) / DAY_MS);
    return fromWall(zone, (day + (endOfDay ? 1 : 0)) * DAY_MS);
  }
  const l = LOCAL_DATE_TIME.exec(s);
  if (l) return fromWall(zone, Date.UTC(+l[1]!, +l[2]! - 1, +l[3]!, +l[4]!, +l[5]!, +(l[6] ?? 0)));
  if (!/^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:\d{2})$/.test(s)) return null;
  const t = Date.parse(s);
  return Number.isNaN(t) ? null : t;
}

export type BoundsResult = { ok: true; start: number; end: number | null } | { ok: false; reason: 'invalid_bounds' };

/**
 * Effective start (the later of `start` and `boundsPeriod.start`) and exclusive end (the earliest
 * of the duration bound and `boundsPeriod.end`, which is inclusive as FHIR reads it).
 */
export function seriesBounds(zone: string, start: number, r: TimingRepeat): BoundsResult {
  let from = start;
  let end: number | null = null;
  if (r.boundsPeriod?.start !== undefined) {
    const s = parseFhirDateTime(zone, r.boundsPeriod.start);
    if (s === null) return { ok: false, reason: 'invalid_bounds' };
    from = Math.max(from, s);
  }
  if (r.boundsPeriod?.end !== undefined) {
    const e = parseFhirDateTime(zone, r.boundsPeriod.end, true);
    if (e === null) return { ok: false, reason: 'invalid_bounds' };
    end = DATE_ONLY.test(r.boundsPeriod.end) ? e : e + 1;
  }
  const duration = r.boundsDuration ?? r.boundsRange?.low;
  if (duration) {
    const e = addDuration(zone, from, duration);
    if (e === null) return { ok: false, reason: 'invalid_bounds' };
    end = end === null ? e : Math.min(end, e);
  }
  return { ok: true, start: from, end };
}
