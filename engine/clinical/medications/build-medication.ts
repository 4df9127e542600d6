/**
 * Assembles one `Medication` from a drug mention, its strength/form and the dose instruction
 * around it (after the name, and before it when written "Take 2 tablets of metformin …").
 */
import type { Medication, Span } from '../../../core/clinical/extraction.js';
import type { Dosage, Quantity } from '../../../core/clinical/fhir-dosage.js';
import { parseSig, type SigResult } from '../sig/parse-sig.js';
import { UCUM_SYSTEM } from '../sig/dose-units.js';
import type { Mention } from './find-medications.js';
import type { MedStatus } from './med-context.js';
import { blankSpans, dispenseRequest, type DispenseInfo } from '../sig/dispense.js';

export interface MedParts {
  text: string;
  mention: Mention;
  strength: { value: string; span: Span } | null;
  form: { value: string; span: Span; route: string | null } | null;
  /** The form to report when it differs from `form.value` ("extended-release tablet"). */
  formName?: string | null;
  /** Dispensing details read around the instruction (their spans are blanked out of the sig). */
  dispense?: DispenseInfo;
  sigStart: number;
  sigEnd: number;
  before: string;
  beforeStart: number;
  status: MedStatus | null;
}

/** Dose unit implied by the form when the sig gives a bare count ("1 bid" of a tablet). */
const FORM_UNIT: Record<string, [string, string]> = {
  tablet: ['tablet', 'tablets'], capsule: ['capsule', 'capsules'], inhaler: ['puff', 'puffs'], patch: ['patch', 'patches'],
  suppository: ['suppository', 'suppositories'], 'ophthalmic solution': ['drop', 'drops'], 'otic solution': ['drop', 'drops'],
  'nasal spray': ['spray', 'sprays'], 'sublingual tablet': ['tablet', 'tablets'], pessary: ['pessary', 'pessaries'],
  drops: ['drop', 'drops'], lozenge: ['lozenge', 'lozenges'],
};
// A route written right before the name ("started on IV ceftriaxone") is the drug's route too.
const PRE_SIG = /(?:^|[^a-z])(?:take|takes|give|use|apply|inhale|inject|instil|insert|chew)\s|\d\s?(?:tab|cap|puff|drop|spray|unit|ml|mg|mcg)/i;
// A route written right before the name ("started on IV ceftriaxone") is the drug's route; only that word joins the instruction.
const PRE_ROUTE = /(?<=^|[\s,(])(?:iv|i\.v\.|intravenous|oral|po|im|sc|subcut|subcutaneous|inhaled|nebuli[sz]ed|topical)\s*$/i;
const SLOT_DOSES = /^\d+(?:\.\d+)? (?:morning|afternoon|evening|night)(?:, \d+(?:\.\d+)? (?:morning|afternoon|evening|night))*$/;
const BARE = /^(\d+(?:\.\d+)?)(?:-(\d+(?:\.\d+)?))?$/;
const SIMPLE_STRENGTH = /^(\d+(?:\.\d+)?) (mg|mcg|g|units|IU|mL|mEq|mmol)$/;
const UCUM: Record<string, string> = { mg: 'mg', mcg: 'ug', g: 'g', units: '[iU]', IU: '[iU]', mL: 'mL', mEq: 'meq', mmol: 'mmol' };

/** Builds the Medication; spans in the result all index `parts.text`. */
export function buildMedication(p: MedParts): Medication {
  const { text, mention } = p;
  const { sig, map, sigText } = parseAround(p);
  const spans: Record<string, Span> = { name: { start: mention.start, end: mention.end } };
  if (p.strength) spans.strength = p.strength.span;
  if (p.form) spans.form = p.form.span;
  for (const [k, s] of Object.entries(sig.spans)) spans[k] = { start: map(s.start), end: map(s.end - 1) + 1 };
  let route = sig.route;
  if (!route && p.form?.route) { route = p.form.route; spans.route = p.form.span; }
  const dosage = sig.dosage;
  let dose = sig.dose;
  const bare = dose ? BARE.exec(dose) : null;
  const unit = p.form ? FORM_UNIT[p.form.value] : undefined;
  if (bare && unit) {
    const plural = bare[2] !== undefined || Number(bare[1]) > 1;
    dose = `${dose} ${plural ? unit[1] : unit[0]}`;
    for (const d of dosage) addUnit(d, unit);
  } else if (dose && unit && SLOT_DOSES.test(dose)) {
    // Unequal slot doses with no unit ("2 morning, 1 night") count units of the form.
    dose = dose.replace(/(\d+(?:\.\d+)?) (?=morning|afternoon|evening|night)/g, (_m, n: string) => `${n} ${Number(n) > 1 ? unit[1] : unit[0]} `);
    for (const d of dosage) addUnit(d, unit);
  }
  const strength = p.strength ? SIMPLE_STRENGTH.exec(p.strength.value) : null;
  if (dose === null && strength && (sig.frequency !== null || sig.duration !== null || sig.as_needed) && p.strength) {
    // "metformin 500 mg bid", "sumatriptan 50 mg at onset, may repeat if needed": with no separate dose, the strength is what is taken each time.
    dose = p.strength.value;
    spans.dose = p.strength.span;
    const q: Quantity = { value: Number(strength[1]), unit: strength[2]!, system: UCUM_SYSTEM, code: UCUM[strength[2]!]! };
    for (const d of dosage) if (!d.doseAndRate) d.doseAndRate = [{ doseQuantity: q }];
  }
  const ends = [mention.end, p.strength?.span.end ?? 0, p.form?.span.end ?? 0, ...Object.values(spans).map((s) => s.end)];
  const starts = [mention.start, ...Object.values(spans).map((s) => s.start)];
  const disp = p.dispense;
  // Blanked dispensing details leave runs of spaces in the verbatim instruction.
  if (disp && disp.spans.length > 0) for (const d of dosage) if (d.text) d.text = tidyBlanked(d.text);
  if (disp?.quantity) spans.dispense_quantity = disp.quantity.span;
  if (disp?.refills) spans.refills = disp.refills.span;
  if (disp?.supply) spans.supply_duration = disp.supply.span;
  const form = p.formName ?? p.form?.value ?? formFromDose(dose);
  // A bare "Disp #30" counts units of the dose form.
  const formUnit = form ? (/(tablet|capsule|patch|suppository|lozenge|pessary|inhaler)$/.exec(form)?.[1] ?? null) : null;
  const confidence = Math.round(100 * Math.min(0.99, (mention.fuzzy ? 0.75 : 0.9) + (sig.dosage.length > 0 || p.strength ? 0.05 : 0))) / 100;
  return {
    text: text.slice(mention.start, mention.end),
    name: mention.entry.name,
    rxcui: mention.entry.rxcui,
    strength: p.strength?.value ?? null,
    form,
    route,
    dose,
    frequency: sig.frequency,
    duration: sig.duration,
    as_needed: sig.as_needed,
    as_needed_reason: sig.as_needed_reason,
    status: p.status,
    sig: sigText === null ? null : disp && disp.spans.length > 0 ? tidyBlanked(sigText) : sigText,
    dosage,
    span: { start: Math.min(...starts), end: Math.max(...ends) },
    spans,
    mentions: [{ start: mention.start, end: mention.end }],
    dispense_quantity: disp?.quantity?.value ?? null,
    refills: disp?.refills?.value ?? null,
    dispense_request: disp ? dispenseRequest(disp, formUnit) : null,
    confidence,
  };
}

/** An instruction with dispensing details blanked out: runs of spaces and of separators become one. */
function tidyBlanked(s: string): string {
  return s.replace(/\s*([,;])(?:\s*[,;])+/g, '$1').replace(/ {2,}/g, ' ');
}

function formFromDose(dose: string | null): string | null {
  const m = dose ? /(tablet|capsule|puff|patch|suppository)s?$/.exec(dose) : null;
  if (!m) return null;
  return m[1] === 'puff' ? 'inhaler' : m[1]!;
}

function addUnit(d: Dosage, unit: [string, string]): void {
  const fix = (q: Quantity | undefined): void => {
    if (q && q.unit === undefined && q.value !== undefined) {
      Object.assign(q, { unit: q.value === 1 ? unit[0] : unit[1], system: UCUM_SYSTEM, code: `{${unit[0]}}` });
    }
  };
  for (const r of d.doseAndRate ?? []) { fix(r.doseQuantity); fix(r.doseRange?.low); fix(r.doseRange?.high); }
}

/**
 * Parses the instruction after the name, joined with the words before it when they look like part
 * of the instruction. `map` turns an offset in the parsed string back into an offset in the note.
 */
function parseAround(p: MedParts): { sig: SigResult; map: (i: number) => number; sigText: string | null } {
  const post = p.dispense && p.dispense.spans.length > 0
    ? blankSpans(p.text.slice(p.sigStart, p.sigEnd), p.sigStart, p.dispense.spans)
      .replace(/[\s,;#]+$/, (x) => ' '.repeat(x.length)).replace(/^[\s,;#]+/, (x) => ' '.repeat(x.length))
    : p.text.slice(p.sigStart, p.sigEnd);
  const route = PRE_SIG.test(p.before) ? null : PRE_ROUTE.exec(p.before);
  const usePre = route !== null || PRE_SIG.test(p.before);
  const preFrom = route ? route.index : 0;
  const pre = usePre ? p.before.slice(preFrom) : '';
  const joined = usePre ? `${pre} ${post}` : post;
  const sig = parseSig(joined);
  const map = (i: number): number => (i < pre.length ? p.beforeStart + preFrom + i : p.sigStart + i - (usePre ? pre.length + 1 : 0));
  const hasContent = sig.dose !== null || sig.frequency !== null || sig.duration !== null || sig.as_needed || sig.as_directed
    || sig.route !== null || sig.dosage.some((d) => d.maxDosePerPeriod !== undefined);
  if (!hasContent) return { sig: { ...sig, dosage: [] }, map, sigText: null };
  const trimmed = joined.trim().replace(/^[,;:()\-\s]+/, '').replace(/[,;\s]+$/, '').replace(/\s+(?:and|or|with|&)$/i, '');
  return { sig, map, sigText: trimmed === '' ? null : trimmed };
}
