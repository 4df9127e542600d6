/**
 * Schedule expansion (issue 8): 100,000 active reminder series in one tenant, spread over
 * common Timings and ten zones, compiled once, then expanded one day ahead — what the scheduler
 * does each time it fills its due index. Baseline: the same day's BID instants built with one
 * luxon DateTime per slot (the obvious implementation), on 10,000 series, per series.
 * Also re-plans 1,000 series after a missed dose.
 */
import { DateTime } from 'luxon';
import type { TimingRepeat } from '../../core/clinical/fhir-dosage.js';
import { DEFAULT_CLOCK_POLICY as policy } from '../../core/schedule/clock-policy.js';
import { occurrences } from '../../core/schedule/occurrences.js';
import { replanMissed } from '../../core/schedule/replan-missed.js';
import { frequencyCaps, minIntervalMs, openPattern } from '../../core/schedule/safety-limits.js';
import { planSeries, type SeriesPlan } from '../../core/schedule/series-plan.js';

const ZONES = ['America/New_York', 'America/Chicago', 'America/Los_Angeles', 'Europe/London', 'Europe/Berlin',
  'Asia/Kolkata', 'Asia/Singapore', 'Australia/Sydney', 'America/Sao_Paulo', 'Africa/Nairobi'];
const REPEATS: TimingRepeat[] = [
  { frequency: 2, period: 1, periodUnit: 'd', boundsDuration: { value: 14, code: 'd' } },
  { frequency: 3, period: 1, periodUnit: 'd', boundsDuration: { value: 7, code: 'd' } },
  { frequency: 1, period: 1, periodUnit: 'd', when: ['HS'] },
  { frequency: 4, period: 1, periodUnit: 'd', count: 40 },
  { period: 8, periodUnit: 'h', boundsDuration: { value: 10, code: 'd' } },
  { frequency: 1, period: 1, periodUnit: 'd', when: ['ACM'], offset: 30 },
  { dayOfWeek: ['mon', 'thu'] },
];
const DAY = 86_400_000;

export async function benchScheduleExpansion(series = 100_000): Promise<Record<string, unknown>> {
  const start = Date.UTC(2026, 2, 1, 12);
  const t0 = performance.now();
  const plans: SeriesPlan[] = [];
  for (let i = 0; i < series; i++) {
    const r = planSeries({ timing: { repeat: REPEATS[i % REPEATS.length]! }, start: start + (i % 1440) * 60_000, zone: ZONES[i % ZONES.length]!, policy });
    if (r.scheduled) plans.push(r.plan);
  }
  const compileMs = performance.now() - t0;
  // One day ahead, across the US spring change (2026-03-08).
  const from = Date.UTC(2026, 2, 8); const until = from + DAY;
  const t1 = performance.now();
  let instants = 0;
  for (const p of plans) for (const _ of occurrences(p, { from, until })) instants++;
  const expandMs = performance.now() - t1;

  const base = 10_000;
  const t2 = performance.now();
  let baseInstants = 0;
  for (let i = 0; i < base; i++) {
    const day = DateTime.fromMillis(from, { zone: ZONES[i % ZONES.length]! }).startOf('day');
    for (const [h, m] of [[9, 0], [21, 0]] as const) if (day.set({ hour: h, minute: m }).toMillis() < until) baseInstants++;
  }
  const baseMs = performance.now() - t2;

  const bid = plans[0]!;
  const planned = [...occurrences(bid)];
  const t3 = performance.now();
  for (let i = 0; i < 1000; i++) {
    replanMissed({ medication: true, zone: bid.zone, planned, pattern: openPattern(bid), now: planned[3]! + 3_600_000,
      outcomes: [0, 1, 2].map((index) => ({ index, state: 'taken' as const, at: planned[index]! })).concat([{ index: 3, state: 'missed' as never, at: planned[3]! }]),
      minIntervalMs: minIntervalMs(bid, policy), caps: frequencyCaps(bid), maxExtensionMs: 2 * DAY });
  }
  const replanMs = performance.now() - t3;
  const perSeriesUs = (expandMs * 1000) / plans.length;
  const basePerSeriesUs = (baseMs * 1000) / base;
  return {
    series: plans.length,
    compile_ms: Math.round(compileMs),
    expand_one_day_ms: Math.round(expandMs),
    instants_one_day: instants,
    per_series_us: Math.round(perSeriesUs * 10) / 10,
    baseline_luxon_per_series_us: Math.round(basePerSeriesUs * 10) / 10,
    baseline_instants: baseInstants,
    ratio_vs_baseline: Math.round((basePerSeriesUs / perSeriesUs) * 100) / 100,
    replan_14d_bid_us: Math.round((replanMs * 1000) / 1000),
  };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await benchScheduleExpansion(), null, 2));
}
