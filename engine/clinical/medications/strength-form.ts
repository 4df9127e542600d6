/**
 * Strength ("500 mg", "0.5%", "5 mg/5 mL", "10-325 mg", "100 units/mL") and dose form ("tablet",
 * "ER tablet", "inhaler", "eye drops") written right after a drug name.
 */
import type { Span } from '../../../core/clinical/extraction.js';

export interface Parsed { value: string; span: Span; end: number }

const UNIT = '(?:mg|mgs|milligrams?|mcg|micrograms?|µg|ug|g|gm|gram|grams|ml|mL|l|units?|iu|IU|u|U|meq|mEq|mmol|%)';
const STRENGTH = new RegExp(
  `^[\\s:,()|\\-]*(?:to\\s)?((\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?|\\d+(?:\\.\\d+)?|\\.\\d+)(?:\\s?[-/]\\s?(\\d+(?:\\.\\d+)?))*\\s?(${UNIT})(?:\\s?/\\s?(\\d+(?:\\.\\d+)?)?\\s?(ml|mL|l|L|act(?:uation)?|dose|spray|puff|hr|h|24\\s?h(?:r|ours)?|tab|g|kg))?)(?![A-Za-z0-9])`,
);

const UNIT_NORMAL: Record<string, string> = { mgs: 'mg', milligram: 'mg', milligrams: 'mg', microgram: 'mcg', micrograms: 'mcg', mcg: 'mcg', 'µg': 'mcg', ug: 'mcg', g: 'g', gm: 'g', gram: 'g', grams: 'g',
  ml: 'mL', l: 'L', unit: 'units', units: 'units', iu: 'units', u: 'units', meq: 'mEq', mmol: 'mmol', mg: 'mg', '%': '%' };
const PER_NORMAL: Record<string, string> = { ml: 'mL', l: 'L', act: 'actuation', actuation: 'actuation', dose: 'dose',
  spray: 'spray', puff: 'puff', hr: 'hr', h: 'hr', tab: 'tablet', g: 'g', kg: 'kg' };

/**
 * OCR reads of digits inside numbers, length-preserving so spans stay valid: a letter O/o or l/I
 * right after a digit and before another digit or a unit ("1O mg", "2l0 mg") is the digit 0/1.
 */
export function repairOcrDigits(s: string): string {
  if (!/\d[OoIl]/.test(s)) return s;
  return s.replace(/(?<=\d)[OoIl]+(?=\d|\.\d|\s?(?:mg|mcg|ml|mL|g|units?|%)(?![A-Za-z]))/g, (x) => x.replace(/[Oo]/g, '0').replace(/[Il]/g, '1'));
}

/** Parses a strength at `from` in `text` (leading spaces, colon, comma or "(" allowed). */
export function parseStrength(text: string, from: number): Parsed | null {
  const m = STRENGTH.exec(repairOcrDigits(text.slice(from, from + 60)));
  if (!m) return null;
  const written = m[1]!;
  // "60,000 IU": thousands separators go before the numbers are read (the span keeps the written text).
  const raw = written.replace(/(\d),(?=\d{3}(?!\d))/g, '$1');
  // "IU" stays as written (vitamin D 60,000 IU is a product strength); "units" and "U" are units.
  const unit = m[4]!.toLowerCase() === 'iu' ? 'IU' : UNIT_NORMAL[m[4]!.toLowerCase()] ?? m[4]!;
  const nums = raw.slice(0, raw.length).match(/\d+(?:\.\d+)?|\.\d+/g)!;
  const firstNums = raw.split(new RegExp(`\\s?${UNIT}`))[0]!.match(/\d+(?:\.\d+)?|\.\d+/g) ?? [nums[0]!];
  let value = firstNums.map((n) => String(Number(n))).join('-');
  value = unit === '%' ? `${value}%` : `${value} ${unit}`;
  if (m[6]) {
    const perRaw = m[6].toLowerCase().replace(/\s/g, '');
    const per = perRaw.startsWith('24') ? '24 hr' : (PER_NORMAL[perRaw] ?? perRaw);
    value += m[5] ? `/${Number(m[5])} ${per}` : `/${per}`;
  }
  const start = from + m.index + m[0].indexOf(written);
  return { value, span: { start, end: start + written.length }, end: start + written.length };
}

/** Written forms → canonical form; route the form itself names (null when it names none). */
const FORMS: Array<[RegExp, string, string | null]> = [
  [/^(?:ophthalmic|eye)\s(?:drops?|solution|soln|suspension|ointment|gel)|^ophthalmic(?=\s|$)/i, 'ophthalmic solution', 'ophthalmic'],
  [/^(?:otic|ear)\s(?:drops?|solution|suspension)|^otic(?=\s|$)/i, 'otic solution', 'otic'],
  [/^nasal\s(?:spray|drops?|solution)/i, 'nasal spray', 'nasal'],
  [/^(?:metered[- ]dose\s)?inhaler|^mdi|^hfa(?:\s(?:inhaler|aerosol))?|^inhalation\s(?:powder|aerosol|solution)|^diskus|^ellipta|^respimat|^handihaler|^turbuhaler|^evohaler|^accuhaler|^nebuli[sz]er\ssolution|^neb\ssolution/i, 'inhaler', 'inhaled'],
  [/^transdermal\spatch|^patch(?:es)?/i, 'patch', 'transdermal'],
  [/^(?:rectal\s)?suppositor(?:y|ies)|^supp(?![a-z])/i, 'suppository', 'rectal'],
  [/^(?:vaginal\s)?(?:pessary|pessaries)/i, 'pessary', 'vaginal'],
  [/^(?:vaginal\s)cream/i, 'vaginal cream', 'vaginal'],
  // Topical forms keep their own name (as RxNorm's "Topical Cream"/"Topical Ointment" do); "topical" is the route.
  [/^(?:topical\s)?(cream|ointment|oint|gel|lotion|foam)/i, '$1', 'topical'],
  [/^sublingual\s(?:tablet|tab|spray|film)s?|^sl\s(?:tab|tablet)s?/i, 'sublingual tablet', 'sublingual'],
  [/^(?:(?:er|xr|xl|sr|cr|la|dr|ec|ir|mr|odt|chewable|extended[- ]release|delayed[- ]release|sustained[- ]release|enteric[- ]coated|modified[- ]release|dispersible|film[- ]coated)\s)?(?:tablets?|tabs?|caplets?)(?:\s(?:er|xr|xl|sr|cr|dr|ec))?/i, 'tablet', null],
  [/^(?:(?:er|xr|xl|sr|cr|dr|ec|extended[- ]release|delayed[- ]release)\s)?(?:capsules?|caps?)(?![a-z])/i, 'capsule', null],
  // Oral liquids keep the written kind (RxNorm "Oral Suspension", "Oral Solution"); "liquid" alone stays generic.
  [/^(?:oral\s)?(suspension|susp|solution|soln|syrup|elixir|liquid)/i, '$1', null],
  [/^(?:injection|inj|injectable|vial|pen|prefilled\spen|flexpen|kwikpen|solostar|syringe|auto-?injector)/i, 'injection', null],
  [/^(?:powder|sachet|granules)/i, 'powder', null],
  [/^(?:spray)/i, 'spray', null],
  [/^(?:drops?)/i, 'drops', null],
  [/^(?:lozenge|troche)s?/i, 'lozenge', 'oral'],
];

/** Canonical names of forms captured by a `$1` entry above. */
const CAPTURED_FORM: Record<string, string> = { cream: 'cream', ointment: 'ointment', oint: 'ointment', gel: 'gel', lotion: 'lotion', foam: 'foam',
  suspension: 'suspension', susp: 'suspension', solution: 'solution', soln: 'solution', syrup: 'syrup', elixir: 'elixir', liquid: 'oral liquid' };

const DEVICE_FORMS = new Set(['inhaler', 'nasal spray', 'patch', 'cream', 'ointment', 'gel', 'lotion', 'foam', 'ophthalmic solution', 'otic solution']);

/** Parses a dose form at `from` (after optional spaces/commas). Returns the form and the route it names. */
export function parseForm(text: string, from: number): (Parsed & { route: string | null }) | null {
  // A bare product number before a device form ("Seretide 250 evohaler") is skipped; before a
  // countable form ("1 tab") it is a dose and stays for the sig grammar.
  const leadMatch = /^[\s,|]*(\d+(?:\.\d+)?(?:\/\d+(?:\.\d+)?)?\s+(?=[a-z]))?/i.exec(text.slice(from, from + 20))!;
  const lead = leadMatch[0].length;
  const skippedNumber = leadMatch[1] !== undefined;
  const s = text.slice(from + lead, from + lead + 40);
  for (const [re, form, route] of FORMS) {
    const m = re.exec(s);
    if (m && !/[A-Za-z0-9]/.test(s[m[0].length] ?? '')) {
      const value = form === '$1' ? CAPTURED_FORM[m[1]!.toLowerCase()]! : form;
      if (skippedNumber && !DEVICE_FORMS.has(value)) return null;
      const start = from + lead;
      return { value, span: { start, end: start + m[0].length }, end: start + m[0].length, route };
    }
  }
  return null;
}
