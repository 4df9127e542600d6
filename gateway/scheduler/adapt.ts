/**
 * Adaptive re-planning of a medication series after a missed (or late) dose, through core/schedule
 * `replanMissed` and its safety bounds (minimum interval, the plan's frequency, maxDosePerPeriod,
 * the tenant's course-extension limit). The series' scheduled reminder moves to the first
 * re-planned dose; later ones are materialised from `series.replanned` as the course goes on.
 * Doses dropped past the limit end the course early and raise `plan.adherence_alert` to the care
 * team (once per drop). Every change of the schedule is recorded in `replans` with its reasons.
 * Other plan items are not shifted (missed ones are not made up; the series goes on).
 */
import { newId } from '../../core/crypto.js';
import type { Dosage } from '../../core/clinical/fhir-dosage.js';
import {
  allInstants, frequencyCaps, maxDoseCap, minIntervalMs, openPattern, replanMissed, type DoseCap, type DoseOutcome, type SeriesPlan,
} from '../../core/schedule/index.js';
import type { WardEvent } from '../../core/contracts.js';
import type { RawOp } from '../store/group-commit.js';
import type { PatientScope } from '../store/reminders-repo.js';
import type { ReminderRecord, ReminderSeriesRecord, ReplanRecord } from '../store/reminders-records.js';
import type { ScheduleSettings } from './schedule-settings.js';
import type { SchedulerContext } from './scheduler-context.js';
import { advance, cancelReminder, reschedule } from './series-step.js';

/** Longest course re-planned dose by dose (a longer one keeps its schedule). */
const MAX_COURSE = 5000;

export type ReplanTrigger = ReplanRecord['trigger'];

/**
 * Re-plans `series` (mutated) at `now`, pushing its ops; `open` are its open reminders as they
 * will be after the caller's change. Returns the events to release after the commit.
 */
export async function adaptSeries(ctx: SchedulerContext, s: PatientScope, series: ReminderSeriesRecord, open: ReminderRecord[],
  settings: ScheduleSettings, now: number, trigger: ReplanTrigger, ops: RawOp[]): Promise<WardEvent[]> {
  const plan = series.plan as SeriesPlan | null;
  if (series.kind !== 'medication' || !plan || plan.end === null || series.status !== 'active') return [];
  const planned = allInstants(plan, MAX_COURSE);
  if (planned.length === 0 || planned.length >= MAX_COURSE) return [];
  const latest = new Map<number, DoseOutcome>();
  for (const o of series.outcomes) latest.set(o.index, o.at === undefined ? { index: o.index, state: o.state } : { index: o.index, state: o.state, at: o.at });
  for (const r of open) if (r.state === 'due' || r.state === 'nagged') latest.set(r.index, { index: r.index, state: 'due', at: r.due_at });
  const caps: DoseCap[] = [...frequencyCaps(plan)];
  const maxCap = maxDoseCap((series.dosage ?? undefined) as Dosage | undefined);
  if (maxCap) caps.push(maxCap);
  const r = replanMissed({
    medication: true, zone: series.zone, planned, pattern: openPattern(plan), outcomes: [...latest.values()], now,
    minIntervalMs: minIntervalMs(plan, settings.policy), caps, maxExtensionMs: settings.policy.maxCourseExtensionMinutes * 60_000,
  });

  // What the schedule was before: the previous re-plan, else the course as planned.
  const before = new Map<number, number>((series.replanned ?? planned.map((at, index) => ({ index, at }))).map((d) => [d.index, d.at]));
  const moved = r.doses.filter((d) => before.get(d.index) !== d.at)
    .map((d) => ({ index: d.index, from: before.get(d.index) ?? d.plannedAt, to: d.at, reasons: d.reasons as string[] }));
  const newlyDropped = r.dropped.filter((d) => d.reason === 'course_extension_limit' && !series.dropped.includes(d.index));
  series.replanned = r.doses.map((d) => ({ index: d.index, at: d.at }));

  const scheduled = open.find((x) => x.state === 'scheduled');
  const first = r.doses[0];
  if (scheduled) {
    if (!first) {
      cancelReminder(ctx.repo, s, scheduled, 'course_extension_limit', now, ops);
      series.open = series.open.filter((id) => id !== scheduled.reminder_id);
    } else if (first.index !== scheduled.index || first.at !== scheduled.due_at) {
      reschedule(ctx.repo, s, scheduled, { index: first.index, at: first.at }, now, ops);
    }
    if (first) { series.last_index = first.index; series.last_at = first.at; }
  } else if (first && series.open.length === 0) {
    series.last_at = Math.min(series.last_at ?? -Infinity, first.at - 1);
    advance(ctx.repo, s, series, now, ops);
  }
  if (!first && series.open.length === 0) series.status = 'ended';

  const events: WardEvent[] = [];
  if (moved.length > 0 || newlyDropped.length > 0) {
    const rec: ReplanRecord = {
      replan_id: newId('rp'), tenant_id: series.tenant_id, patient_id: series.patient_id, series_id: series.series_id,
      care_plan_id: series.care_plan_id, trigger, at: now, moved,
      dropped: newlyDropped.map((d) => ({ index: d.index, planned_at: d.plannedAt, reason: d.reason })), adherence_alert: newlyDropped.length > 0,
    };
    ops.push(ctx.repo.replanOp(s, rec));
  }
  if (newlyDropped.length > 0) {
    series.dropped = [...series.dropped, ...newlyDropped.map((d) => d.index)];
    const team = await ctx.careTeam(series.tenant_id, series.patient_id);
    const ev = ctx.events.stage(series.tenant_id, 'plan.adherence_alert', {
      patient_id: series.patient_id, care_plan_id: series.care_plan_id, series_id: series.series_id, activity_id: series.activity_id,
      dropped_doses: newlyDropped.length, reason: 'course_extension_limit',
    }, undefined, team);
    ops.push(ev.op);
    events.push(ev.event);
  }
  return events;
}

/** The series' open reminders (those it lists), read back. */
export async function openReminders(ctx: SchedulerContext, series: ReminderSeriesRecord): Promise<ReminderRecord[]> {
  const out: ReminderRecord[] = [];
  for (const id of series.open) {
    const r = await ctx.repo.getReminder(series.tenant_id, id);
    if (r && r.series_id === series.series_id) out.push(r);
  }
  return out;
}
