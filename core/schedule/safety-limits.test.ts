import { describe, expect, it } from 'vitest';
import type { TimingRepeat } from '../clinical/fhir-dosage.js';
import { DEFAULT_CLOCK_POLICY as policy } from './clock-policy.js';
import { frequencyCaps, maxDoseCap, minIntervalMs } from './safety-limits.js';
import { planSeries, type SeriesPlan } from './series-plan.js';

const H = 3_600_000;
function plan(repeat: TimingRepeat): SeriesPlan {
  const r = planSeries({ timing: { repeat }, start: Date.UTC(2026, 2, 1), zone: 'America/New_York', policy });
  if (!r.scheduled) throw new Error(r.reason);
  return r.plan;
}
const daily = (frequency: number): TimingRepeat => ({ frequency, period: 1, periodUnit: 'd' });

describe('safety limits', () => {
  it('takes the minimum interval from the tenant table, the interval itself, or half the spacing', () => {
    expect([1, 2, 3, 4].map((n) => minIntervalMs(plan(daily(n)), policy) / H)).toEqual([12, 8, 4, 3]);
    expect(minIntervalMs(plan({ period: 8, periodUnit: 'h' }), policy) / H).toBe(8);
    expect(minIntervalMs(plan({ frequency: 1, period: 1, periodUnit: 'wk' }), policy) / H).toBe(84);
    expect(minIntervalMs(plan({ frequency: 1, period: 2, periodUnit: 'd' }), policy) / H).toBe(24);
  });

  it('never sets a minimum interval the prescribed pattern itself breaks', () => {
    expect(minIntervalMs(plan({ timeOfDay: ['08:00:00', '10:00:00'] }), policy) / H).toBe(2);
  });

  it('caps doses per local day and per cycle', () => {
    expect(frequencyCaps(plan(daily(3)))).toEqual([expect.objectContaining({ count: 3, clock: 'calendar', days: 1 })]);
    const mwf = frequencyCaps(plan({ dayOfWeek: ['mon', 'wed', 'fri'] }));
    expect(mwf[1]).toMatchObject({ count: 3, days: 7 });
    expect(frequencyCaps(plan({ frequency: 1, period: 1, periodUnit: 'mo' }))[1]).toMatchObject({ count: 1, months: 1 });
    expect(frequencyCaps(plan({ period: 6, periodUnit: 'h' }))).toEqual([{ count: 1, periodMs: 6 * H, clock: 'real', source: 'frequency' }]);
  });

  it('reads maxDosePerPeriod as administrations, dividing by the dose when units agree', () => {
    const per24h = { numerator: { value: 8, code: '{tbl}' }, denominator: { value: 24, code: 'h' } };
    expect(maxDoseCap({ doseAndRate: [{ doseRange: { low: { value: 1, code: '{tbl}' }, high: { value: 2, code: '{tbl}' } } }], maxDosePerPeriod: per24h }))
      .toMatchObject({ count: 4, periodMs: 24 * H, unitsAgree: true });
    expect(maxDoseCap({ doseAndRate: [{ doseQuantity: { value: 500, code: 'mg' } }], maxDosePerPeriod: per24h }))
      .toMatchObject({ count: 8, unitsAgree: false });
    expect(maxDoseCap({ maxDosePerPeriod: { numerator: { value: 4 }, denominator: { value: 1, code: 'd' } } })).toMatchObject({ count: 4, periodMs: 24 * H });
    expect(maxDoseCap({ maxDosePerPeriod: { numerator: { value: 4 }, denominator: { value: 1, code: 'fortnight' } } })).toBeNull();
    expect(maxDoseCap({})).toBeNull();
  });
});
