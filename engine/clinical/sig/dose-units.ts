/**
 * Dose units as written in dose instructions, mapped to a canonical singular/plural display and a
 * UCUM code. Countable forms use UCUM annotations ("{tablet}"), which UCUM defines as unity.
 * Spoons are converted to millilitres ("a teaspoon" → 5 mL).
 */

export interface DoseUnit {
  /** Canonical display, singular. */
  singular: string;
  plural: string;
  /** UCUM code. */
  code: string;
  /** Multiplier into `code` (teaspoon → 5 mL). */
  factor: number;
  /** Route implied by the unit alone ("puff" → inhaled), or null. */
  impliedRoute: string | null;
}

export const UCUM_SYSTEM = 'http://unitsofmeasure.org';

const count = (singular: string, plural: string, impliedRoute: string | null = null): DoseUnit =>
  ({ singular, plural, code: `{${singular}}`, factor: 1, impliedRoute });
const measure = (display: string, code: string, factor = 1): DoseUnit =>
  ({ singular: display, plural: display, code, factor, impliedRoute: null });

const TABLET = count('tablet', 'tablets', 'oral');
const CAPSULE = count('capsule', 'capsules', 'oral');
const PUFF = count('puff', 'puffs', 'inhaled');
const DROP = count('drop', 'drops');
const SPRAY = count('spray', 'sprays');
const ML = measure('mL', 'mL');
const UNIT = { singular: 'unit', plural: 'units', code: '[iU]', factor: 1, impliedRoute: null };

/** Alias (lower-case) → unit. Longest aliases are tried first by the pattern below. */
export const DOSE_UNITS: Record<string, DoseUnit> = {
  tablet: TABLET, tablets: TABLET, tab: TABLET, tabs: TABLET, tabl: TABLET, tbl: TABLET, pill: TABLET, pills: TABLET,
  caplet: TABLET, caplets: TABLET,
  capsule: CAPSULE, capsules: CAPSULE, cap: CAPSULE, caps: CAPSULE,
  puff: PUFF, puffs: PUFF, inhalation: PUFF, inhalations: PUFF, actuation: PUFF, actuations: PUFF,
  drop: DROP, drops: DROP, gtt: DROP, gtts: DROP,
  spray: SPRAY, sprays: SPRAY,
  ml: ML, mls: ML, cc: ML, millilitre: ML, millilitres: ML, milliliter: ML, milliliters: ML,
  l: measure('L', 'L'),
  mg: measure('mg', 'mg'), mgs: measure('mg', 'mg'), milligram: measure('mg', 'mg'), milligrams: measure('mg', 'mg'),
  mcg: measure('mcg', 'ug'), ug: measure('mcg', 'ug'), 'µg': measure('mcg', 'ug'), microgram: measure('mcg', 'ug'),
  micrograms: measure('mcg', 'ug'),
  g: measure('g', 'g'), gm: measure('g', 'g'), gram: measure('g', 'g'), grams: measure('g', 'g'),
  meq: measure('mEq', 'meq'), mmol: measure('mmol', 'mmol'),
  unit: UNIT, units: UNIT, u: UNIT, iu: UNIT,
  teaspoon: ML, teaspoons: ML, teaspoonful: ML, teaspoonfuls: ML, tsp: ML, tsps: ML, tsf: ML, tsfs: ML,
  tablespoon: ML, tablespoons: ML, tablespoonful: ML, tbsp: ML, tbsps: ML,
  patch: count('patch', 'patches', 'transdermal'), patches: count('patch', 'patches', 'transdermal'),
  suppository: count('suppository', 'suppositories'), suppositories: count('suppository', 'suppositories'),
  supp: count('suppository', 'suppositories'), pessary: count('pessary', 'pessaries', 'vaginal'),
  pessaries: count('pessary', 'pessaries', 'vaginal'),
  sachet: count('sachet', 'sachets', 'oral'), sachets: count('sachet', 'sachets', 'oral'),
  packet: count('packet', 'packets', 'oral'), packets: count('packet', 'packets', 'oral'),
  lozenge: count('lozenge', 'lozenges', 'oral'), lozenges: count('lozenge', 'lozenges', 'oral'),
  application: count('application', 'applications', 'topical'), applications: count('application', 'applications', 'topical'),
  applicatorful: count('applicatorful', 'applicatorfuls', 'vaginal'),
  vial: count('vial', 'vials'), vials: count('vial', 'vials'), ampoule: count('ampoule', 'ampoules'),
  ampoules: count('ampoule', 'ampoules'), amp: count('ampoule', 'ampoules'),
  injection: count('injection', 'injections'), injections: count('injection', 'injections'),
  pen: count('pen', 'pens'), nebule: count('nebule', 'nebules', 'inhaled'), nebules: count('nebule', 'nebules', 'inhaled'),
  neb: count('nebule', 'nebules', 'inhaled'), nebs: count('nebule', 'nebules', 'inhaled'),
  scoop: count('scoop', 'scoops', 'oral'), scoops: count('scoop', 'scoops', 'oral'),
  dose: count('dose', 'doses'), doses: count('dose', 'doses'),
};

/** Spoon multipliers into mL. */
export const SPOON_ML: Record<string, number> = {
  teaspoon: 5, teaspoons: 5, teaspoonful: 5, teaspoonfuls: 5, tsp: 5, tsps: 5, tsf: 5, tsfs: 5,
  tablespoon: 15, tablespoons: 15, tablespoonful: 15, tbsp: 15, tbsps: 15,
};

/** Regex source matching any unit alias as a whole word (longest first). */
export const DOSE_UNIT_SRC = `(?:${Object.keys(DOSE_UNITS).sort((a, b) => b.length - a.length)
  .map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})(?![a-z])`;

/** Looks up a unit alias; null if unknown. */
export function doseUnit(alias: string): DoseUnit | null {
  return DOSE_UNITS[alias.toLowerCase()] ?? null;
}

/** "1 tablet", "2 tablets", "1-2 tablets", "5 mL"; unit null gives the bare number. */
export function formatDose(low: string, high: string | null, unit: DoseUnit | null, plural: boolean): string {
  const value = high === null ? low : `${low}-${high}`;
  if (unit === null) return value;
  return `${value} ${plural ? unit.plural : unit.singular}`;
}
