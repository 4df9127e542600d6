import { describe, expect, it } from 'vitest';
import { findPrescriber } from './find-prescriber.js';

describe('findPrescriber', () => {
  it('reads signature cues, titles and credentials', () => {
    expect(findPrescriber('Electronically signed by: Jane Smith, MD')).toMatchObject({ name: 'Jane Smith', credentials: ['MD'], title: null });
    expect(findPrescriber('Signed: Dr Ahmed Khan MBBS MRCP\nGMC 7012345')).toMatchObject({ name: 'Ahmed Khan', title: 'Dr', credentials: ['MBBS', 'MRCP'], license: '7012345' });
    expect(findPrescriber('Robert J. Miller, M.D., FACP')).toMatchObject({ name: 'Robert J. Miller', credentials: ['MD', 'FACP'] });
    expect(findPrescriber('Prescriber: Dr. Anna Kowalski\nNPI 1922334455')).toMatchObject({ name: 'Anna Kowalski', npi: '1922334455' });
  });

  it('prefers the signer over other doctors named in the note', () => {
    expect(findPrescriber('Discussed with Dr. Lee.\nElectronically signed by Thomas Brown, MD')?.name).toBe('Thomas Brown');
    expect(findPrescriber('cc: Dr. Franklin\nDictated by: Laura Chen, MD')?.name).toBe('Laura Chen');
  });

  it('returns null for referrals only and for notes without a name', () => {
    expect(findPrescriber('Referred to Dr. Chen for echo.')).toBeNull();
    expect(findPrescriber('Amoxicillin 500 mg TID.')).toBeNull();
  });

  it('keeps the span on the matched text', () => {
    const t = 'Plan as above.\nAttending: Maria Garcia-Lopez, DO';
    const p = findPrescriber(t)!;
    expect(t.slice(p.span.start, p.span.end)).toBe(p.text);
  });
});
