import { describe, expect, it } from 'vitest';
import { MedicationSchema } from '../../../core/clinical/extraction.js';
import { findMedications } from './find-medications.js';

const one = (text: string) => {
  const meds = findMedications(text);
  expect(meds).toHaveLength(1);
  return meds[0]!;
};

describe('findMedications', () => {
  it('finds an ingredient with strength, form, route and a parsed sig', () => {
    const m = one('Metformin 500 mg tablet: take 1 tablet by mouth twice daily with meals');
    expect(m).toMatchObject({ name: 'metformin', rxcui: '6809', strength: '500 mg', form: 'tablet', route: 'oral',
      dose: '1 tablet', frequency: 'BID' });
    expect(m.dosage[0]!.timing!.repeat!.when).toEqual(['C']);
  });

  it('maps brand names to the generic ingredient', () => {
    expect(one('Glucophage 850 mg bid')).toMatchObject({ text: 'Glucophage', name: 'metformin', rxcui: '6809' });
    expect(one('Lipitor 40mg nightly')).toMatchObject({ name: 'atorvastatin', rxcui: '83367', frequency: 'QHS' });
  });

  it('joins combinations written with a slash or hyphen', () => {
    expect(one('lisinopril/HCTZ 20/12.5 mg daily').name).toBe('lisinopril-hydrochlorothiazide');
    expect(one('Zestoretic 20-12.5 mg daily').name).toBe('lisinopril-hydrochlorothiazide');
  });

  it('repairs OCR digits and one-letter misspellings of long names', () => {
    expect(one('metf0rmin 1000 mg bid').name).toBe('metformin');
    expect(one('atorvastatn 20 mg qhs').name).toBe('atorvastatin');
    expect(one('lisinorpil 10 mg daily').name).toBe('lisinopril');
  });

  it('does not correct ordinary words into drugs', () => {
    expect(findMedications('The ambient temperature was recorded; lyrics of the song.')).toEqual([]);
  });

  it('reads each line of a list with its own instruction', () => {
    const meds = findMedications('Medications:\n- Aspirin 81 mg PO daily\n- Furosemide 40 mg IV BID\n- Albuterol inhaler 2 puffs q4h prn SOB');
    expect(meds.map((m) => [m.name, m.frequency, m.route])).toEqual([
      ['aspirin', 'QD', 'oral'], ['furosemide', 'BID', 'IV'], ['albuterol', 'Q4H', 'inhaled']]);
    expect(meds[2]!.as_needed_reason).toBe('sob');
  });

  it('follows a dose instruction wrapped onto the next line', () => {
    const m = one('Amoxicillin 500 mg capsule\n   take one capsule three times a day\n   for 7 days');
    expect(m).toMatchObject({ dose: '1 capsule', frequency: 'TID', duration: '7 days' });
  });

  it('skips allergy lists and negated mentions', () => {
    expect(findMedications('Allergies: penicillin, sulfa\nNo aspirin.')).toEqual([]);
  });

  it('reads status from nearby words and list headers', () => {
    expect(one('Started lisinopril 10 mg daily').status).toBe('new');
    expect(one('Discontinued medications:\nwarfarin 5 mg daily').status).toBe('stopped');
    expect(one('Increase metoprolol to 50 mg bid').status).toBe('changed');
  });

  it('returns schema-valid medications whose spans match the text', () => {
    const text = 'Plan: start Amoxicillin 875 mg PO BID x 10 days; continue Synthroid 100 mcg daily.';
    const meds = findMedications(text);
    expect(meds).toHaveLength(2);
    for (const m of meds) {
      expect(MedicationSchema.safeParse(m).success).toBe(true);
      expect(text.slice(m.spans.name!.start, m.spans.name!.end)).toBe(m.text);
      expect(text.slice(m.spans.strength!.start, m.spans.strength!.end)).toMatch(/^\d+ ?(mg|mcg)$/);
    }
    expect(meds.map((m) => m.status)).toEqual(['new', 'continued']);
  });
});

describe('findMedications: generalisation rules', () => {
  it('reads "inh" after a dose as the inhaled route, and INH as isoniazid only where a drug name stands', () => {
    const meds = findMedications('Salbutamol 100 mcg 1-2 puffs inh prn');
    expect(meds.map((m) => m.name)).toEqual(['albuterol']);
    expect(meds[0]).toMatchObject({ route: 'inhaled', as_needed: true });
    expect(findMedications('INH 300 mg daily').map((m) => m.name)).toEqual(['isoniazid']);
    expect(findMedications('Meds:\nINH\nrifampin').map((m) => m.name)).toEqual(['isoniazid', 'rifampin']);
  });

  it('starts the sig after separators so Dosage.text and spans begin at a word', () => {
    const text = 'Atorvastatin 20 mg tablet; 1 tab nightly';
    const m = one(text);
    expect(m.sig).toBe('1 tab nightly');
    expect(m.dosage[0]!.text).toBe('1 tab nightly');
    for (const s of Object.values(m.spans)) expect(text.slice(s.start, s.end).trim()).toBe(text.slice(s.start, s.end));
  });

  it('takes the strength as the dose of an as-needed instruction with no other dose', () => {
    expect(one('Ondansetron 4 mg if required for nausea')).toMatchObject({ dose: '4 mg', as_needed: true });
  });

  it('reads OCR noise in numbers and frequency abbreviations', () => {
    expect(one('Amlodipine 1O mg 8ID')).toMatchObject({ strength: '10 mg', dose: '10 mg', frequency: 'BID' });
  });

  it('reads UK ON (omni nocte) in a frequency position of a table row, not the word "on"', () => {
    expect(one('Atorvastatin\t20mg\tON')).toMatchObject({ frequency: 'QHS' });
    expect(one('Atorvastatin 20 mg on')).toMatchObject({ frequency: 'QHS' });
    expect(one('Atorvastatin 20 mg on admission').frequency).toBeNull();
  });

  it('maps common inpatient brands to their ingredients', () => {
    expect(findMedications('Kefzol, Invanz, vanco, Zosyn, Lovenox').map((m) => [m.name, m.rxcui])).toEqual([
      ['cefazolin', '2180'], ['ertapenem', '325642'], ['vancomycin', '11124'], ['piperacillin-tazobactam', null], ['enoxaparin', '67108'],
    ]);
  });
});
