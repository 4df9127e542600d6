/**
 * Turns parsed phases into FHIR R4 `Dosage` entries and the flat fields of `SigResult`.
 */
import type { Dosage, Quantity, TimingRepeat } from '../../../core/clinical/fhir-dosage.js';
import { UCUM_SYSTEM, formatDose, type DoseUnit } from './dose-units.js';
import { formatNumber } from './numbers.js';
import { canonicalFrequency, timingCode } from './frequency-table.js';
import { routeConcept } from './routes.js';
import type { Phase, TimeUnit } from './parse-phase.js';
import type { SlotPattern } from './scan-slots.js';

const UNIT_NAMES: Record<TimeUnit, [string, string]> = {
  s: ['second', 'seconds'], min: ['minute', 'minutes'], h: ['hour', 'hours'], d: ['day', 'days'],
  wk: ['week', 'weeks'], mo: ['month', 'months'], a: ['year', 'years'],
};

function quantity(value: number, unit: DoseUnit | null): Quantity {
  const q: Quantity = { value: Math.round(value * 1000) / 1000 };
  if (unit) Object.assign(q, { unit: value === 1 ? unit.singular : unit.plural, system: UCUM_SYSTEM, code: unit.code });
  return q;
}

function timeQuantity(value: number, unit: TimeUnit): Quantity {
  return { value, unit: UNIT_NAMES[unit][value === 1 ? 0 : 1], system: UCUM_SYSTEM, code: unit };
}

/** Normalised dose string of a phase ("1 tablet", "1-2 puffs", "5 mL"), or null. */
export function doseString(p: Phase): string | null {
  if (!p.dose) return null;
  if (p.slots && p.slots.slots.some((s) => s.value !== p.slots!.slots[0]!.value)) {
    // Unequal slots ("2-0-1"): each slot's dose with its time, in order: "2 tablets morning, 1 tablet night".
    return p.slots.slots.map((s) => `${formatDose(formatNumber(s.value), null, p.dose!.unit, s.value > 1)} ${SLOT_WORDS[s.when] ?? s.when.toLowerCase()}`).join(', ');
  }
  const { low, high, unit } = p.dose;
  return formatDose(formatNumber(low), high === null ? null : formatNumber(high), unit, high !== null || low > 1);
}

const SLOT_WORDS: Record<string, string> = { MORN: 'morning', AFT: 'afternoon', EVE: 'evening', NIGHT: 'night' };

/**
 * Unequal slot doses ("2-0-1") as concurrent Dosage entries (one `sequence` shared by all, as FHIR
 * reads equal sequence numbers as concurrent): each has its own `when` and dose, once a day.
 */
export function perSlot(d: Dosage, slots: SlotPattern, sequence: number): Dosage[] {
  const repeat = d.timing?.repeat ?? {};
  const meal = (repeat.when ?? []).filter((w) => !SLOT_WORDS[w]);
  const unit = d.doseAndRate?.[0]?.doseQuantity;
  return slots.slots.map((s) => {
    const out: Dosage = { ...d, sequence };
    const r: TimingRepeat = { ...repeat, frequency: 1, period: 1, periodUnit: 'd', when: [s.when, ...meal] };
    out.timing = { repeat: r };
    const code = timingCode(canonicalFrequency(r));
    if (code) out.timing.code = code;
    const q: Quantity = { ...(unit ?? {}), value: s.value };
    if (unit?.unit && unit.code && /^\{/.test(unit.code)) {
      const single = unit.code.slice(1, -1);
      q.unit = s.value === 1 ? single : unit.unit.endsWith('s') ? unit.unit : `${single}s`;
    }
    out.doseAndRate = [{ doseQuantity: q }];
    return out;
  });
}

/** Normalised duration string ("7 days", "5-7 days", "3 doses", "until finished"), or null. */
export function durationString(p: Phase): string | null {
  if (p.bounds) {
    const { value, high, unit } = p.bounds;
    const v = high !== null ? `${formatNumber(value)}-${formatNumber(high)}` : formatNumber(value);
    return `${v} ${UNIT_NAMES[unit][high === null && value === 1 ? 0 : 1]}`;
  }
  if (p.count) return `${p.count.value} ${p.count.value === 1 ? 'dose' : 'doses'}`;
  if (p.untilFinished) return 'until finished';
  return null;
}

/** The canonical frequency string of a phase, or null. */
export function frequencyString(p: Phase): string | null {
  return canonicalFrequency(Object.keys(p.repeat).length > 0 ? p.repeat : undefined);
}

/** Builds the Dosage for one phase. `sequence` is set only for multi-phase instructions. */
export function buildDosage(p: Phase, text: string, sequence: number | null, asDirected: boolean): Dosage {
  const d: Dosage = {};
  if (sequence !== null) d.sequence = sequence;
  if (text !== '') d.text = text;
  const instructions: string[] = [];
  if (p.untilFinished) instructions.push('until finished');
  if (asDirected) instructions.push('as directed');
  if (instructions.length > 0) d.additionalInstruction = instructions.map((t) => ({ text: t }));
  const repeat: TimingRepeat = { ...p.repeat };
  if (p.bounds) {
    if (p.bounds.high !== null) {
      repeat.boundsRange = { low: timeQuantity(p.bounds.value, p.bounds.unit), high: timeQuantity(p.bounds.high, p.bounds.unit) };
    } else {
      repeat.boundsDuration = timeQuantity(p.bounds.value, p.bounds.unit);
    }
  }
  if (p.count) repeat.count = p.count.value;
  if (Object.keys(repeat).length > 0) {
    d.timing = { repeat };
    const code = timingCode(canonicalFrequency(p.repeat));
    if (code) d.timing.code = code;
  }
  if (p.asNeeded) {
    if (p.reason) d.asNeededCodeableConcept = { text: p.reason.text };
    else d.asNeededBoolean = true;
  }
  if (p.site) d.site = { text: p.site };
  // FHIR consumers need a route; the flat field keeps only a stated one, Dosage.route also the
  // one a unit implies (tablet → oral, puff → inhaled, patch → transdermal).
  const routeName = p.route?.name ?? p.dose?.unit?.impliedRoute ?? null;
  const route = routeName === null ? undefined : routeConcept(routeName);
  if (route) d.route = route;
  if (p.dose) {
    const { low, high, unit } = p.dose;
    d.doseAndRate = [high !== null
      ? { doseRange: { low: quantity(low, unit), high: quantity(high, unit) } }
      : { doseQuantity: quantity(low, unit) }];
  }
  if (p.maxDose) {
    const unit = p.maxDose.unit ?? p.dose?.unit ?? null;
    d.maxDosePerPeriod = { numerator: quantity(p.maxDose.value, unit), denominator: timeQuantity(p.maxDose.per, p.maxDose.perUnit) };
  }
  return d;
}
