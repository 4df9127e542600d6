import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MedicationSchema } from '../../../core/clinical/extraction.js';
import { findMedications } from './find-medications.js';
import { validateTiming } from '../timing-invariants.js';

const WORDS = ['metformin', 'Lipitor', 'metf0rmin', 'lisinopril/HCTZ', '500', 'mg', 'tab', 'po', 'bid', 'prn', 'pain', 'then',
  'daily', 'x', '7', 'days', '\n', '-', ':', 'Allergies:', 'Stopped', 'insulin', 'glargine', 'units', 'qhs', '(', ')', '|', '1-2',
  // Hospital prescriptions: prefixes, slot patterns, dispensing, status words, salts, IU, per-kg doses.
  'Tab.', 'Cap', 'Syp.', 'T.', 'Augmentin', '625', '1-0-1', '2-0-1', '½-0-½', '(AF)', 'Disp', '#20', 'Refills:', '2', 'RF', 'x2',
  'no', 'refills', 'hold', 'tried', 'and', 'Zyrtec', 'metoprolol', 'succinate', 'ER', '60,000', 'IU', '15', 'mg/kg', '# Medications',
  'STOP TAKING', 'sitz', 'bath', 'once', 'twice', 'a', 'day', ';', 'Co-codamol', '30/500', 'withheld'];

describe('findMedications properties', () => {
  it('never throws; results validate and spans index the text', () => {
    const text = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 300 }),
      fc.array(fc.constantFrom(...WORDS), { maxLength: 40 }).map((w) => w.join(' ')));
    fc.assert(fc.property(text, (t) => {
      for (const m of findMedications(t)) {
        expect(MedicationSchema.safeParse(m).success).toBe(true);
        expect(t.slice(m.span.start, m.span.end).length).toBe(m.span.end - m.span.start);
        expect(t.slice(m.spans.name!.start, m.spans.name!.end)).toBe(m.text);
        for (const s of Object.values(m.spans)) expect(s.start < s.end && s.end <= t.length).toBe(true);
        for (const s of m.mentions ?? []) expect(t.slice(s.start, s.end).length).toBeGreaterThan(0);
        for (const d of m.dosage) expect(validateTiming(d.timing ?? {})).toEqual([]);
      }
    }), { numRuns: 400 });
  });

  it('handles 1 MB of random text', () => {
    let seed = 11; let s = '';
    const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789 \n.,:;/-()metforminlisinopril';
    const parts: string[] = [];
    for (let i = 0; i < 1 << 20; i++) { seed = (seed * 1103515245 + 12345) & 0x7fffffff; parts.push(alphabet[seed % alphabet.length]!); }
    s = parts.join('');
    expect(() => findMedications(s)).not.toThrow();
  });
});
