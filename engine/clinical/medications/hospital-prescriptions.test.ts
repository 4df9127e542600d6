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
