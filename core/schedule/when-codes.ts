/**
 * FHIR EventTiming `when` codes → local times of day under a clock-time policy.
 *
 * Codes are read the way engine/clinical/sig writes them: a list names one dose per part of the
 * day, and a bare meal relation (AC, PC, C) refines each part ("morning and night after food" is
 * MORN, NIGHT, PC → after breakfast and after dinner); a bare relation alone means each of the
 * three meals. Meal codes follow the patient's meal times, WAKE/PHS/HS their sleep times.
 * `offset` (minutes) is before the event for AC* codes and after it for every other code (FHIR:
 * "if the event code does not indicate whether the minutes is before or after the event, then
 * the offset is assumed to be after the event"); C* codes take no offset (tim-9).
 */
import type { ClockPolicy } from './clock-policy.js';
import { DAY_PART_CODES } from './clock-policy.js';
import { parseClock } from './local-time.js';

type Meal = 'breakfast' | 'lunch' | 'dinner';
type Part = 'M' | 'D' | 'A' | 'V' | 'N';

const MEAL_OF: Record<string, Meal> = { M: 'breakfast', D: 'lunch', V: 'dinner' };
const PART_OF: Record<string, Part> = {
  MORN: 'M', 'MORN.early': 'M', 'MORN.late': 'M', WAKE: 'M', PHS: 'M', NOON: 'D',
  AFT: 'A', 'AFT.early': 'A', 'AFT.late': 'A', EVE: 'V', 'EVE.early': 'V', 'EVE.late': 'V', NIGHT: 'N', HS: 'N',
};
/** The meal a bare relation attaches to in each part of the day. */
const PART_MEAL: Record<Part, Meal> = { M: 'breakfast', D: 'lunch', A: 'lunch', V: 'dinner', N: 'dinner' };
const SLEEP_CODES = new Set(['WAKE', 'PHS', 'HS']);
const RELATIONS = new Set(['AC', 'PC', 'C']);
const MEAL_CODE = /^(AC|PC|C)([MDV])$/;

/** Whether `code` is an EventTiming code this module schedules. */
export function isKnownWhen(code: string): boolean {
  return RELATIONS.has(code) || MEAL_CODE.test(code) || code in PART_OF;
}

function mealTime(policy: ClockPolicy, relation: string, meal: Meal, offset: number | undefined): number {
  const at = parseClock(policy.meals[meal]);
  if (relation === 'AC') return at - 60 * (offset ?? policy.mealOffsetMinutes.before);
  if (relation === 'PC') return at + 60 * (offset ?? policy.mealOffsetMinutes.after);
  return at;
}

function eventTime(policy: ClockPolicy, code: string, offset: number | undefined): number {
  const base = code === 'HS' ? policy.sleep.bedtime
    : code === 'WAKE' || code === 'PHS' ? policy.sleep.wake
    : policy.dayParts[code as (typeof DAY_PART_CODES)[number]];
  return parseClock(base) + 60 * (offset ?? 0);
}

/**
 * Local times (seconds of day, ascending, distinct) for a `when` list; unknown codes are ignored
 * (the caller reports them). An empty result means the list named nothing schedulable.
 */
export function whenSeconds(policy: ClockPolicy, when: readonly string[], offset?: number): number[] {
  const out: number[] = [];
  const relation = when.find((w) => RELATIONS.has(w));
  const mealParts = new Set<Part>();
  for (const w of when) {
    const m = MEAL_CODE.exec(w);
    if (m) { out.push(mealTime(policy, m[1]!, MEAL_OF[m[2]!]!, m[1] === 'C' ? undefined : offset)); mealParts.add(m[2] as Part); }
  }
  const parts = new Map<Part, string>();
  for (const w of when) {
    const part = PART_OF[w];
    if (!part || mealParts.has(part)) continue;
    // One dose per part of the day; a sleep event is the more specific name ("night, at bedtime" → HS).
    const seen = parts.get(part);
    if (!seen || (SLEEP_CODES.has(w) && !SLEEP_CODES.has(seen))) parts.set(part, w);
  }
  for (const [part, code] of parts) {
    if (relation && !SLEEP_CODES.has(code)) out.push(mealTime(policy, relation, PART_MEAL[part], relation === 'C' ? undefined : offset));
    else out.push(eventTime(policy, code, offset));
  }
  if (out.length === 0 && relation) {
    for (const meal of ['breakfast', 'lunch', 'dinner'] as const) out.push(mealTime(policy, relation, meal, relation === 'C' ? undefined : offset));
  }
  return [...new Set(out.map((s) => ((s % 86_400) + 86_400) % 86_400))].sort((a, b) => a - b);
}
