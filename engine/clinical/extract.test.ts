import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ExtractionSchema } from '../../core/clinical/extraction.js';
import { DosageSchema } from '../../core/clinical/fhir-dosage.js';
import { extractClinical } from './extract.js';

const NOTE = `CHIEF COMPLAINT: chest pain
HPI: 65 year old man with HTN and T2DM. Denies shortness of breath or fever but reports cough. Mother had breast cancer.
Allergies: penicillin (rash), sulfa
Vitals: BP 140/90 mmHg, HR 88, SpO2 97% on RA
Labs: HbA1c 7.2% on 03/01/2024
Current Medications:
metformin 500 mg PO BID
Electronically signed by: Jane Smith, MD
NPI: 1234567890`;

/** Every span must index exactly the text the item claims. */
function assertSpans(text: string, x: ReturnType<typeof extractClinical>): void {
  for (const d of x.diseases) expect(text.slice(d.span.start, d.span.end)).toBe(d.text);
  for (const o of x.observations) expect(text.slice(o.span.start, o.span.end)).toBe(o.text);
  for (const a of x.allergies) expect(text.slice(a.span.start, a.span.end)).toBe(a.text);
  for (const m of x.medications) {
    // A medication's span covers the whole mention (name + strength + sig); its `text` is the
    // name as written, at spans.name, inside the span.
    const name = m.spans.name ?? m.span;
    expect(text.slice(name.start, name.end)).toBe(m.text);
    expect(name.start).toBeGreaterThanOrEqual(m.span.start);
    expect(name.end).toBeLessThanOrEqual(m.span.end);
    for (const sp of Object.values(m.spans)) expect(sp.end).toBeLessThanOrEqual(text.length);
  }
  if (x.doctor) expect(text.slice(x.doctor.span.start, x.doctor.span.end)).toBe(x.doctor.text);
  for (const s of x.sections) {
    expect(s.span.start).toBeLessThanOrEqual(s.span.end);
    expect(s.span.end).toBeLessThanOrEqual(text.length);
    expect(text.slice(s.span.start, s.span.start + s.title.length)).toBe(s.title);
  }
}

describe('extractClinical', () => {
  it('extracts every kind of fact from a note and validates against the schema', () => {
    const x = extractClinical(NOTE);
    expect(ExtractionSchema.parse(x)).toBeTruthy();
    expect(x.extractor).toBe('rules');
    const byCode = Object.fromEntries(x.diseases.map((d) => [d.code?.code, d.assertion]));
    expect(byCode).toMatchObject({ I10: 'present', 'E11.9': 'present', 'R06.02': 'negated', 'R50.9': 'negated', 'R05.9': 'present', 'C50.919': 'family' });
    expect(byCode['M06.9']).toBeUndefined(); // "on RA" is room air, not rheumatoid arthritis
    expect(byCode.R21).toBeUndefined(); // an allergy reaction is not a current condition
    const obs = x.observations.map((o) => [o.code.code, o.value, o.unit]);
    expect(obs).toContainEqual(['8480-6', 140, 'mm[Hg]']);
    expect(obs).toContainEqual(['8462-4', 90, 'mm[Hg]']);
    expect(x.observations.find((o) => o.code.code === '4548-4')?.date).toBe('2024-03-01');
    expect(x.doctor).toMatchObject({ name: 'Jane Smith', credentials: ['MD'], npi: '1234567890' });
    expect(x.allergies.map((a) => a.substance)).toEqual(['penicillin', 'sulfa']);
    expect(x.medications[0]).toMatchObject({ name: 'metformin', status: 'continued' });
    assertSpans(NOTE, x);
  });

  it('returns "none" allergies for NKDA and an empty extraction for empty text', () => {
    expect(extractClinical('Allergies: NKDA\nPlan: rest').allergies).toEqual([]);
    const empty = extractClinical('');
    expect(empty.diseases).toEqual([]);
    expect(empty.warnings.map((w) => w.code)).toContain('EMPTY_TEXT');
  });

  it('sets medication status from new-medication sections', () => {
    const x = extractClinical('New Medications:\namlodipine 5 mg daily');
    expect(x.medications[0]?.status).toBe('new');
  });

  it('never throws, keeps spans exact and Dosage valid on arbitrary strings (property)', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 400 }), (s) => {
      const x = extractClinical(s);
      assertSpans(s, x);
      for (const m of x.medications) for (const d of m.dosage) DosageSchema.parse(d);
    }), { numRuns: 300 });
  });

  it('never throws on clinical-looking fragments recombined (property)', () => {
    const parts = ['HTN', 'denies', 'no', 'fever', 'BP 120/80', 'HbA1c 7%', ':', '\n', 'Dr. A B', ', MD', 'metformin 500 mg bid', 's/p', 'MI', '?', '.', 'ALLERGIES:', 'NKDA', '140/', 'K 4.', 'T 99'];
    fc.assert(fc.property(fc.array(fc.constantFrom(...parts), { maxLength: 60 }), (ws) => {
      const s = ws.join(' ');
      const x = extractClinical(s);
      assertSpans(s, x);
      expect(ExtractionSchema.safeParse(x).success).toBe(true);
    }), { numRuns: 300 });
  });

  it('handles 1 MB of random Unicode without throwing', () => {
    const chars: string[] = [];
    let seed = 12345;
    for (let i = 0; i < 1_000_000; i++) {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      const cp = seed % 0x10ffff;
      chars.push(cp >= 0xd800 && cp <= 0xdfff ? ' ' : String.fromCodePoint(cp));
      if (i % 17 === 0) chars.push(['\n', ' ', '.', ':', '7', 'a'][seed % 6]!);
    }
    const s = chars.join('').slice(0, 1_000_000);
    const x = extractClinical(s);
    assertSpans(s, x);
  });
});
