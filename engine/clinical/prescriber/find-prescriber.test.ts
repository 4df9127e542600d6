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

describe('findPrescriber: who signed, not who was mentioned', () => {
  it('does not take a referred-to, copied or consulted doctor as the prescriber', () => {
    expect(findPrescriber('Plan: refer to neurology (Dr. Okafor) for EMG.')).toBeNull();
    expect(findPrescriber('Seen by Dr Murphy in clinic today.')).toBeNull();
    expect(findPrescriber('Case discussed with the on-call Dr Singh.\nSigned: Dr. Helen Ward')?.name).toBe('Helen Ward');
  });

  it('reads "LAST, FIRST MD" signatures, in capitals too', () => {
    expect(findPrescriber('Electronically signed by GARCIA, MARIA L MD on 01/02/2024')?.name).toBe('Maria L. Garcia');
    expect(findPrescriber('Signed: Okafor, Chidi, DO')?.name).toBe('Chidi Okafor');
    expect(findPrescriber('Smith, MD, FACP')?.name).toBe('Smith');
  });

  it('takes the name after a closing line, not the job title under it', () => {
    expect(findPrescriber('Kind regards,\nDr J. Mensah\nConsultant Nephrologist')?.name).toBe('J. Mensah');
    expect(findPrescriber('Yours sincerely,\nDr Priya Raman\nSpecialty Registrar')?.name).toBe('Priya Raman');
  });
});
