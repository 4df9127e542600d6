/**
 * Routes of administration: the coded names WardClerk uses, their SNOMED CT concepts (children
 * of 284009009 "Route of administration value"), and the phrases that name them in a sig.
 */
import type { CodeableConcept } from '../../../core/clinical/fhir-dosage.js';

export const SNOMED_SYSTEM = 'http://snomed.info/sct';

/** Coded route name → SNOMED CT code and display. */
export const ROUTES: Record<string, { code: string; display: string }> = {
  oral: { code: '26643006', display: 'Oral route' },
  sublingual: { code: '37839007', display: 'Sublingual route' },
  buccal: { code: '54471007', display: 'Buccal route' },
  IV: { code: '47625008', display: 'Intravenous route' },
  IM: { code: '78421000', display: 'Intramuscular route' },
  subcutaneous: { code: '34206005', display: 'Subcutaneous route' },
  topical: { code: '6064005', display: 'Topical route' },
  inhaled: { code: '447694001', display: 'Respiratory tract route' },
  nasal: { code: '46713006', display: 'Nasal route' },
  ophthalmic: { code: '54485002', display: 'Ophthalmic route' },
  otic: { code: '10547007', display: 'Otic route' },
  rectal: { code: '37161004', display: 'Rectal route' },
  vaginal: { code: '16857009', display: 'Vaginal route' },
  transdermal: { code: '45890007', display: 'Transdermal route' },
};

/**
 * Route phrases (lower-case, whole words) → route name. Ambiguous two-letter Latin forms (od,
 * os, ad, as) are handled by the sig grammar with context, not here.
 */
export const ROUTE_PHRASES: Array<[string, string]> = [
  ['by mouth', 'oral'], ['per os', 'oral'], ['p.o.', 'oral'], ['p.o', 'oral'], ['po', 'oral'], ['orally', 'oral'],
  ['oral', 'oral'], ['per oral', 'oral'], ['swallow', 'oral'],
  ['under the tongue', 'sublingual'], ['sublingually', 'sublingual'], ['sublingual', 'sublingual'],
  ['s.l.', 'sublingual'], ['sl', 'sublingual'],
  ['buccally', 'buccal'], ['buccal', 'buccal'],
  ['intravenously', 'IV'], ['intravenous', 'IV'], ['i.v.', 'IV'], ['ivpb', 'IV'], ['iv push', 'IV'], ['ivp', 'IV'],
  ['iv', 'IV'], ['infusion', 'IV'],
  ['intramuscularly', 'IM'], ['intramuscular', 'IM'], ['i.m.', 'IM'], ['im', 'IM'],
  ['subcutaneously', 'subcutaneous'], ['subcutaneous', 'subcutaneous'], ['subcut', 'subcutaneous'],
  ['sub-cut', 'subcutaneous'], ['subq', 'subcutaneous'], ['sub q', 'subcutaneous'], ['s.c.', 'subcutaneous'],
  ['sc', 'subcutaneous'], ['sq', 'subcutaneous'], ['s.q.', 'subcutaneous'], ['under the skin', 'subcutaneous'],
  ['topically', 'topical'], ['topical', 'topical'], ['to the skin', 'topical'], ['to affected area', 'topical'],
  ['to the affected area', 'topical'], ['to affected areas', 'topical'], ['to the affected areas', 'topical'],
  ['externally', 'topical'], ['apply', 'topical'],
  ['inhaled', 'inhaled'], ['inhale', 'inhaled'], ['by inhalation', 'inhaled'], ['via inhaler', 'inhaled'],
  ['inhalation', 'inhaled'], ['via nebuliser', 'inhaled'], ['via nebulizer', 'inhaled'], ['nebulised', 'inhaled'],
  ['nebulized', 'inhaled'], ['via neb', 'inhaled'], ['inh', 'inhaled'], ['inhaler', 'inhaled'],
  ['in each nostril', 'nasal'], ['into each nostril', 'nasal'], ['each nostril', 'nasal'], ['per nostril', 'nasal'],
  ['intranasally', 'nasal'], ['intranasal', 'nasal'], ['nasally', 'nasal'], ['nasal', 'nasal'], ['in nostril', 'nasal'],
  ['per nose', 'nasal'], ['in the nose', 'nasal'], ['nostrils', 'nasal'],
  ['in both eyes', 'ophthalmic'], ['into both eyes', 'ophthalmic'], ['in each eye', 'ophthalmic'],
  ['into each eye', 'ophthalmic'], ['in the left eye', 'ophthalmic'], ['in the right eye', 'ophthalmic'],
  ['into the left eye', 'ophthalmic'], ['into the right eye', 'ophthalmic'], ['in affected eye', 'ophthalmic'],
  ['in the affected eye', 'ophthalmic'], ['left eye', 'ophthalmic'], ['right eye', 'ophthalmic'], ['both eyes', 'ophthalmic'],
  ['ophthalmic', 'ophthalmic'], ['in eye', 'ophthalmic'], ['eye', 'ophthalmic'], ['eyes', 'ophthalmic'], ['ou', 'ophthalmic'],
  ['in both ears', 'otic'], ['in each ear', 'otic'], ['into each ear', 'otic'], ['in the affected ear', 'otic'],
  ['in the left ear', 'otic'], ['in the right ear', 'otic'], ['otic', 'otic'], ['ear', 'otic'], ['ears', 'otic'],
  ['au', 'otic'],
  ['per rectum', 'rectal'], ['rectally', 'rectal'], ['rectal', 'rectal'], ['pr', 'rectal'], ['p.r.', 'rectal'],
  ['per vagina', 'vaginal'], ['per vaginam', 'vaginal'], ['vaginally', 'vaginal'], ['vaginal', 'vaginal'], ['pv', 'vaginal'],
  ['intravaginally', 'vaginal'],
  ['transdermally', 'transdermal'], ['transdermal', 'transdermal'], ['td', 'transdermal'],
];

/** CodeableConcept for a coded route name, or undefined for unknown names. */
export function routeConcept(name: string): CodeableConcept | undefined {
  const r = ROUTES[name];
  if (!r) return undefined;
  return { coding: [{ system: SNOMED_SYSTEM, code: r.code, display: r.display }], text: name };
}
