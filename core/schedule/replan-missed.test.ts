import { DateTime } from 'luxon';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Dosage, TimingRepeat } from '../clinical/fhir-dosage.js';
import { DEFAULT_CLOCK_POLICY as policy } from './clock-policy.js';
import { allInstants } from './expand-timing.js';
import { replanMissed, type DoseOutcome, type ReplanInput } from './replan-missed.js';
import { bucketOf, frequencyCaps, maxDoseCap, minIntervalMs, openPattern, type DoseCap } from './safety-limits.js';
import { planSeries, type SeriesPlan } from './series-plan.js';

const NY = 'America/New_York';
const H = 3_600_000;
const at = (iso: string, zone = NY): number => DateTime.fromISO(iso, { zone }).toMillis();
const hhmm = (ms: number, zone = NY): string => DateTime.fromMillis(ms, { zone }).toFormat('MM-dd HH:mm');

function course(repeat: TimingRepeat, start: number, zone = NY): { plan: SeriesPlan; planned: number[] } {
  const r = planSeries({ timing: { repeat }, start, zone, policy });
  if (!r.scheduled) throw new Error(r.reason);
  return { plan: r.plan, planned: allInstants(r.plan) };
}

function input(plan: SeriesPlan, planned: number[], outcomes: DoseOutcome[], now: number, extra: Partial<ReplanInput> = {}): ReplanInput {
  return {
    medication: true, zone: plan.zone, planned, pattern: openPattern(plan), outcomes, now,
    minIntervalMs: minIntervalMs(plan, policy), caps: frequencyCaps(plan), maxExtensionMs: 48 * H, ...extra,
  };
}

const BID_7D: TimingRepeat = { frequency: 2, period: 1, periodUnit: 'd', boundsDuration: { value: 7, code: 'd' } };

describe('replanMissed', () => {
  it('keeps an adherent course exactly as planned', () => {
    const { plan, planned } = course(BID_7D, at('2026-03-06T08:00'));
    const now = planned[5]! + H;
    const taken = planned.slice(0, 6).map((t, index) => ({ index, state: 'taken' as const, at: t }));
    const r = replanMissed(input(plan, planned, taken, now));
    expect(r.doses.map((d) => d.at)).toEqual(planned.slice(6));
    expect(r.doses.every((d) => d.reasons.length === 0)).toBe(true);
    expect(r.adherenceAlert).toBe(false);
  });

  it('a missed BID dose shifts the rest one slot and the course ends one slot later', () => {
    const { plan, planned } = course(BID_7D, at('2026-03-06T08:00'));
    const outcomes: DoseOutcome[] = [{ index: 0, state: 'taken', at: planned[0]! }, { index: 1, state: 'missed' }];
    const r = replanMissed(input(plan, planned, outcomes, planned[1]! + H));
    expect(r.doses).toHaveLength(13);
    expect(r.doses[0]).toMatchObject({ index: 1, at: planned[2], reasons: ['overdue'] });
    expect(r.doses[1]).toMatchObject({ index: 2, at: planned[3], reasons: ['after_missed_dose'] });
    expect(hhmm(r.doses[12]!.at)).toBe('03-13 09:00');
  });

  it('a dose taken late pushes the next one to keep the minimum interval (BID ≥ 8 h)', () => {
    const { plan, planned } = course(BID_7D, at('2026-03-06T08:00'));
    const lateTake = at('2026-03-06T15:00');
    const r = replanMissed(input(plan, planned, [{ index: 0, state: 'taken', at: lateTake }], lateTake));
    expect(hhmm(r.doses[0]!.at)).toBe('03-06 23:00');
    expect(r.doses[0]!.reasons).toContain('min_interval');
    // Then back on the pattern: the minimum interval is kept, no day has more than two doses.
    expect(r.doses.slice(1, 3).map((d) => hhmm(d.at))).toEqual(['03-07 09:00', '03-07 21:00']);
    expect(r.doses[1]!.reasons).toEqual([]);
  });

  it('respects maxDosePerPeriod and drops past the extension limit with an adherence alert', () => {
    const { plan, planned } = course({ period: 4, periodUnit: 'h', count: 12 }, at('2026-05-01T06:00'));
    const dosage: Dosage = { doseAndRate: [{ doseQuantity: { value: 2, code: '{tbl}' } }], maxDosePerPeriod: { numerator: { value: 8, code: '{tbl}' }, denominator: { value: 24, code: 'h' } } };
    const cap = maxDoseCap(dosage)!;
    expect(cap).toMatchObject({ count: 4, periodMs: 24 * H, unitsAgree: true });
    const outcomes: DoseOutcome[] = [{ index: 0, state: 'missed' }];
    const r = replanMissed(input(plan, planned, outcomes, planned[0]! + H, { caps: [...frequencyCaps(plan), cap], maxExtensionMs: 12 * H }));
    for (const d of r.doses) {
      const window = r.doses.filter((x) => x.at > d.at - 24 * H && x.at <= d.at);
      expect(window.length).toBeLessThanOrEqual(4);
    }
    expect(r.adherenceAlert).toBe(true);
    expect(r.dropped.every((d) => d.reason === 'course_extension_limit')).toBe(true);
    expect(r.doses.length + r.dropped.length).toBe(12);
    expect(Math.max(...r.doses.map((d) => d.at))).toBeLessThanOrEqual(planned[11]! + 12 * H);
  });

  it('does not shift non-medication items and does not make up skipped doses', () => {
    const { plan, planned } = course(BID_7D, at('2026-03-06T08:00'));
    const outcomes: DoseOutcome[] = [{ index: 0, state: 'missed' }, { index: 1, state: 'skipped' }];
    const walk = replanMissed(input(plan, planned, outcomes, planned[1]! + H, { medication: false }));
    expect(walk.doses.map((d) => d.at)).toEqual(planned.slice(2));
    expect(walk.dropped).toEqual([{ index: 0, plannedAt: planned[0], reason: 'not_made_up' }]);
    const med = replanMissed(input(plan, planned, outcomes, planned[1]! + H));
    expect(med.doses).toHaveLength(13); // 14 − 1 skipped; the missed one is made up
  });

  it('keeps a dose being delivered (due) where it is and counts it', () => {
    const { plan, planned } = course(BID_7D, at('2026-03-06T08:00'));
    for (const now of [planned[0]!, planned[0]! + 10 * 60_000]) {
      const r = replanMissed(input(plan, planned, [{ index: 0, state: 'due', at: planned[0]! }], now));
      expect(r.doses[0]).toMatchObject({ index: 1, at: planned[1], reasons: [] });
      expect(r.doses).toHaveLength(13);
    }
  });

  it('a dose taken a little early keeps its own slot: the next dose is not pushed', () => {
    const { plan, planned } = course(BID_7D, at('2026-03-06T08:00'));
    const early = planned[1]! - 10 * 60_000;
    const outcomes: DoseOutcome[] = [{ index: 0, state: 'taken', at: planned[0]! }, { index: 1, state: 'taken', at: early }];
    const r = replanMissed(input(plan, planned, outcomes, early + 60_000));
    expect(r.doses.map((d) => d.at)).toEqual(planned.slice(2));
  });
});

const ZONES = ['America/New_York', 'Europe/London', 'Asia/Kolkata', 'Australia/Lord_Howe', 'UTC'];
const REPEATS: TimingRepeat[] = [
  { frequency: 2, period: 1, periodUnit: 'd' }, { frequency: 3, period: 1, periodUnit: 'd' },
  { frequency: 4, period: 1, periodUnit: 'd' }, { frequency: 1, period: 1, periodUnit: 'd', when: ['HS'] },
  { period: 8, periodUnit: 'h' }, { period: 6, periodUnit: 'h' }, { frequency: 1, period: 2, periodUnit: 'd' },
];

describe('replanMissed properties', () => {
  it('never breaks the minimum interval, a cap or the extension limit, never doubles, never adds doses', () => {
    const start = at('2026-03-01T00:00', 'UTC');
    fc.assert(fc.property(
      fc.constantFrom(...ZONES), fc.constantFrom(...REPEATS), fc.integer({ min: 0, max: 70 * 24 }), fc.integer({ min: 3, max: 30 }),
      fc.array(fc.tuple(fc.constantFrom('taken', 'skipped', 'missed', 'pending'), fc.integer({ min: -120, max: 600 })), { minLength: 30, maxLength: 30 }),
      fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 96 }), fc.boolean(),
      (zone, repeat, startHours, count, fates, nowDose, extensionHours, withMax) => {
        const { plan, planned } = course({ ...repeat, count }, start + startHours * H, zone);
        const nowIdx = Math.min(nowDose, planned.length - 1);
        const now = planned[nowIdx]! + 90 * 60_000;
        const outcomes: DoseOutcome[] = [];
        let lastTaken = -Infinity;
        for (let i = 0; i <= nowIdx; i++) {
          const [fate, lateMin] = fates[i]!;
          if (fate === 'pending') continue;
          if (fate !== 'taken') { outcomes.push({ index: i, state: fate as 'skipped' | 'missed' }); continue; }
          const takenAt = Math.max(planned[i]! + lateMin * 60_000, lastTaken + 1);
          if (takenAt > now) { outcomes.push({ index: i, state: 'missed' }); continue; }
          lastTaken = takenAt;
          outcomes.push({ index: i, state: 'taken', at: takenAt });
        }
        const caps: DoseCap[] = [...frequencyCaps(plan)];
        if (withMax) caps.push({ count: 2, periodMs: 24 * H, clock: 'real', source: 'max_dose_per_period' });
        const min = minIntervalMs(plan, policy);
        const r = replanMissed(input(plan, planned, outcomes, now, { caps, maxExtensionMs: extensionHours * H }));
        const taken = outcomes.filter((o) => o.state === 'taken').map((o) => o.at!).sort((a, b) => a - b);
        const all = [...taken];
        const broken: string[] = [];
        const limit = planned[planned.length - 1]! + extensionHours * H;
        for (const d of r.doses) {
          if (d.at < now) broken.push('before now');
          if (all.length > 0 && d.at - all[all.length - 1]! < min) broken.push('min interval');
          all.push(d.at);
          for (const cap of caps) {
            const inWin = cap.clock === 'real'
              ? all.filter((x) => x > d.at - cap.periodMs && x <= d.at).length
              : all.filter((x) => bucketOf(cap, zone, x) === bucketOf(cap, zone, d.at)).length;
            if (inWin > cap.count) broken.push(`${cap.source} cap`);
          }
          if (d.at > limit) broken.push('extension limit');
        }
        expect(broken).toEqual([]);
        expect(new Set(all).size).toBe(all.length);
        expect(taken.length + r.doses.length).toBeLessThanOrEqual(planned.length);
        const skipped = outcomes.filter((o) => o.state === 'skipped').length;
        expect(taken.length + skipped + r.doses.length + r.dropped.length).toBe(planned.length);
        expect(r.adherenceAlert).toBe(r.dropped.length > 0);
      }), { numRuns: 200, seed: 8 });
  });

  it('an adherent patient is never moved, in any zone, across DST', () => {
    fc.assert(fc.property(fc.constantFrom(...ZONES), fc.constantFrom(...REPEATS), fc.integer({ min: 0, max: 365 * 24 }), fc.integer({ min: 0, max: 19 }),
      (zone, repeat, startHours, nowIdx) => {
        const { plan, planned } = course({ ...repeat, count: 20 }, at('2026-01-01T00:00', 'UTC') + startHours * H, zone);
        const outcomes = planned.slice(0, nowIdx + 1).map((t, index) => ({ index, state: 'taken' as const, at: t }));
        const r = replanMissed(input(plan, planned, outcomes, planned[nowIdx]! + 1));
        expect(r.doses.map((d) => d.at)).toEqual(planned.slice(nowIdx + 1));
      }), { numRuns: 200, seed: 9 });
  });
});
