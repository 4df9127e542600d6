import { describe, expect, it } from 'vitest';
import { MEDICATION_STATUSES, MedicationSchema } from './extraction.js';
import { fhirMedicationStatus } from './fhir-dosage.js';

describe('medication status in FHIR', () => {
  it('maps every status to a MedicationRequest or MedicationStatement status', () => {
    expect(MEDICATION_STATUSES.map((s) => [s, fhirMedicationStatus(s)])).toEqual([
      ['new', { resourceType: 'MedicationRequest', status: 'active' }],
      ['continued', { resourceType: 'MedicationRequest', status: 'active' }],
      ['changed', { resourceType: 'MedicationRequest', status: 'active' }],
      ['held', { resourceType: 'MedicationRequest', status: 'on-hold' }],
      ['stopped', { resourceType: 'MedicationRequest', status: 'stopped' }],
      ['past', { resourceType: 'MedicationStatement', status: 'completed' }],
    ]);
    expect(fhirMedicationStatus(null)).toEqual({ resourceType: 'MedicationRequest', status: 'unknown' });
  });

  it('still reads a record stored before mentions, dispensing and the new statuses existed', () => {
    const old = { text: 'Metformin', name: 'metformin', rxcui: '6809', strength: '500 mg', form: null, route: null, dose: null,
      frequency: 'BID', duration: null, as_needed: false, as_needed_reason: null, status: 'stopped', sig: 'bid', dosage: [],
      span: { start: 0, end: 9 }, spans: {}, confidence: 0.9 };
    expect(MedicationSchema.safeParse(old).success).toBe(true);
    expect(MedicationSchema.safeParse({ ...old, status: 'held', mentions: [{ start: 0, end: 9 }], dispense_quantity: 30, refills: 0,
      dispense_request: { quantity: { value: 30 }, numberOfRepeatsAllowed: 0 } }).success).toBe(true);
    expect(MedicationSchema.safeParse({ ...old, status: 'paused' }).success).toBe(false);
  });
});
