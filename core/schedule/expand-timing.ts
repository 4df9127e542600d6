/**
 * Timing expansion, the entry point: a FHIR R4 `Timing`, a start instant, the patient's IANA zone
 * and the tenant's clock-time policy → the concrete instants of the series, lazily.
 *
 *   const r = expandTiming({ timing, start, zone, policy }, { from, until });
 *   if (r.scheduled) for (const t of r.instants) …   // epoch ms, strictly increasing
 *   else r.reason                                    // 'as_needed' | 'no_repeat' | …
 *
 * Local-time rules: a clock time stays the same local time across DST; a time inside a
 * spring-forward gap fires at the first valid minute after it (02:30 → 03:00); a time that
 * happens twice at fall-back fires once, the first time; intervals are real elapsed time.
 * Callers that expand the same series repeatedly (the scheduler) keep `plan` (JSON, no PHI) and
 * call `occurrences(plan, window)` themselves.
 */
import { planSeries, type PlanSeriesInput, type SeriesPlan, type UnscheduledReason } from './series-plan.js';
import { occurrences, type Window } from './occurrences.js';

export type ExpandResult =
  | { scheduled: true; plan: SeriesPlan; instants: Generator<number, void, undefined> }
  | { scheduled: false; reason: UnscheduledReason };

/** Compiles and expands in one call. Throws `INVALID_TIME_ZONE`; see `planSeries`. */
export function expandTiming(input: PlanSeriesInput, window: Window = {}): ExpandResult {
  const r = planSeries(input);
  if (!r.scheduled) return r;
  return { scheduled: true, plan: r.plan, instants: occurrences(r.plan, window) };
}

/** Every instant of a bounded series (count or bounds), capped at `max` (guards open-ended ones). */
export function allInstants(plan: SeriesPlan, max = 10_000): number[] {
  const out: number[] = [];
  for (const t of occurrences(plan)) { if (out.length >= max) break; out.push(t); }
  return out;
}
