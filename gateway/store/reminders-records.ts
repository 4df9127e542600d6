/**
 * Stored shapes of the scheduler (issue 8): reminder series (one per scheduled plan activity),
 * reminders (concrete occurrences, materialised lazily: the next one per series), the root due
 * index's pointer, and re-plan records. Series, reminders and re-plans are patient data (sealed
 * with the patient's key); a due entry holds ids only (system key). Keys never hold PHI.
 */
import { z } from 'zod';

export const SERIES_ID_RE = /^rs_[0-9A-HJKMNP-TV-Z]{26}$/;
export const REMINDER_ID_RE = /^rm_[0-9A-HJKMNP-TV-Z]{26}$/;

/** Reminder states: scheduled → due → (nagged) → taken | skipped | snoozed | missed | cancelled. */
export const REMINDER_STATES = ['scheduled', 'due', 'nagged', 'taken', 'skipped', 'snoozed', 'missed', 'cancelled'] as const;
export type ReminderState = (typeof REMINDER_STATES)[number];
/** States in which a reminder still waits for the patient (or for its time). */
export const OPEN_STATES: readonly ReminderState[] = ['scheduled', 'due', 'nagged', 'snoozed'];

const SeriesPlanSchema = z.object({
  kind: z.enum(['fixed', 'interval', 'frequency', 'once']),
  zone: z.string(),
  start: z.number(),
  end: z.number().nullable(),
  count: z.number().nullable(),
  intervalMs: z.number().nullable(),
  calendar: z.object({
    unit: z.enum(['d', 'wk', 'mo', 'a']), length: z.number(), anchorDay: z.number(), daysPerCycle: z.number(),
    weekdays: z.array(z.number()).nullable(), seconds: z.array(z.number()),
  }).nullable(),
  warnings: z.array(z.string()),
});

/** One outcome of a course dose (index into the course as first planned). */
const OutcomeSchema = z.object({ index: z.number().int(), state: z.enum(['taken', 'skipped', 'missed']), at: z.number().optional() });

export const ReminderSeriesRecordSchema = z.object({
  series_id: z.string(),
  tenant_id: z.string(),
  patient_id: z.string(),
  care_plan_id: z.string(),
  activity_id: z.string(),
  /** The activity's kind (medication, measurement …) and its title (PHI: sealed). */
  kind: z.string(),
  title: z.string(),
  /** Users whose apps get this series' reminders (the patient's account). */
  audience: z.array(z.string()),
  zone: z.string(),
  status: z.enum(['active', 'ended', 'cancelled', 'unscheduled']),
  /** Why no reminders (PRN, no timing …) when `unscheduled`. */
  reason: z.string().nullable(),
  /** The Timing and Dosage as given (re-planned from on preference changes). */
  timing: z.unknown().nullable(),
  dosage: z.unknown().nullable(),
  plan: SeriesPlanSchema.nullable(),
  /** Index and instant of the last occurrence materialised (−1 / null before the first). */
  last_index: z.number().int(),
  last_at: z.number().nullable(),
  /** After an adaptive re-plan: the remaining course doses as re-planned (index → instant). */
  replanned: z.array(z.object({ index: z.number().int(), at: z.number() })).nullable(),
  outcomes: z.array(OutcomeSchema),
  /** Reminders of this series not yet closed (ids), so a cancel finds them without a scan. */
  open: z.array(z.string()),
  /** Course doses dropped past the extension limit (indices), so an alert is raised once per drop. */
  dropped: z.array(z.number().int()),
  created_at: z.string(),
  updated_at: z.string(),
});
export type ReminderSeriesRecord = z.infer<typeof ReminderSeriesRecordSchema>;

export const ReminderRecordSchema = z.object({
  reminder_id: z.string(),
  tenant_id: z.string(),
  patient_id: z.string(),
  series_id: z.string(),
  care_plan_id: z.string(),
  activity_id: z.string(),
  /** Course dose index (position in the series as first planned). */
  index: z.number().int(),
  /** When it is (or was re-planned to be) due, epoch ms. */
  due_at: z.number(),
  state: z.enum(REMINDER_STATES),
  nags: z.number().int(),
  /** Deliveries so far (first + nags + after snoozes): the delivery id's sequence. */
  deliveries: z.number().int(),
  delivered_at: z.number().nullable(),
  late: z.boolean(),
  checked_in_at: z.number().nullable(),
  /** Why skipped / cancelled / missed (codes or the patient's words: sealed). */
  reason: z.string().nullable(),
  snoozed_until: z.number().nullable(),
  /** The due-index key that will next act on it (null when none). */
  due_key: z.string().nullable(),
  /** Its key in the per-patient index (moves when `due_at` moves). */
  patient_key: z.string(),
  audience: z.array(z.string()),
  medication: z.boolean(),
  updated_at: z.number(),
});
export type ReminderRecord = z.infer<typeof ReminderRecordSchema>;

/** What a due-index entry points at: deliver (first time or after a snooze), nag, or close as missed. */
export const DueEntrySchema = z.object({
  tenant_id: z.string(),
  reminder_id: z.string(),
  /** The reminder's series: the dispatcher takes the series lock before reading anything else. */
  series_id: z.string(),
  action: z.enum(['deliver', 'nag']),
});
export type DueEntry = z.infer<typeof DueEntrySchema>;

export const ReplanRecordSchema = z.object({
  replan_id: z.string(),
  tenant_id: z.string(),
  patient_id: z.string(),
  series_id: z.string(),
  care_plan_id: z.string(),
  /** What triggered it: a missed dose, a late check-in, new meal/sleep times, an activity change, a new time zone. */
  trigger: z.enum(['missed', 'taken_late', 'preferences', 'activity_change', 'time_zone']),
  at: z.number(),
  moved: z.array(z.object({ index: z.number().int(), from: z.number(), to: z.number(), reasons: z.array(z.string()) })),
  dropped: z.array(z.object({ index: z.number().int(), planned_at: z.number(), reason: z.string() })),
  adherence_alert: z.boolean(),
});
export type ReplanRecord = z.infer<typeof ReplanRecordSchema>;

/** A patient's own meal and sleep times (core/schedule PatientClockOverrides). */
export const SchedulePrefsSchema = z.object({
  meals: z.object({ breakfast: z.string().optional(), lunch: z.string().optional(), dinner: z.string().optional() }).optional(),
  sleep: z.object({ wake: z.string().optional(), bedtime: z.string().optional() }).optional(),
});
