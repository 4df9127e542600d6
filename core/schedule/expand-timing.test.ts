import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import type { Timing } from '../clinical/fhir-dosage.js';
import { isWardClerkError } from '../errors.js';
import { DEFAULT_CLOCK_POLICY as policy, withPatientOverrides } from './clock-policy.js';
import { allInstants, expandTiming } from './expand-timing.js';
import { occurrences } from './occurrences.js';
import { planSeries } from './series-plan.js';

const NY = 'America/New_York';
const at = (iso: string, zone: string): number => DateTime.fromISO(iso, { zone }).toMillis();
const local = (ms: number, zone: string): string => DateTime.fromMillis(ms, { zone }).toFormat("yyyy-MM-dd'T'HH:mm ZZ");
const hhmm = (ms: number, zone: string): string => DateTime.fromMillis(ms, { zone }).toFormat('HH:mm');

function series(timing: Timing, start: number, zone: string, p = policy): number[] {
  const r = planSeries({ timing, start, zone, policy: p });
  if (!r.scheduled) throw new Error(`unscheduled: ${r.reason}`);
  return allInstants(r.plan);
}

describe('expandTiming: frequency', () => {
  it('a 14-day BID course across the US spring DST change has exactly 28 doses at 09:00/21:00 local', () => {
    const timing: Timing = { repeat: { frequency: 2, period: 1, periodUnit: 'd', boundsDuration: { value: 14, code: 'd' } } };
    const doses = series(timing, at('2026-03-07T08:00', NY), NY);
    expect(doses).toHaveLength(28);
    expect(new Set(doses.map((t) => hhmm(t, NY)))).toEqual(new Set(['09:00', '21:00']));
    expect(local(doses[0]!, NY)).toBe('2026-03-07T09:00 -05:00');
    expect(local(doses[27]!, NY)).toBe('2026-03-20T21:00 -04:00');
    // The night of the change is 1 h short: 21:00 EST → 09:00 EDT is 11 real hours; 09:00 → 21:00 stays 12.
    expect((doses[2]! - doses[1]!) / 3_600_000).toBe(11);
    expect((doses[3]! - doses[2]!) / 3_600_000).toBe(12);
  });

  it('the same course started mid-day still has 28 doses (the bound is 14 local days)', () => {
    const timing: Timing = { repeat: { frequency: 2, period: 1, periodUnit: 'd', boundsDuration: { value: 14, unit: 'days' } } };
    expect(series(timing, at('2026-03-07T10:00', NY), NY)).toHaveLength(28);
  });

  it('uses the policy for TID/QID and when codes, with offsets and patient meal times', () => {
    const start = at('2026-06-01T00:00', 'Asia/Kolkata');
    const day = (repeat: Timing['repeat']): string[] => series({ repeat: { ...repeat, count: 4 } }, start, 'Asia/Kolkata').map((t) => hhmm(t, 'Asia/Kolkata'));
    expect(day({ frequency: 3, period: 1, periodUnit: 'd' }).slice(0, 3)).toEqual(['08:00', '14:00', '20:00']);
    expect(day({ frequency: 4, period: 1, periodUnit: 'd' })).toEqual(['08:00', '12:00', '16:00', '20:00']);
    expect(day({ frequency: 1, period: 1, periodUnit: 'd', when: ['ACM'], offset: 45 })[0]).toBe('07:15');
    expect(day({ frequency: 1, period: 1, periodUnit: 'd', when: ['PCV'] })[0]).toBe('19:00');
    expect(day({ frequency: 1, period: 1, periodUnit: 'd', when: ['HS'] })[0]).toBe('22:00');
    expect(day({ frequency: 2, period: 1, periodUnit: 'd', when: ['MORN', 'NIGHT', 'PC'] }).slice(0, 2)).toEqual(['08:30', '19:00']);
    expect(day({ frequency: 3, period: 1, periodUnit: 'd', when: ['AC'] }).slice(0, 3)).toEqual(['07:30', '12:00', '18:00']);
    const late = withPatientOverrides(policy, { meals: { breakfast: '10:00' }, sleep: { bedtime: '23:30' } });
    const mine = (when: string[]): string => hhmm(series({ repeat: { frequency: 1, period: 1, periodUnit: 'd', when, count: 1 } }, start, 'Asia/Kolkata', late)[0]!, 'Asia/Kolkata');
    expect(mine(['CM'])).toBe('10:00');
    expect(mine(['HS'])).toBe('23:30');
  });

  it('spreads weekly and monthly frequencies over days and honours dayOfWeek (Europe/London)', () => {
    const LON = 'Europe/London';
    const start = at('2026-03-02T00:00', LON); // a Monday
    const mwf = series({ repeat: { dayOfWeek: ['mon', 'wed', 'fri'], count: 6 } }, start, LON);
    expect(mwf.map((t) => DateTime.fromMillis(t, { zone: LON }).toFormat('ccc HH:mm'))).toEqual(
      ['Mon 09:00', 'Wed 09:00', 'Fri 09:00', 'Mon 09:00', 'Wed 09:00', 'Fri 09:00']);
    // London springs forward on 2026-03-29: weekly doses stay at 09:00 local.
    const weekly = series({ repeat: { frequency: 1, period: 1, periodUnit: 'wk', count: 5 } }, start, LON);
    expect(weekly.map((t) => hhmm(t, LON))).toEqual(Array(5).fill('09:00'));
    expect(DateTime.fromMillis(weekly[4]!, { zone: LON }).toISODate()).toBe('2026-03-30');
    const monthly = series({ repeat: { frequency: 1, period: 1, periodUnit: 'mo', count: 3 } }, at('2026-01-31T08:00', LON), LON);
    expect(monthly.map((t) => DateTime.fromMillis(t, { zone: LON }).toISODate())).toEqual(['2026-01-31', '2026-02-28', '2026-03-31']);
    const qod = series({ repeat: { frequency: 1, period: 2, periodUnit: 'd', count: 3 } }, start, LON);
    expect(qod.map((t) => DateTime.fromMillis(t, { zone: LON }).toISODate())).toEqual(['2026-03-02', '2026-03-04', '2026-03-06']);
  });
});

describe('expandTiming: interval', () => {
  it('"every 8 hours" across the spring change stays 8 real hours apart, anchored at the first dose', () => {
    const start = at('2026-03-07T22:15', NY);
    const doses = series({ repeat: { frequency: 1, period: 8, periodUnit: 'h', count: 9 } }, start, NY);
    expect(doses[0]).toBe(start);
    expect(doses).toHaveLength(9);
    for (let i = 1; i < doses.length; i++) expect(doses[i]! - doses[i - 1]!).toBe(8 * 3_600_000);
    expect(hhmm(doses[1]!, NY)).toBe('07:15'); // 06:15 EST would be 07:15 EDT
  });

  it('jumps straight to the window and honours until', () => {
    const start = at('2026-01-01T00:00', 'UTC');
    const r = planSeries({ timing: { repeat: { period: 6, periodUnit: 'h' } }, start, zone: 'UTC', policy });
    if (!r.scheduled) throw new Error('unscheduled');
    const from = start + 1000 * 86_400_000 + 1;
    expect([...occurrences(r.plan, { from, until: from + 86_400_000 })]).toHaveLength(4);
  });
});

describe('expandTiming: fixed time and DST edges', () => {
  it('a fixed 02:30 dose on the spring-forward day fires at 03:00, other days at 02:30', () => {
    const doses = series({ repeat: { timeOfDay: ['02:30:00'], count: 3 } }, at('2026-03-07T00:00', NY), NY);
    expect(doses.map((t) => local(t, NY))).toEqual(['2026-03-07T02:30 -05:00', '2026-03-08T03:00 -04:00', '2026-03-09T02:30 -04:00']);
  });

  it('two times inside the gap fire once', () => {
    const doses = series({ repeat: { timeOfDay: ['02:15:00', '02:45:00'], boundsPeriod: { start: '2026-03-08', end: '2026-03-08' } } }, 0, NY);
    expect(doses.map((t) => local(t, NY))).toEqual(['2026-03-08T03:00 -04:00']);
  });

  it('a 01:30 dose on the fall-back day fires once, at the first 01:30 (EDT)', () => {
    const doses = series({ repeat: { timeOfDay: ['01:30:00'], boundsPeriod: { start: '2026-10-31', end: '2026-11-02' } } }, 0, NY);
    expect(doses.map((t) => local(t, NY))).toEqual(['2026-10-31T01:30 -04:00', '2026-11-01T01:30 -04:00', '2026-11-02T01:30 -05:00']);
  });

  it('Asia/Kolkata has no DST: fixed times are 24 h apart all year', () => {
    const doses = series({ repeat: { timeOfDay: ['10:00:00'], count: 400 } }, at('2026-01-01T00:00', 'Asia/Kolkata'), 'Asia/Kolkata');
    expect(doses).toHaveLength(400);
    for (let i = 1; i < doses.length; i++) expect(doses[i]! - doses[i - 1]!).toBe(86_400_000);
    expect(new Date(doses[0]!).toISOString()).toBe('2026-01-01T04:30:00.000Z');
  });

  it('Europe/London fall-back: 01:30 on 2026-10-25 is the BST one', () => {
    const [d] = series({ repeat: { timeOfDay: ['01:30:00'], boundsPeriod: { start: '2026-10-25', end: '2026-10-25' } } }, 0, 'Europe/London');
    expect(new Date(d!).toISOString()).toBe('2026-10-25T00:30:00.000Z');
  });
});

describe('expandTiming: ends and unscheduled items', () => {
  const start = at('2026-05-01T00:00', NY);
  it('count, countMax (low end), boundsDuration, boundsRange (low end) and boundsPeriod end the series', () => {
    const bid = { frequency: 2, period: 1, periodUnit: 'd' } as const;
    expect(series({ repeat: { ...bid, count: 5, countMax: 9 } }, start, NY)).toHaveLength(5);
    expect(series({ repeat: { ...bid, boundsDuration: { value: 3, code: 'd' } } }, start, NY)).toHaveLength(6);
    expect(series({ repeat: { ...bid, boundsRange: { low: { value: 5, code: 'd' }, high: { value: 7, code: 'd' } } } }, start, NY)).toHaveLength(10);
    expect(series({ repeat: { ...bid, boundsPeriod: { start: '2026-05-02T12:00:00-04:00', end: '2026-05-03' } } }, start, NY)).toHaveLength(3);
    expect(series({ repeat: { ...bid, count: 10, boundsDuration: { value: 2, code: 'd' } } }, start, NY)).toHaveLength(4);
    expect(series({ repeat: { period: 30, periodUnit: 'min', boundsDuration: { value: 2, code: 'h' } } }, start, NY)).toHaveLength(4);
    expect(series({ repeat: { count: 1 } }, start, NY)).toEqual([start]);
  });

  it('frequencyMax and periodMax schedule their lower bound', () => {
    expect(series({ repeat: { frequency: 1, frequencyMax: 3, period: 1, periodUnit: 'd', count: 2 } }, start, NY).map((t) => hhmm(t, NY))).toEqual(['09:00', '09:00']);
    const q46 = series({ repeat: { frequency: 1, period: 4, periodMax: 6, periodUnit: 'h', count: 2 } }, start, NY);
    expect(q46[1]! - q46[0]!).toBe(4 * 3_600_000);
  });

  it('reports items without a schedule instead of throwing', () => {
    const reason = (timing: Timing | undefined, asNeeded = false): string | undefined => {
      const r = expandTiming({ timing, asNeeded, start, zone: NY, policy });
      return r.scheduled ? undefined : r.reason;
    };
    expect(reason({ repeat: { frequency: 1, period: 4, periodUnit: 'h' } }, true)).toBe('as_needed');
    expect(reason(undefined)).toBe('no_repeat');
    expect(reason({ repeat: { count: 3 } })).toBe('no_frequency');
    expect(reason({ repeat: { period: 2 } })).toBe('invalid_timing');
    expect(reason({ repeat: { frequency: 2, period: 1, periodUnit: 's' } })).toBe('interval_too_short');
    expect(reason({ repeat: { frequency: 1, period: 1, periodUnit: 'd', boundsPeriod: { end: 'soon' } } })).toBe('invalid_bounds');
    expect(reason({ repeat: { frequency: 1, period: 1, periodUnit: 'd', boundsPeriod: { end: '2026-04-01' } } })).toBe('empty_bounds');
    expect(reason({ code: { coding: [{ code: 'BID' }] } })).toBeUndefined();
  });

  it('an unknown IANA zone is INVALID_TIME_ZONE (400)', () => {
    for (const zone of ['Mars/Olympus_Mons', '', '+05:30', '../etc']) {
      try {
        expandTiming({ timing: { repeat: { frequency: 1, period: 1, periodUnit: 'd' } }, start, zone, policy });
        expect.unreachable();
      } catch (e) {
        expect(isWardClerkError(e) && e.code === 'INVALID_TIME_ZONE' && e.status === 400).toBe(true);
      }
    }
  });
});
