/**
 * Dispense quantity, refills and days' supply written with a prescription ("Disp #20", "Qty: 30",
 * "#30", "Supply: 28 tablets", "Refills: 2", "RF x2", "no refills", "30 day supply"). These belong
 * to FHIR `MedicationRequest.dispenseRequest`, not to the dose instruction: the finder reads them
 * here and blanks their spans out of the text the sig grammar sees.
 */
import type { DispenseRequest, Span } from '../../../core/clinical/extraction.js';
import type { Quantity } from '../../../core/clinical/fhir-dosage.js';
import { UCUM_SYSTEM } from './dose-units.js';
import { parseNumber } from './numbers.js';

export interface DispenseInfo {
  quantity: { value: number; unit: string | null; span: Span } | null;
  refills: { value: number; span: Span } | null;
  supply: { value: number; unit: 'd' | 'wk' | 'mo'; span: Span } | null;
  /** Every span read, in text order, to blank out of the sig. */
  spans: Span[];
}

const UNIT_WORD = '(tablets?|tabs?|capsules?|caps?|ml|mls|inhalers?|tubes?|bottles?|patch(?:es)?|pens?|vials?|boxes|box|packs?|units?|grams?|g|sachets?|suppositories|pessaries|strips?|days?|weeks?|months?)';
const COUNT_WORD = '(\\d{1,2}|none|nil|zero|no|one|two|three|four|five|six|eleven|twelve)';
/** Labelled quantity: "Disp: #30 (thirty) tablets", "Qty 90", "Supply: 28 days", "Dispense 1 inhaler". */
const LABELLED = new RegExp(`(?<![A-Za-z0-9])(?:dispense quantity|dispensed?|disp|qty|quantity|supply|amount)\\.?\\s*(?:[:=-]\\s*)?(?:#\\s*)?(\\d{1,4}(?:\\.\\d+)?)(?![\\d/.-])(?:\\s*\\([a-z -]{2,30}\\))?(?:\\s*${UNIT_WORD}(?![a-z]))?`, 'gi');
/** A bare "#30" (not a drug's own number, which the name already covers). */
const HASH = new RegExp(`(?<![A-Za-z0-9#])#\\s?(\\d{1,4})(?![\\d/.])(?:\\s*\\([a-z -]{2,30}\\))?(?:\\s*${UNIT_WORD}(?![a-z]))?`, 'gi');
// "repeats" only as a label or count ("Repeats: 2", "2 repeats"): "may repeat x1" is a dose instruction.
const REFILLS = new RegExp(`(?<![A-Za-z0-9#])(?:${COUNT_WORD}\\s*(?:refills?|rfs?|repeats)(?![a-z])|(?:refills?|rfs?|repeats(?=\\s*:))\\s*(?:[:=]\\s*|x\\s?|×\\s?|\\s|(?=\\d))${COUNT_WORD}(?![a-z0-9]))`, 'gi');
const SUPPLY_DAYS = /(?<![A-Za-z0-9])(?:(\d{1,3})[- ]?(day|week|month)s?'?\s*supply|days?'? supply\s*[:=]?\s*(\d{1,3}))(?![a-z0-9])/gi;
/** Cheap guard before any regex runs. */
const MAYBE = /disp|qty|quantit|suppl|amount|#|refill|rf|repeat/i;

/** Reads dispense details in `text` between `from` and `to`; spans index `text`. */
export function scanDispense(text: string, from: number, to: number): DispenseInfo {
  const out: DispenseInfo = { quantity: null, refills: null, supply: null, spans: [] };
  const seg = text.slice(from, to);
  if (!MAYBE.test(seg)) return out;
  const taken: Span[] = [];
  const free = (s: number, e: number): boolean => taken.every((t) => e <= t.start || s >= t.end);
  const each = (re: RegExp, fn: (m: RegExpExecArray, span: Span) => boolean): void => {
    re.lastIndex = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(seg)) !== null) {
      const span = { start: from + m.index, end: from + m.index + m[0].trimEnd().length };
      if (free(span.start, span.end) && fn(m, span)) taken.push(span);
    }
  };
  each(SUPPLY_DAYS, (m, span) => {
    if (out.supply) return false;
    const value = Number(m[1] ?? m[3]);
    const unit = m[2] ? (m[2].toLowerCase().startsWith('w') ? 'wk' : m[2].toLowerCase().startsWith('m') ? 'mo' : 'd') : 'd';
    if (!(value > 0)) return false;
    out.supply = { value, unit, span };
    return true;
  });
  const quantity = (m: RegExpExecArray, span: Span): boolean => {
    const value = Number(m[1]);
    const unit = m[2]?.toLowerCase() ?? null;
    if (!(value > 0)) return false;
    if (unit && /^(day|week|month)/.test(unit)) {
      if (out.supply) return false;
      out.supply = { value, unit: unit.startsWith('w') ? 'wk' : unit.startsWith('m') ? 'mo' : 'd', span };
      return true;
    }
    if (out.quantity) return false;
    out.quantity = { value, unit: unit ? unitName(unit) : null, span };
    return true;
  };
  each(LABELLED, quantity);
  each(HASH, quantity);
  each(REFILLS, (m, span) => {
    if (out.refills) return false;
    const raw = (m[1] ?? m[2]!).toLowerCase();
    const value = /^(none|nil|zero|no)$/.test(raw) ? 0 : parseNumber(raw);
    if (value === null || !Number.isInteger(value) || value < 0 || value > 99) return false;
    out.refills = { value, span };
    return true;
  });
  out.spans = taken.sort((a, b) => a.start - b.start);
  return out;
}

const UNIT_NAMES: Array<[RegExp, string]> = [
  [/^tab/, 'tablet'], [/^cap/, 'capsule'], [/^ml/, 'mL'], [/^inhaler/, 'inhaler'], [/^tube/, 'tube'], [/^bottle/, 'bottle'],
  [/^patch/, 'patch'], [/^pen/, 'pen'], [/^vial/, 'vial'], [/^box/, 'box'], [/^pack/, 'pack'], [/^unit/, 'unit'],
  [/^g(?:ram)?s?$/, 'g'], [/^sachet/, 'sachet'], [/^supp/, 'suppository'], [/^pess/, 'pessary'], [/^strip/, 'strip'],
];

function unitName(raw: string): string {
  return UNIT_NAMES.find(([re]) => re.test(raw))?.[1] ?? raw;
}

const PLURAL: Record<string, string> = { box: 'boxes', patch: 'patches', suppository: 'suppositories', pessary: 'pessaries' };

/**
 * The FHIR `dispenseRequest` for what was read, or null when nothing was; `formUnit` ("tablet")
 * names the unit of a bare quantity.
 */
export function dispenseRequest(d: DispenseInfo, formUnit: string | null): DispenseRequest | null {
  if (!d.quantity && !d.refills && !d.supply) return null;
  const out: DispenseRequest = {};
  if (d.quantity) {
    const unit = d.quantity.unit ?? formUnit;
    const q: Quantity = { value: d.quantity.value };
    if (unit === 'mL' || unit === 'g') Object.assign(q, { unit, system: UCUM_SYSTEM, code: unit });
    else if (unit === 'unit') Object.assign(q, { unit: d.quantity.value === 1 ? 'unit' : 'units', system: UCUM_SYSTEM, code: '[iU]' });
    else if (unit) Object.assign(q, { unit: d.quantity.value === 1 ? unit : (PLURAL[unit] ?? `${unit}s`), system: UCUM_SYSTEM, code: `{${unit}}` });
    out.quantity = q;
  }
  if (d.refills) out.numberOfRepeatsAllowed = d.refills.value;
  if (d.supply) {
    const names = { d: ['day', 'days'], wk: ['week', 'weeks'], mo: ['month', 'months'] }[d.supply.unit];
    out.expectedSupplyDuration = { value: d.supply.value, unit: names[d.supply.value === 1 ? 0 : 1], system: UCUM_SYSTEM, code: d.supply.unit };
  }
  return out;
}

/** `text` with each span replaced by spaces (same length, so offsets stay). */
export function blankSpans(text: string, offset: number, spans: Span[]): string {
  let out = text;
  for (const s of spans) {
    const a = Math.max(0, s.start - offset);
    const b = Math.min(out.length, s.end - offset);
    if (b > a) out = out.slice(0, a) + ' '.repeat(b - a) + out.slice(b);
  }
  return out;
}
