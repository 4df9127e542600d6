import { describe, expect, it } from 'vitest';
import { extractClinical } from './extract.js';

describe('conditions inside dose instructions', () => {
  it('a PRN reason is not a diagnosis of the patient', () => {
    const x = extractClinical('albuterol 2 puffs q4h prn wheezing');
    expect(x.diseases).toEqual([]);
    expect(x.medications[0]!.as_needed_reason).toBe('wheezing');
    expect(extractClinical('Tab. Paracetamol 650 mg SOS for fever').diseases).toEqual([]);
  });

  it('a sig abbreviation ("(AF)" = after food) is no condition at all', () => {
    const x = extractClinical('Tab. Augmentin 625 1-0-1 (AF) x 5 days');
    expect(x.diseases).toEqual([]);
    expect(x.medications[0]).toMatchObject({ frequency: 'BID', duration: '5 days' });
  });

  it('the same word outside a sig stays a finding', () => {
    const x = extractClinical('Patient has wheezing. albuterol 2 puffs q4h prn wheezing');
    expect(x.diseases.map((d) => [d.text, d.assertion])).toEqual([['wheezing', 'present']]);
    expect(extractClinical('Return if fever develops.').diseases.map((d) => d.assertion)).toEqual(['hypothetical']);
  });
});
