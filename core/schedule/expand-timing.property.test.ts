import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { TimingSchema, type TimingRepeat } from '../clinical/fhir-dosage.js';
import { validateTiming } from '../../engine/clinical/timing-invariants.js';
import { DEFAULT_CLOCK_POLICY as policy } from './clock-policy.js';
import { occurrences } from './occurrences.js';
import { planSeries } from './series-plan.js';

// Zones with odd rules: 30-minute DST (Lord_Howe), negative DST (Dublin), a skipped day (Apia, 2011),
// :45 offsets (Kathmandu), DST at midnight (Santiago, Havana), none at all (Kolkata).
const ZONES = ['America/New_York', 'Europe/London', 'Asia/Kolkata', 'Australia/Lord_Howe', 'Europe/Dublin',
  'Pacific/Apia', 'Asia/Kathmandu', 'America/Santiago', 'America/Havana', 'America/St_Johns', 'UTC'];
const DAY = 86_400_000;
const WHEN = ['MORN', 'NOON', 'AFT', 'EVE', 'NIGHT', 'HS', 'WAKE', 'AC', 'PC', 'C', 'ACM', 'ACD', 'ACV', 'PCM', 'PCD', 'PCV', 'CM', 'CD', 'CV'];
const clock = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }))
  .map(([h, m]) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:00`);
const qty = (units: string[]) => fc.record({ value: fc.integer({ min: 1, max: 30 }), code: fc.constantFrom(...units) });

const repeatArb: fc.Arbitrary<TimingRepeat> = fc.record({
  frequency: fc.integer({ min: 1, max: 6 }),
  frequencyMax: fc.integer({ min: 1, max: 8 }),
  period: fc.oneof(fc.integer({ min: 1, max: 12 }), fc.constantFrom(0.5, 1.5)),
  periodMax: fc.integer({ min: 1, max: 24 }),
  periodUnit: fc.constantFrom('min', 'h', 'd', 'wk', 'mo'),
  count: fc.integer({ min: 1, max: 60 }),
  countMax: fc.integer({ min: 1, max: 90 }),
  timeOfDay: fc.uniqueArray(clock, { minLength: 1, maxLength: 4 }),
  when: fc.uniqueArray(fc.constantFrom(...WHEN), { minLength: 1, maxLength: 3 }),
  offset: fc.integer({ min: 0, max: 90 }),
  dayOfWeek: fc.uniqueArray(fc.constantFrom('mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun' as const), { minLength: 1, maxLength: 4 }),
  boundsDuration: qty(['h', 'd', 'wk', 'mo']),
}, { requiredKeys: [] }).map((r) => {
  // Minutes only in the hundreds, so one run stays a few thousand instants.
  if (r.periodUnit === 'min' && r.period !== undefined) r.period = Math.max(30, Math.round(r.period * 30));
  return r as TimingRepeat;
}).filter((r) => validateTiming({ repeat: r }).length === 0 && TimingSchema.safeParse({ repeat: r }).success);

describe('expandTiming properties', () => {
  it('instants are strictly increasing, inside start/end and the window, count-limited, and a window equals the slice of the whole', () => {
    fc.assert(fc.property(repeatArb, fc.constantFrom(...ZONES), fc.integer({ min: Date.UTC(2010, 0, 1), max: Date.UTC(2030, 0, 1) }),
      fc.integer({ min: 0, max: 40 * DAY }), fc.integer({ min: 0, max: 20 * DAY }),
      (repeat, zone, start, fromOffset, width) => {
        const r = planSeries({ timing: { repeat }, start, zone, policy });
        if (!r.scheduled) return;
        const horizon = start + 60 * DAY;
        const whole = [...occurrences(r.plan, { until: horizon })];
        const increasing = whole.every((t, i) => i === 0 || t > whole[i - 1]!);
        const inside = whole.every((t) => t >= r.plan.start && (r.plan.end === null || t < r.plan.end));
        expect({ increasing, inside }).toEqual({ increasing: true, inside: true });
        if (repeat.count !== undefined) expect(whole.length).toBeLessThanOrEqual(repeat.count);
        if (r.plan.kind === 'interval') expect(whole.every((t, i) => i === 0 || t - whole[i - 1]! === r.plan.intervalMs)).toBe(true);
        const from = start + fromOffset; const until = Math.min(horizon, from + width);
        expect([...occurrences(r.plan, { from, until })]).toEqual(whole.filter((t) => t >= from && t < until));
      }), { numRuns: 200, seed: 88 });
  });
});
