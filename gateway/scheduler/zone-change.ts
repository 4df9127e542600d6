/**
 * A patient's new IANA time zone, applied to one active series (plan-ops `opsForZoneChange`).
 * Clock-time series (`fixed` timeOfDay, `frequency` at policy or `when` times) keep their local
 * times: 09:00 and 21:00 in London become 09:00 and 21:00 in New York. Interval and single-dose
 * series keep their instants ("every 8 hours" stays 8 real hours apart); only their zone changes.
 *
 * The plan is moved, not recompiled: its local start, anchor day, end and count carry over, so dose
 * k stays dose k (outcomes keep their meaning) and nothing is added or lost. The pending reminder
 * moves to its dose's local time in the new zone; so do the remaining doses of a course a missed
 * dose already re-planned. A dose whose new time has already passed — or, for a medicine, would
 * come sooner than the minimum interval after the last dose given — is not delivered late: the
 * reminder goes to the next dose, and the passed one is recorded as dropped (`time_zone_change`),
 * so a move east never doubles a dose. Every moved series gets a `replans` record (trigger `time_zone`).
 */
import { newId } from '../../core/crypto.js';
import { fromWall, minIntervalMs, occurrences, toWall, type ClockPolicy, type SeriesPlan } from '../../core/schedule/index.js';
import type { RawOp } from '../store/group-commit.js';
import type { PatientScope } from '../store/reminders-repo.js';
import type { ReminderSeriesRecord, ReplanRecord } from '../store/reminders-records.js';
import { openReminders } from './adapt.js';
import type { SchedulerContext } from './scheduler-context.js';
import { cancelReminder, reschedule, type Occurrence } from './series-step.js';

/** Why a dose moved or went (replans `reasons` / `dropped.reason`). */
export const ZONE_CHANGE_REASON = 'time_zone_change';

/** Longest walk over passed doses before giving up (a year of QID doses). */
const MAX_SKIP = 1500;

/** The same local (wall-clock) time in `to` as instant `t` has in `from`. */
export function sameLocalTime(from: string, to: string): (t: number) => number {
  return (t) => fromWall(to, toWall(from, t));
}

/** `plan` in `zone`: clock-time plans keep their local schedule; real-time ones their instants. */
export function planInZone(plan: SeriesPlan, zone: string): SeriesPlan {
  if (!plan.calendar) return { ...plan, zone };
  const move = sameLocalTime(plan.zone, zone);
  // A count's end sits just after its last dose: move that dose, not the instant after it (a DST gap could swallow it).
  const end = plan.end === null ? null : plan.count !== null ? move(plan.end - 1) + 1 : move(plan.end);
  return { ...plan, zone, start: move(plan.start), end };
}

/**
 * Re-plans `series` (active, zone ≠ `zone`) into `ops`. Returns the re-plan record it wrote, or
 * null when no reminder moved (an interval series, or one with nothing pending).
 */
export async function rezoneSeries(ctx: SchedulerContext, s: PatientScope, series: ReminderSeriesRecord, zone: string,
  policy: ClockPolicy, now: number, ops: RawOp[]): Promise<ReplanRecord | null> {
  const plan = series.plan as SeriesPlan | null;
  const next = plan ? planInZone(plan, zone) : null;
  const iso = new Date(now).toISOString();
  if (!plan || !next || !plan.calendar) {
    ops.push(...ctx.repo.seriesOps(s, { ...series, zone, plan: next, updated_at: iso }, false));
    return null;
  }
  const move = sameLocalTime(plan.zone, zone);
  const open = await openReminders(ctx, series);
  const scheduled = open.find((r) => r.state === 'scheduled');
  // Doses already given (or being given) stay where they were; only those still to come move.
  const replanned = series.replanned?.map((d) => (d.at > now ? { index: d.index, at: move(d.at) } : d)) ?? null;
  const updated: ReminderSeriesRecord = { ...series, zone, plan: next, replanned, updated_at: iso };
  const moved: ReplanRecord['moved'] = [];
  const dropped: ReplanRecord['dropped'] = [];

  if (!scheduled) {
    // Nothing pending: the next dose is materialised later from `last_at`, which must name the same dose in the new zone.
    if (updated.last_at !== null && !replanned) updated.last_at = move(updated.last_at);
  } else {
    const given = [
      ...open.filter((r) => r.state !== 'scheduled').map((r) => r.due_at),
      ...series.outcomes.flatMap((o) => (o.state === 'taken' && o.at !== undefined ? [o.at] : [])),
    ];
    const lastGiven = given.length > 0 ? Math.max(...given) : -Infinity;
    const earliest = series.kind === 'medication' ? Math.max(now, lastGiven + minIntervalMs(next, policy)) : now;
    let slot: Occurrence | null = null;
    let walked = 0;
    for (const candidate of slotsFrom(next, replanned, scheduled.index, move(scheduled.due_at))) {
      if (candidate.at >= earliest) { slot = candidate; break; }
      dropped.push({ index: candidate.index, planned_at: candidate.at, reason: ZONE_CHANGE_REASON });
      if (++walked >= MAX_SKIP) break;
    }
    if (!slot) {
      cancelReminder(ctx.repo, s, scheduled, ZONE_CHANGE_REASON, now, ops);
      updated.open = updated.open.filter((id) => id !== scheduled.reminder_id);
      if (updated.open.length === 0) updated.status = 'ended';
    } else {
      if (slot.at !== scheduled.due_at || slot.index !== scheduled.index) {
        reschedule(ctx.repo, s, scheduled, slot, now, ops);
        moved.push({ index: scheduled.index, from: scheduled.due_at, to: slot.at, reasons: [ZONE_CHANGE_REASON] });
      }
      updated.last_index = slot.index;
      updated.last_at = slot.at;
    }
  }
  ops.push(...ctx.repo.seriesOps(s, updated, false));
  if (moved.length === 0 && dropped.length === 0) return null;
  const rec: ReplanRecord = {
    replan_id: newId('rp'), tenant_id: series.tenant_id, patient_id: series.patient_id, series_id: series.series_id,
    care_plan_id: series.care_plan_id, trigger: 'time_zone', at: now, moved, dropped, adherence_alert: false,
  };
  ops.push(ctx.repo.replanOp(s, rec));
  return rec;
}

/** Dose slots from dose `index` (at `from`) on: the re-planned course's, else the moved plan's. */
function* slotsFrom(plan: SeriesPlan, replanned: Occurrence[] | null, index: number, from: number): Generator<Occurrence> {
  if (replanned) {
    for (const d of replanned) if (d.index >= index) yield d;
    return;
  }
  let k = index;
  for (const at of occurrences(plan, { from })) yield { index: k++, at };
}
