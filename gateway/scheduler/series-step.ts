/**
 * One step of a series: which occurrence comes next (lazily, from the compiled plan or, after an
 * adaptive re-plan, from the re-planned course), and the reminder that materialises it. Only the
 * next occurrence of a series exists as a reminder, so 100,000 active series cost 100,000 small
 * records and index entries, not their whole courses.
 */
import { newId } from '../../core/crypto.js';
import { occurrences, type SeriesPlan } from '../../core/schedule/index.js';
import type { RawOp } from '../store/group-commit.js';
import type { PatientScope, RemindersRepo } from '../store/reminders-repo.js';
import type { ReminderRecord, ReminderSeriesRecord } from '../store/reminders-records.js';

export interface Occurrence { index: number; at: number }

/** The first occurrence after the last materialised one, or null when the series is over. */
export function nextOccurrence(series: ReminderSeriesRecord): Occurrence | null {
  const after = series.last_at ?? -Infinity;
  if (series.replanned) {
    const d = series.replanned.find((x) => x.at > after);
    return d ? { index: d.index, at: d.at } : null;
  }
  if (!series.plan) return null;
  const it = occurrences(series.plan as SeriesPlan, series.last_at === null ? {} : { from: series.last_at + 1 });
  const r = it.next();
  return r.done ? null : { index: series.last_index + 1, at: r.value };
}

/** A scheduled reminder for `occ` of `series`, with its due entry and index ops. */
export function materialise(repo: RemindersRepo, s: PatientScope, series: ReminderSeriesRecord, occ: Occurrence, now: number): { reminder: ReminderRecord; ops: RawOp[] } {
  const id = newId('rm');
  const due = repo.dueOp(occ.at, { tenant_id: series.tenant_id, reminder_id: id, series_id: series.series_id, action: 'deliver' });
  const reminder: ReminderRecord = {
    reminder_id: id, tenant_id: series.tenant_id, patient_id: series.patient_id, series_id: series.series_id,
    care_plan_id: series.care_plan_id, activity_id: series.activity_id, index: occ.index, due_at: occ.at,
    state: 'scheduled', nags: 0, deliveries: 0, delivered_at: null, late: false, checked_in_at: null, reason: null,
    snoozed_until: null, due_key: due.key, patient_key: repo.patientKey(series.patient_id, occ.at, id),
    audience: series.audience, medication: series.kind === 'medication', updated_at: now,
  };
  series.last_index = occ.index;
  series.last_at = occ.at;
  series.open = [...series.open, id];
  return { reminder, ops: [...repo.reminderOps(s, reminder, null), due.op] };
}

/**
 * Materialises the series' next occurrence into `ops` (mutating `series`), or marks the series
 * ended when there is none and nothing is open. Returns the new reminder, if any.
 */
export function advance(repo: RemindersRepo, s: PatientScope, series: ReminderSeriesRecord, now: number, ops: RawOp[]): ReminderRecord | null {
  const occ = nextOccurrence(series);
  if (occ === null) {
    if (series.open.length === 0 && series.status === 'active') series.status = 'ended';
    return null;
  }
  const m = materialise(repo, s, series, occ, now);
  ops.push(...m.ops);
  return m.reminder;
}

/** Moves a scheduled reminder to a new instant/index: its due entry and patient index follow. */
export function reschedule(repo: RemindersRepo, s: PatientScope, rem: ReminderRecord, occ: Occurrence, now: number, ops: RawOp[]): ReminderRecord {
  const previousKey = rem.patient_key;
  if (rem.due_key) ops.push(repo.delDueOp(rem.due_key));
  const due = repo.dueOp(occ.at, { tenant_id: rem.tenant_id, reminder_id: rem.reminder_id, series_id: rem.series_id, action: 'deliver' });
  const next: ReminderRecord = { ...rem, index: occ.index, due_at: occ.at, due_key: due.key,
    patient_key: repo.patientKey(rem.patient_id, occ.at, rem.reminder_id), updated_at: now };
  ops.push(...repo.reminderOps(s, next, previousKey), due.op);
  return next;
}

/** Closes an open reminder as cancelled (its due entry removed). */
export function cancelReminder(repo: RemindersRepo, s: PatientScope, rem: ReminderRecord, reason: string, now: number, ops: RawOp[]): void {
  if (rem.due_key) ops.push(repo.delDueOp(rem.due_key));
  ops.push(...repo.reminderOps(s, { ...rem, state: 'cancelled', reason, due_key: null, updated_at: now }, rem.patient_key));
}
