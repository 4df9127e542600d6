/**
 * A tenant's clock-time policy: which local times "BID", "before breakfast" or "at bedtime" mean,
 * the minimum interval between doses per frequency, and how far a re-plan may push a course's
 * end. Patients may shift their own meal and sleep times (`withPatientOverrides`). Everything is
 * validated with zod; times are local "HH:mm" in the patient's zone.
 */
import { z } from 'zod';
import { WardClerkError } from '../errors.js';
import { parseClock } from './local-time.js';

export const ClockTimeSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'expected HH:mm (24 h)');

const MealsSchema = z.object({ breakfast: ClockTimeSchema, lunch: ClockTimeSchema, dinner: ClockTimeSchema }).strict();
const SleepSchema = z.object({ wake: ClockTimeSchema, bedtime: ClockTimeSchema }).strict();
const FrequencyKey = z.string().regex(/^([1-9]|1\d|2[0-4])$/, 'times per day, 1-24');

/** FHIR EventTiming day parts with a fixed tenant time (meal and sleep codes follow `meals`/`sleep`). */
export const DAY_PART_CODES = ['MORN', 'MORN.early', 'MORN.late', 'NOON', 'AFT', 'AFT.early', 'AFT.late',
  'EVE', 'EVE.early', 'EVE.late', 'NIGHT'] as const;

export const ClockPolicySchema = z.object({
  /** Local times for N doses a day, keyed by N ("1" = daily). N without an entry: spread wake→bedtime. */
  frequencyTimes: z.record(FrequencyKey, z.array(ClockTimeSchema).min(1)),
  meals: MealsSchema,
  sleep: SleepSchema,
  dayParts: z.object(Object.fromEntries(DAY_PART_CODES.map((c) => [c, ClockTimeSchema])) as Record<(typeof DAY_PART_CODES)[number], typeof ClockTimeSchema>).strict(),
  /** Minutes before / after a meal for AC* / PC* codes that carry no `offset`. */
  mealOffsetMinutes: z.object({ before: z.number().int().min(0).max(240), after: z.number().int().min(0).max(240) }).strict(),
  /** Minimum minutes between two doses, keyed by doses per day; other schedules use half their nominal spacing. */
  minIntervalMinutes: z.record(FrequencyKey, z.number().int().min(1).max(7 * 24 * 60)),
  /** How far (minutes) a re-plan may move a medication course's last dose past its planned end. */
  maxCourseExtensionMinutes: z.number().int().min(0).max(30 * 24 * 60),
}).strict().superRefine((p, ctx) => {
  for (const [k, times] of Object.entries(p.frequencyTimes)) {
    if (times.length !== Number(k) || new Set(times).size !== times.length) {
      ctx.addIssue({ code: 'custom', path: ['frequencyTimes', k], message: `needs exactly ${k} distinct times` });
    }
  }
});

export type ClockPolicy = z.infer<typeof ClockPolicySchema>;

/** The defaults of issue 8 (daily 09:00, BID 09:00/21:00, breakfast 08:00 …). */
export const DEFAULT_CLOCK_POLICY: ClockPolicy = Object.freeze({
  frequencyTimes: { 1: ['09:00'], 2: ['09:00', '21:00'], 3: ['08:00', '14:00', '20:00'], 4: ['08:00', '12:00', '16:00', '20:00'] },
  meals: { breakfast: '08:00', lunch: '12:30', dinner: '18:30' },
  sleep: { wake: '07:00', bedtime: '22:00' },
  dayParts: {
    MORN: '08:00', 'MORN.early': '06:00', 'MORN.late': '10:00', NOON: '12:00', AFT: '15:00', 'AFT.early': '13:00',
    'AFT.late': '16:00', EVE: '18:00', 'EVE.early': '17:00', 'EVE.late': '20:00', NIGHT: '21:00',
  },
  mealOffsetMinutes: { before: 30, after: 30 },
  // Daily ≥ 12 h, BID ≥ 8 h, TID ≥ 4 h, QID ≥ 3 h: a late dose may be taken, never close to the next.
  minIntervalMinutes: { 1: 720, 2: 480, 3: 240, 4: 180 },
  maxCourseExtensionMinutes: 48 * 60,
}) as ClockPolicy;

/** A patient's own meal and sleep times; each field optional. */
export const PatientClockOverridesSchema = z.object({
  meals: MealsSchema.partial().optional(),
  sleep: SleepSchema.partial().optional(),
}).strict();
export type PatientClockOverrides = z.infer<typeof PatientClockOverridesSchema>;

function validationError(what: string, error: z.ZodError): WardClerkError {
  // Paths and messages only: a policy holds no PHI, but values are not echoed anyway.
  return new WardClerkError('VALIDATION_FAILED', `invalid ${what}`, {
    details: { issues: error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) },
  });
}

/**
 * Parses a tenant policy given as a partial object over the defaults (top-level sections replace
 * the default section wholesale, except `frequencyTimes`/`minIntervalMinutes`, merged by key).
 * Throws `VALIDATION_FAILED` with the offending paths.
 */
export function parseClockPolicy(input: unknown): ClockPolicy {
  const base = DEFAULT_CLOCK_POLICY;
  const o = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const merged = {
    ...base,
    ...o,
    frequencyTimes: { ...base.frequencyTimes, ...(o.frequencyTimes as object | undefined) },
    minIntervalMinutes: { ...base.minIntervalMinutes, ...(o.minIntervalMinutes as object | undefined) },
  };
  const r = ClockPolicySchema.safeParse(input === undefined ? base : merged);
  if (!r.success) throw validationError('clock policy', r.error);
  return r.data;
}

/** The policy with a patient's meal and sleep times applied. Throws `VALIDATION_FAILED`. */
export function withPatientOverrides(policy: ClockPolicy, overrides: unknown): ClockPolicy {
  const r = PatientClockOverridesSchema.safeParse(overrides ?? {});
  if (!r.success) throw validationError('patient clock times', r.error);
  return {
    ...policy,
    meals: { ...policy.meals, ...r.data.meals },
    sleep: { ...policy.sleep, ...r.data.sleep },
  };
}

/**
 * Local times (seconds of day, ascending) for `n` doses a day: the policy's entry for n, else n
 * times spread evenly from wake to bedtime (both included; one dose → the daily time).
 */
export function frequencySeconds(policy: ClockPolicy, n: number): number[] {
  const listed = policy.frequencyTimes[String(n)];
  if (listed) return listed.map(parseClock).sort((a, b) => a - b);
  const wake = parseClock(policy.sleep.wake);
  let bed = parseClock(policy.sleep.bedtime);
  if (bed <= wake) bed += 24 * 3600;
  const out: number[] = [];
  // Whole minutes, so the schedule reads as clock times.
  for (let k = 0; k < n; k++) out.push((Math.round((wake + (k * (bed - wake)) / Math.max(n - 1, 1)) / 60) * 60) % 86_400);
  return [...new Set(out)].sort((a, b) => a - b);
}

/** The table's minimum interval (ms) for `n` doses a day, or null when the table has no entry. */
export function tableMinIntervalMs(policy: ClockPolicy, n: number): number | null {
  const m = policy.minIntervalMinutes[String(n)];
  return m === undefined ? null : m * 60_000;
}
