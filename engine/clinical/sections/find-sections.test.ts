import { describe, expect, it } from 'vitest';
import { findSections } from './find-sections.js';

const kinds = (t: string) => findSections(t).map((s) => s.kind);

describe('findSections', () => {
  it('recognises aliases with colons, ALL-CAPS lines and inline headers', () => {
    expect(kinds('CC: cough\nHPI: 3 days.\nPMH: HTN\nA/P: URI')).toEqual(['chief_complaint', 'hpi', 'past_medical_history', 'assessment_plan']);
    expect(kinds('DISCHARGE MEDICATIONS\naspirin\n\nFOLLOW UP\n1 week')).toEqual(['medications_discharge', 'plan']);
    expect(kinds('Presenting complaint: fall. Drug history: apixaban. Social history: lives alone.')).toEqual(['chief_complaint', 'medications', 'social_history']);
  });

  it('spans run from one header to the next', () => {
    const t = 'Allergies: NKDA\nPlan: rest';
    const [a, p] = findSections(t);
    expect(t.slice(a!.span.start, a!.span.end)).toBe('Allergies: NKDA');
    expect(t.slice(p!.span.start, p!.span.end)).toBe('Plan: rest');
  });

  it('marks unknown capitalised headers as other and ignores ordinary colons', () => {
    expect(kinds('NEUROLOGY CONSULT: seen')).toEqual(['other']);
    expect(kinds('BP: 120/80, the patient said: fine')).toEqual([]);
  });
});
