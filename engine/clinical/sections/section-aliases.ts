/**
 * Section header aliases (lower-case, single spaces) → section kind. Headers are recognised when
 * written as "Alias:" at a line start (or after a sentence end), or as an ALL-CAPS line.
 */
import type { Section } from '../../../core/clinical/extraction.js';

type Kind = Section['kind'];

const GROUPS: Array<[Kind, string[]]> = [
  ['chief_complaint', ['chief complaint', 'cc', 'c/c', 'reason for visit', 'reason for consultation', 'reason for referral', 'presenting complaint', 'pc', 'presenting problem', 'complaint', 'reason for admission']],
  ['hpi', ['history of present illness', 'hpi', 'history of presenting illness', 'history of presenting complaint', 'hpc', 'interval history', 'subjective', 'history of the present illness', 'present illness', 'clinical history', 'brief history']],
  ['past_medical_history', ['past medical history', 'pmh', 'pmhx', 'pmh/psh', 'medical history', 'past history', 'past medical and surgical history', 'problem list', 'active problems', 'active problem list', 'problems', 'past surgical history', 'psh', 'surgical history', 'comorbidities', 'co morbidities', 'background', 'significant past history', 'past medical hx', 'medical hx']],
  ['medications', ['medications', 'medication', 'meds', 'medication list', 'drugs', 'drug history', 'dh', 'medication history',
    'past medications', 'previous medications', 'prior medications', 'medications tried', 'medications previously tried', 'failed medications']],
  ['medications_current', ['current medications', 'current meds', 'home medications', 'home meds', 'outpatient medications', 'medications on admission', 'admission medications', 'current outpatient medications', 'active medications', 'regular medications', 'current medication',
    'continue taking these medications', 'continue taking', 'continue', 'continued medications', 'continue these medications',
    'medications to continue', 'unchanged medications']],
  ['medications_discharge', ['discharge medications', 'discharge meds', 'medications on discharge', 'discharge medication', 'tto', 'ttos', 'medications at discharge', 'discharge prescriptions']],
  ['medications_new', ['new medications', 'new meds', 'new prescriptions', 'prescriptions', 'prescription', 'rx', 'medications started', 'started medications', 'prescribed', 'medications prescribed', 'changed medications', 'medication changes', 'stopped medications', 'discontinued medications', 'medications stopped', 'medications discontinued',
    // Discharge lists written for patients.
    'start taking these medications', 'start taking', 'start', 'new', 'stop taking these medications', 'stop taking', 'stop',
    'change how you take these medications', 'change how you take', 'changed', 'changes', 'medications to start', 'medications to stop',
    'held medications', 'medications held', 'hold these medications', 'hold', 'on hold', 'medications on hold', 'medications to hold',
    'stop these medications', 'do not take these medications', 'changed prescriptions']],
  ['allergies', ['allergies', 'allergy', 'drug allergies', 'allergies/adverse reactions', 'adverse reactions', 'allergies and adverse reactions', 'medication allergies', 'allergies/intolerances', 'known allergies', 'allergy status']],
  ['assessment', ['assessment', 'impression', 'clinical impression', 'impressions', 'summary', 'clinical summary', 'formulation']],
  ['assessment_plan', ['assessment and plan', 'assessment/plan', 'a/p', 'a&p', 'a & p', 'impression and plan', 'impression/plan', 'assessment & plan']],
  ['plan', ['plan', 'recommendations', 'recommendation', 'disposition', 'follow up', 'followup', 'treatment plan', 'management', 'plan of care', 'instructions', 'discharge instructions', 'patient instructions']],
  ['labs', ['labs', 'lab', 'laboratory', 'laboratory data', 'lab results', 'laboratory results', 'results', 'investigations', 'bloods', 'blood results', 'pertinent results', 'lab data', 'diagnostic data', 'data', 'studies', 'laboratory studies', 'labs/imaging', 'recent labs']],
  ['vitals', ['vitals', 'vital signs', 'vs', 'obs', 'observations', 'vitals signs', 'v/s', 'vital sign']],
  ['signature', ['signature', 'signed', 'electronically signed by', 'signed by', 'attending physician', 'attending', 'prescriber', 'prescribed by', 'physician signature', 'provider signature', 'clinician', 'dictated by']],
  ['family_history', ['family history', 'fh', 'fhx', 'family hx', 'fam hx', 'family medical history']],
  ['social_history', ['social history', 'sh', 'shx', 'social hx', 'soc hx', 'social']],
  ['diagnosis', ['diagnosis', 'diagnoses', 'dx', 'discharge diagnosis', 'discharge diagnoses', 'final diagnosis', 'admitting diagnosis', 'admission diagnosis', 'principal diagnosis', 'primary diagnosis', 'secondary diagnoses', 'secondary diagnosis', 'working diagnosis', 'differential diagnosis', 'ddx', 'problem']],
  ['other', ['physical exam', 'physical examination', 'pe', 'exam', 'examination', 'review of systems', 'ros', 'hospital course', 'brief hospital course', 'imaging', 'radiology', 'procedures', 'procedure', 'immunizations', 'vaccinations', 'patient', 'patient information', 'demographics', 'o/e', 'on examination', 'objective', 'course', 'ecg', 'ekg']],
];

/** alias → kind. */
export const SECTION_ALIASES: ReadonlyMap<string, Kind> = new Map(GROUPS.flatMap(([kind, aliases]) => aliases.map((a) => [a, kind] as const)));

/** Normalises a header candidate for lookup: lower-case, punctuation other than "/" and "&" dropped, spaces collapsed. */
export function normaliseHeader(raw: string): string {
  return raw.toLowerCase().replace(/[^a-z0-9/&]+/g, ' ').trim();
}
