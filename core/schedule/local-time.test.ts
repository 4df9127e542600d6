import { describe, expect, it } from 'vitest';
import { isWardClerkError } from '../errors.js';
import { assertTimeZone, fromWall, offsetMs, toWall } from './local-time.js';

const wall = (iso: string): number => Date.parse(`${iso}Z`);
const utc = (ms: number): string => new Date(ms).toISOString().slice(0, 16);

describe('local time', () => {
  it('maps wall times to instants: plain, gap → transition, fold → first', () => {
    expect(utc(fromWall('America/New_York', wall('2026-07-01T09:00')))).toBe('2026-07-01T13:00');
    expect(utc(fromWall('America/New_York', wall('2026-03-08T02:30')))).toBe('2026-03-08T07:00');
    expect(utc(fromWall('America/New_York', wall('2026-11-01T01:30')))).toBe('2026-11-01T05:30');
    // Lord Howe moves by 30 minutes; Apia skipped 2011-12-30 entirely.
    expect(utc(fromWall('Australia/Lord_Howe', wall('2026-10-04T02:15')))).toBe('2026-10-03T15:30');
    expect(utc(fromWall('Pacific/Apia', wall('2011-12-30T09:00')))).toBe('2011-12-30T10:00');
  });

  it('round-trips every valid wall time and is non-decreasing across transitions', () => {
    const bad: string[] = [];
    for (const zone of ['America/New_York', 'Europe/London', 'Australia/Lord_Howe', 'America/Santiago']) {
      let prev = -Infinity;
      for (let w = wall('2026-01-01T00:00'); w < wall('2027-01-01T00:00'); w += 15 * 60_000) {
        const t = fromWall(zone, w);
        if (t < prev) bad.push(`${zone} decreasing at ${utc(w)}`);
        prev = t;
        if (toWall(zone, t) === w) continue;
        // Only a gap may move a wall time, and only forward to the transition.
        if (!(toWall(zone, t) > w) || offsetMs(zone, t - 1) === offsetMs(zone, t)) bad.push(`${zone} moved ${utc(w)}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('rejects unknown and malformed zones with INVALID_TIME_ZONE', () => {
    expect(assertTimeZone('Asia/Kolkata')).toBe('Asia/Kolkata');
    for (const z of ['Nowhere/City', '', 'UTC+5', '+05:30', 'America/New_York/..', 42, null]) {
      let code: string | undefined;
      try { assertTimeZone(z); } catch (e) { code = isWardClerkError(e) ? e.code : 'other'; }
      expect(code).toBe('INVALID_TIME_ZONE');
    }
  });
});
