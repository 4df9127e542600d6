/**
 * Indian-style dose patterns "a-b-c" and "a-b-c-d": the doses taken in the morning, at noon (or
 * afternoon), (in the evening,) and at night, each slot with its own count ("1-0-1" = one in the
 * morning and one at night, "2-0-1", "½-0-½", "10-0-8 units"). Read before any other dose or
 * range scanner so "1-0-1" is never a dose range "1-0" or a date.
 *
 * Slots map to EventTiming: 3 slots → MORN, AFT, NIGHT; 4 slots → MORN, AFT, EVE, NIGHT. The
 * middle slot is AFT (not NOON) so a lone middle dose ("0-1-0") reads as once daily, while a lone
 * morning or night dose reads as QAM / QHS. "(AF)"/"(BF)" after the pattern (after / before food)
 * add PC / AC.
 */
import { parseNumber } from './numbers.js';
import { doseUnit, DOSE_UNIT_SRC, type DoseUnit } from './dose-units.js';
import type { Span } from '../../../core/clinical/extraction.js';
import type { Claims } from './parse-phase.js';

/** One non-zero slot: its EventTiming code and dose. */
export interface Slot { when: string; value: number }

export interface SlotPattern {
  slots: Slot[];
  unit: DoseUnit | null;
  span: Span;
  /** "AF"/"BF" written right after: PC / AC, and the span of pattern and abbreviation together. */
  meal: 'AC' | 'PC' | null;
  timingSpan: Span;
}

/** "1-0-1 AF", "1-0-0 BF": bare after/before-food abbreviations count only right after a pattern. */
const MEAL_AFTER = /^\s?\(?\s?([ab])\.?\s?f\.?\s?\)?(?![a-z0-9])/;

const SLOT = '(\\d{1,2}(?:\\.\\d{1,2})?|\\d?\\s?[½¼¾]|1/2|1/4|3/4)';
const SEP = '\\s?-\\s?';
/**
 * On lower-cased, length-preserving sig text (see normaliseSig). A full stop after the pattern
 * ends the sentence ("Tab Metformin 500 mg 1-0-1."); only a decimal ("1-0-1.5") or another
 * dash and digit continue it.
 */
const SLOTS = new RegExp(
  `(?<![a-z0-9./-])${SLOT}${SEP}${SLOT}${SEP}${SLOT}(?:${SEP}${SLOT})?(?![0-9/]|\\.\\d|\\s?-\\s?\\d)(?:\\s?(${DOSE_UNIT_SRC}))?`, 'g',
);
const WHEN3 = ['MORN', 'AFT', 'NIGHT'];
const WHEN4 = ['MORN', 'AFT', 'EVE', 'NIGHT'];

/** Cheap guard: a digit or fraction, a dash, anything, a dash. */
const MAYBE = /[\d½¼¾]\s?-\s?[\d½¼¾]/;

/**
 * Finds the first slot pattern of a phase and claims it. Returns null when there is none or when
 * it looks like a date ("12-05-21") rather than doses.
 */
export function scanSlots(c: Claims): SlotPattern | null {
  if (!MAYBE.test(c.text)) return null;
  let found: SlotPattern | null = null;
  c.each(SLOTS, (m, span) => {
    if (found) return false;
    const raw = [m[1]!, m[2]!, m[3]!, m[4]].filter((x): x is string => x !== undefined);
    const values = raw.map((r) => parseNumber(r.replace(/\s/g, '')));
    if (values.some((v) => v === null || v < 0)) return false;
    const nums = values as number[];
    if (nums.every((v) => v === 0)) return false;
    const unit = m[5] ? doseUnit(m[5]) : null;
    if (looksLikeDate(raw, nums, unit)) return false;
    const codes = raw.length === 3 ? WHEN3 : WHEN4;
    const slots = nums.flatMap((value, i) => (value > 0 ? [{ when: codes[i]!, value }] : []));
    const local = m.index + m[0].length;
    const meal = MEAL_AFTER.exec(c.text.slice(local, local + 10));
    const mealFree = meal !== null && c.free(local, local + meal[0].length);
    if (mealFree) c.claim(local, local + meal[0].length);
    const timingSpan = mealFree ? { start: span.start, end: c.offset + local + meal[0].length } : { ...span };
    found = { slots, unit, span, meal: mealFree ? (meal[1] === 'a' ? 'PC' : 'AC') : null, timingSpan };
    return true;
  });
  return found;
}

/**
 * Dates and ranges written with dashes: a two-digit slot with a leading zero ("05"), or every slot
 * non-zero with one above 4 and no dose unit ("12-5-21") is not a dose pattern.
 */
function looksLikeDate(raw: string[], nums: number[], unit: DoseUnit | null): boolean {
  if (raw.some((r) => /^0\d/.test(r))) return true;
  if (unit) return false;
  return nums.every((v) => v > 0) && nums.some((v) => v > 4);
}

/** Whether all non-zero slots take the same dose (then one Dosage with several `when` codes). */
export function equalSlots(p: SlotPattern): boolean {
  return p.slots.every((s) => s.value === p.slots[0]!.value);
}
