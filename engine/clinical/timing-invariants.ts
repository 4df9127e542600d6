/**
 * FHIR R4 `Timing` invariants (https://hl7.org/fhir/R4/datatypes.html#Timing). R4 defines tim-1,
 * tim-2 and tim-4…tim-10 (tim-3 was withdrawn before R4):
 * - tim-1: if there's a duration, there needs to be duration units
 * - tim-2: if there's a period, there needs to be period units
 * - tim-4: duration SHALL be a non-negative value
 * - tim-5: period SHALL be a non-negative value
 * - tim-6: if there's a periodMax, there must be a period
 * - tim-7: if there's a durationMax, there must be a duration
 * - tim-8: if there's a countMax, there must be a count
 * - tim-9: if there's an offset, there must be a when (and not C, CM, CD, CV)
 * - tim-10: if there's a timeOfDay, there cannot be a when, or vice versa
 */
import type { Timing } from '../../core/clinical/fhir-dosage.js';

const MEAL_ONLY = new Set(['C', 'CM', 'CD', 'CV']);

/** Returns the ids of the invariants `t` violates, in id order; an empty list means valid. */
export function validateTiming(t: Timing): string[] {
  const r = t.repeat;
  if (!r) return [];
  const out: string[] = [];
  const has = (v: unknown): boolean => v !== undefined && v !== null && !(Array.isArray(v) && v.length === 0);
  if (has(r.duration) && !has(r.durationUnit)) out.push('tim-1');
  if (has(r.period) && !has(r.periodUnit)) out.push('tim-2');
  if (has(r.duration) && !(r.duration! >= 0)) out.push('tim-4');
  if (has(r.period) && !(r.period! >= 0)) out.push('tim-5');
  if (has(r.periodMax) && !has(r.period)) out.push('tim-6');
  if (has(r.durationMax) && !has(r.duration)) out.push('tim-7');
  if (has(r.countMax) && !has(r.count)) out.push('tim-8');
  if (has(r.offset) && (!has(r.when) || r.when!.some((w) => MEAL_ONLY.has(w)))) out.push('tim-9');
  if (has(r.timeOfDay) && has(r.when)) out.push('tim-10');
  return out;
}
