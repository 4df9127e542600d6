/**
 * Local (wall-clock) time in an IANA zone, without allocating luxon DateTimes per occurrence.
 * Luxon's `IANAZone.offset` costs tens of microseconds (an Intl formatToParts call), so offsets
 * are cached per zone and UTC day: a day whose offset is the same at both ends is constant (no
 * zone changes its offset twice in one day), otherwise the transition is found by bisection once.
 *
 * "Wall ms" below means the local date-time written as if it were UTC (Date.UTC of the fields).
 * Rules (issue 8): a wall time that does not exist (spring forward) maps to the next valid
 * instant (the transition itself, 02:30 → 03:00 in New York); one that happens twice (fall back)
 * maps to the first of the two. The mapping is therefore non-decreasing in wall time.
 */
import { IANAZone } from 'luxon';
import { WardClerkError } from '../errors.js';

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** Offset of one UTC day: constant, or `before` until `switchAt` and `after` from it. */
interface DayOffsets { before: number; after: number; switchAt: number }

const MAX_CACHE = 50_000;
const zones = new Map<string, { zone: IANAZone; days: Map<number, DayOffsets> }>();

/** Accepts IANA names only ("Europe/London", "UTC"); fixed offsets and abbreviations-like junk fail. */
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+\-]*(\/[A-Za-z0-9_+\-]+)*$/;

/**
 * Checks an IANA zone name and returns it. Throws `INVALID_TIME_ZONE` (400) for an unknown or
 * malformed name; the name itself is not PHI but is kept out of the message anyway (details only).
 */
export function assertTimeZone(zone: unknown): string {
  if (typeof zone !== 'string') throw invalidZone(typeof zone);
  zoneEntry(zone);
  return zone;
}

function invalidZone(detail: string): WardClerkError {
  return new WardClerkError('INVALID_TIME_ZONE', 'unknown or invalid IANA time zone', { details: { zone: detail.slice(0, 64) } });
}

function zoneEntry(zone: string): { zone: IANAZone; days: Map<number, DayOffsets> } {
  let e = zones.get(zone);
  if (!e) {
    // isValidZone builds an Intl formatter (about a millisecond): checked once per zone, then cached.
    if (zone.length > 64 || !ZONE_NAME.test(zone) || !IANAZone.isValidZone(zone)) throw invalidZone(zone);
    e = { zone: IANAZone.create(zone), days: new Map() };
    zones.set(zone, e);
  }
  return e;
}

/** Offset in ms of `zone` at instant `ts` (local = ts + offset). */
export function offsetMs(zone: string, ts: number): number {
  const e = zoneEntry(zone);
  const day = Math.floor(ts / DAY_MS);
  let d = e.days.get(day);
  if (!d) {
    const start = day * DAY_MS;
    const end = start + DAY_MS - 1;
    const before = Math.round(e.zone.offset(start) * MINUTE_MS);
    const after = Math.round(e.zone.offset(end) * MINUTE_MS);
    let switchAt = end + 1;
    if (before !== after) {
      // Bisection to the first ms with the new offset (historic LMT offsets have seconds).
      let lo = start; let hi = end;
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (Math.round(e.zone.offset(mid) * MINUTE_MS) === before) lo = mid; else hi = mid;
      }
      switchAt = hi;
    }
    d = { before, after, switchAt };
    if (e.days.size >= MAX_CACHE) e.days.clear();
    e.days.set(day, d);
  }
  return ts < d.switchAt ? d.before : d.after;
}

/** Wall ms of instant `ts` in `zone`. */
export function toWall(zone: string, ts: number): number {
  return ts + offsetMs(zone, ts);
}

/**
 * The instant of wall time `wall` in `zone`: the unique one, the first of two (fold), or the
 * first valid instant after a gap (the transition).
 */
export function fromWall(zone: string, wall: number): number {
  const o1 = offsetMs(zone, wall - DAY_MS);
  const o2 = offsetMs(zone, wall + DAY_MS);
  const t1 = wall - o1;
  const t2 = wall - o2;
  const ok1 = offsetMs(zone, t1) === o1;
  const ok2 = offsetMs(zone, t2) === o2;
  if (ok1 && ok2) return Math.min(t1, t2);
  if (ok1) return t1;
  if (ok2) return t2;
  // Gap: every instant in [min, max] is before or after the jump; find the jump.
  let lo = Math.min(t1, t2); let hi = Math.max(t1, t2);
  const early = offsetMs(zone, lo);
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (offsetMs(zone, mid) === early) lo = mid; else hi = mid;
  }
  return hi;
}

/** Epoch day number (days since 1970-01-01) of a wall ms. */
export function wallDay(wall: number): number {
  return Math.floor(wall / DAY_MS);
}

/** Epoch day of the civil date year/month(1-12)/day, clamping the day to the month's length. */
export function civilDay(year: number, month: number, day: number): number {
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return Math.floor(Date.UTC(year, month - 1, Math.min(day, last)) / DAY_MS);
}

/** Civil fields of an epoch day: year, month (1-12), day of month, ISO weekday (1 = Monday). */
export function civilFields(epochDay: number): { year: number; month: number; day: number; weekday: number } {
  const d = new Date(epochDay * DAY_MS);
  const wd = d.getUTCDay();
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), weekday: wd === 0 ? 7 : wd };
}

/** Epoch day of the date `months` calendar months after `epochDay` (day clamped to month end). */
export function addMonths(epochDay: number, months: number): number {
  const f = civilFields(epochDay);
  const total = f.year * 12 + (f.month - 1) + months;
  return civilDay(Math.floor(total / 12), (total % 12) + 1, f.day);
}

/** The instant of `secondOfDay` on local epoch day `day` in `zone` (gap/fold rules above). */
export function instantAt(zone: string, day: number, secondOfDay: number): number {
  return fromWall(zone, day * DAY_MS + secondOfDay * 1000);
}

/** "HH:mm" or "HH:mm:ss" → seconds since local midnight. */
export function parseClock(hhmm: string): number {
  const [h, m, s] = hhmm.split(':').map(Number);
  return (h ?? 0) * 3600 + (m ?? 0) * 60 + (s ?? 0);
}
