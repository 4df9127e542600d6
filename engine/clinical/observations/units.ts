/**
 * Unit recognition: the text forms of units that follow lab and vital values, mapped to UCUM.
 * `UNIT_PATTERN` is one alternation, longest forms first, matched case-insensitively right after
 * a number.
 */
const UNITS: Array<[string, string[]]> = [
  ['mL/min/{1.73_m2}', ['ml/min/1.73m2', 'ml/min/1.73 m2', 'ml/min/1.73m^2', 'ml/min/1.73 m^2', 'ml/min/1.73m²', 'ml/min/1.73 m²', 'ml/min per 1.73m2', 'ml/min per 1.73 m2', 'ml/min']],
  ['mm[Hg]', ['mmhg', 'mm hg', 'mm of hg', 'mm[hg]']],
  ['mg/dL', ['mg/dl', 'mg per dl', 'mg%']],
  ['g/dL', ['g/dl', 'gm/dl', 'gr/dl']],
  ['g/L', ['g/l', 'gm/l']],
  ['mmol/L', ['mmol/l', 'mmol per l', 'mm/l', 'mmol']],
  ['mmol/mol', ['mmol/mol']],
  ['umol/L', ['umol/l', 'µmol/l', 'μmol/l', 'micromol/l', 'micromoles/l']],
  ['pmol/L', ['pmol/l']],
  ['nmol/L', ['nmol/l']],
  ['meq/L', ['meq/l', 'meq']],
  ['m[IU]/L', ['miu/l', 'mu/l', 'uiu/ml', 'µiu/ml', 'μiu/ml', 'mciu/ml', 'miu/ml', 'mlu/l']],
  ['ng/mL', ['ng/ml']],
  ['ng/dL', ['ng/dl']],
  ['ng/L', ['ng/l']],
  ['pg/mL', ['pg/ml']],
  ['ug/dL', ['ug/dl', 'µg/dl', 'mcg/dl']],
  ['mg/L', ['mg/l']],
  ['mg/g', ['mg/g', 'mg/gm', 'mcg/mg', 'ug/mg']],
  ['mg/mmol', ['mg/mmol']],
  ['U/L', ['u/l', 'iu/l', 'units/l', 'unit/l']],
  ['10*3/uL', ['x10^3/ul', 'x 10^3/ul', '10^3/ul', 'k/ul', 'k/mm3', 'x10^9/l', 'x 10^9/l', '10^9/l', 'x10*9/l', '10*9/l', 'thou/ul', 'k/µl', 'x10e3/ul', 'x10 9/l', '/nl']],
  ['10*6/uL', ['x10^6/ul', '10^6/ul', 'm/ul', 'x10^12/l', '10^12/l', 'mil/ul']],
  ['fL', ['fl']],
  ['mm/h', ['mm/hr', 'mm/h', 'mm/hour']],
  ['kg/m2', ['kg/m2', 'kg/m^2', 'kg/m²', 'kg/sq m']],
  ['/min', ['bpm', 'beats/min', 'beats per minute', 'breaths/min', 'breaths per minute', '/min', 'per min', 'per minute', 'b/min', 'rpm']],
  ['[lb_av]', ['lbs', 'lb', 'pounds', 'pound']],
  ['kg', ['kgs', 'kg', 'kilograms', 'kilos']],
  ['g', ['grams', 'gm', 'g']],
  ['cm', ['cm', 'centimeters', 'centimetres']],
  ['[in_i]', ['inches', 'inch', 'in', '"']],
  ['m', ['meters', 'metres', 'm']],
  ['[degF]', ['°f', 'º f', 'º f', '° f', 'deg f', 'degrees f', 'degrees fahrenheit', 'fahrenheit', 'f']],
  ['Cel', ['°c', 'ºc', '° c', 'º c', 'deg c', 'degrees c', 'degrees celsius', 'celsius', 'centigrade', 'c']],
  ['%', ['%', 'percent', 'pct']],
  ['s', ['seconds', 'secs', 'sec', 's']],
  ['{score}', ['points', 'pts', 'point']],
];

const LOOKUP = new Map<string, string>();
for (const [ucum, forms] of UNITS) for (const f of forms) LOOKUP.set(f, ucum);

const escaped = [...LOOKUP.keys()].sort((a, b) => b.length - a.length).map((f) => f.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&'));

/** Source of a regex alternation matching any known unit form (use with the `i` flag). */
export const UNIT_PATTERN = `(?:${escaped.join('|')})(?![a-z0-9µμ])`;

/** UCUM code for a unit as written, or null. */
export function toUcum(raw: string): string | null {
  return LOOKUP.get(raw.toLowerCase().replace(/\s+/g, ' ').trim()) ?? null;
}
