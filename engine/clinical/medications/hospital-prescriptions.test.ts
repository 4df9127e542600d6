import { describe, expect, it } from 'vitest';
import { MedicationSchema } from '../../../core/clinical/extraction.js';
import { findMedications } from './find-medications.js';

const meds = (text: string) => {
  const out = findMedications(text);
  for (const m of out) {
    expect(MedicationSchema.safeParse(m).success).toBe(true);
    for (const s of Object.values(m.spans)) expect(s.end).toBeLessThanOrEqual(text.length);
  }
  return out;
};

describe('Indian-style prescriptions', () => {
  it('reads form prefixes, brand strengths and slot patterns', () => {
    const text = 'Rx\nTab. Augmentin 625 1-0-1 x 5 days\nCap. Amoxicillin 500 mg 1-1-1 after food\nSyp. paracetamol 5 ml TDS\nTab Pantoprazole 40 1-0-0 (BF) x 10 days';
    const found = meds(text);
    expect(found.map((m) => m.name)).toEqual(['amoxicillin-clavulanate', 'amoxicillin', 'acetaminophen', 'pantoprazole']);
    expect(found[0]).toMatchObject({ strength: '625 mg', form: 'tablet', dose: '1 tablet', frequency: 'BID', duration: '5 days' });
    expect(found[1]).toMatchObject({ strength: '500 mg', form: 'capsule', dose: '1 capsule', frequency: 'TID' });
    expect(found[2]).toMatchObject({ form: 'syrup', dose: '5 mL', frequency: 'TID' });
    expect(found[3]).toMatchObject({ strength: '40 mg', form: 'tablet', frequency: 'QAM', duration: '10 days' });
    expect(text.slice(found[0]!.spans.form!.start, found[0]!.spans.form!.end)).toBe('Tab');
    expect(text.slice(found[0]!.spans.strength!.start, found[0]!.spans.strength!.end)).toBe('625');
  });

  it('takes a bare number after a name as mg only where it cannot be a dose', () => {
    expect(meds('aspirin 81 daily')[0]).toMatchObject({ strength: '81 mg' });
    expect(meds('Amlodipine-2.5 0-0-1')[0]).toMatchObject({ strength: '2.5 mg', frequency: 'QHS' });
    expect(meds('metformin 1 bid')[0]).toMatchObject({ strength: null, dose: '1' });
    expect(meds('Lantus 20 at night')[0]!.strength).toBeNull();
  });
});

describe('one entity per drug, status, dispensing, scope', () => {
  it('merges three mentions of one drug into one medication with every mention and the latest status', () => {
    const text = 'HPI: on lisinopril for years.\nMeds: lisinopril 10 mg daily\nPlan: stop lisinopril.';
    const found = meds(text);
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ name: 'lisinopril', strength: '10 mg', frequency: 'QD', status: 'stopped' });
    expect(found[0]!.mentions!.map((s) => text.slice(s.start, s.end))).toEqual(['lisinopril', 'lisinopril', 'lisinopril']);
  });

  it('warns when two mentions give one drug different instructions', () => {
    const warnings: Array<{ code: string; message: string }> = [];
    const found = findMedications('metformin 500 mg bid. Later: metformin 1000 mg tid with meals for 2 weeks', warnings);
    expect(found).toHaveLength(1);
    expect(warnings.map((w) => w.code)).toEqual(['MEDICATION_SIG_CONFLICT']);
  });

  it('tells held, past, stopped, new and continued apart', () => {
    const s = (t: string) => meds(t).map((m) => [m.name, m.status]);
    expect(s('Hold warfarin tonight.')).toEqual([['warfarin', 'held']]);
    expect(s('Tried Claritin and Zyrtec in the past.')).toEqual([['loratadine', 'past'], ['cetirizine', 'past']]);
    expect(s('Failed metformin.')).toEqual([['metformin', 'past']]);
    expect(s('Warfarin held for surgery.')).toEqual([['warfarin', 'held']]);
    expect(s('## Stop taking\n- ibuprofen 400 mg')).toEqual([['ibuprofen', 'stopped']]);
  });

  it('keeps dispensing details out of the instruction', () => {
    const [m] = meds('Ibuprofen 600 mg tab 1 tab po q6h prn pain #20 RF x2');
    expect(m).toMatchObject({ dispense_quantity: 20, refills: 2, frequency: 'Q6H', as_needed_reason: 'pain' });
    expect(m!.sig).not.toMatch(/#|RF/);
    expect(m!.dosage[0]!.text).not.toMatch(/#|RF/);
    expect(m!.dispense_request).toMatchObject({ quantity: { value: 20, code: '{tablet}' }, numberOfRepeatsAllowed: 2 });
  });

  it('keeps a distinct salt and the release kind', () => {
    expect(meds('metoprolol succinate ER 50 mg daily')[0]).toMatchObject({ name: 'metoprolol succinate', form: 'extended-release tablet' });
    expect(meds('Toprol XL 100 mg daily')[0]).toMatchObject({ name: 'metoprolol succinate', rxcui: '6918' });
  });

  it('does not attach a neighbouring activity\'s frequency to a drug', () => {
    expect(meds('Keflex 500 mg qid and sitz bath once or twice a day.')[0]!.frequency).toBe('QID');
    expect(meds('Bactroban ointment to the area; sitz baths once or twice a day.')[0]).toMatchObject({ form: 'ointment', route: 'topical', frequency: null });
  });
});

describe('prefix shorthand', () => {
  it('reads "T." and "C." as tablet and capsule, and "Tab:" with a colon', () => {
    expect(meds('T. Pantoprazole 40 1-0-0')[0]).toMatchObject({ form: 'tablet', strength: '40 mg', frequency: 'QAM' });
    expect(meds('C. Omeprazole 20 0-0-1')[0]).toMatchObject({ form: 'capsule', frequency: 'QHS' });
    expect(meds('Tab: Azithromycin 500 OD x 3 days')[0]).toMatchObject({ form: 'tablet', strength: '500 mg', duration: '3 days' });
    expect(meds('Dr. T. Smith reviewed. Metformin 500 mg bid')[0]!.form).toBeNull();
  });
});

describe('narrative hospital course', () => {
  it('gives a route written before a name to that drug, and stops the drug switched from', () => {
    const found = meds('Patient was started on IV ceftriaxone and azithromycin for CAP. Ceftriaxone was switched to oral cefpodoxime on day 3.');
    expect(found.map((m) => [m.name, m.route, m.status])).toEqual([
      ['ceftriaxone', 'IV', 'stopped'], ['azithromycin', null, 'new'], ['cefpodoxime', 'oral', 'changed'],
    ]);
    expect(found[0]!.sig).toBe('IV');
  });
});

describe('past drugs in narrative', () => {
  it('reads drugs that did not help as past', () => {
    expect(meds('Gabapentin did not help. Tramadol was ineffective. She has previously tried sertraline, fluoxetine and citalopram.')
      .map((m) => [m.name, m.status])).toEqual([['gabapentin', 'past'], ['tramadol', 'past'], ['sertraline', 'past'], ['fluoxetine', 'past'], ['citalopram', 'past']]);
  });
});
