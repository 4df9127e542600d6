import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { loadDrugVocab } from '../../clinical/vocab/drug-vocab.js';
import { ABBREVIATIONS, TESTS, WORDS } from './glossary-terms.js';
import { findGlossaryTerms, toPlainLanguage } from './plain-language.js';

const ALL_TERMS = [...Object.keys(ABBREVIATIONS), ...Object.keys(TESTS), ...Object.keys(WORDS)];

describe('glossary', () => {
  it('holds at least 150 distinct terms, none a drug name and none only digits', () => {
    expect(new Set(ALL_TERMS.map((t) => t.toLowerCase())).size).toBeGreaterThanOrEqual(150);
    const drugs = loadDrugVocab().terms;
    expect(ALL_TERMS.filter((t) => drugs.has(t.toLowerCase()))).toEqual([]);
    expect(ALL_TERMS.filter((t) => /^[\d\s.,/-]+$/.test(t))).toEqual([]);
  });

  it.each([
    ['HTN', 'high blood pressure'], ['T2DM', 'type 2 diabetes'], ['BID', 'twice a day'], ['eGFR', 'kidney function (eGFR)'],
    ['HbA1c', 'average blood sugar over 2–3 months (HbA1c)'], ['CXR', 'chest X-ray (CXR)'], ['SOB', 'shortness of breath'],
    ['PRN', 'when needed'], ['MI', 'heart attack'], ['AF', 'atrial fibrillation (an irregular heartbeat)'], ['CKD', 'long-term kidney disease'],
  ])('explains %s', (term, plain) => {
    expect(toPlainLanguage(`known ${term} here`)).toBe(`known ${plain} here`);
  });
});

describe('toPlainLanguage', () => {
  it('rewrites a discharge line, keeping doses, dates and drug names as written', () => {
    expect(toPlainLanguage('HTN, T2DM on Metformin 500 mg BD. HbA1c 8.2% on 12/03/2024.'))
      .toBe('High blood pressure, type 2 diabetes on Metformin 500 mg twice a day. Average blood sugar over 2–3 months (HbA1c) 8.2% on 12/03/2024.');
    expect(toPlainLanguage('Hypertension, controlled. c/o SOB on exertion, CXR clear.'))
      .toBe('High blood pressure, controlled. Complains of shortness of breath on exertion, chest X-ray (CXR) clear.');
    expect(toPlainLanguage('Atorvastatin 40 mg OD, paracetamol 1 g PRN (max 4 g/day).'))
      .toBe('Atorvastatin 40 mg once a day, paracetamol 1 g when needed (max 4 g/day).');
  });

  it('never rewrites inside a word or a number', () => {
    expect(toPlainLanguage('AFTER 3 MIN the BIDDER left; BP140/90; antihypertensives; statin; ODE')).toBe(
      'AFTER 3 MIN the BIDDER left; BP140/90; blood pressure medicines; statin; ODE');
    expect(toPlainLanguage('HbA1c')).toBe('Average blood sugar over 2–3 months (HbA1c)');
    expect(findGlossaryTerms('BPH and BP').map((h) => h.term)).toEqual(['BPH', 'BP']);
  });

  it('matches abbreviations in their own case and words in any case', () => {
    expect(toPlainLanguage('af mi htn')).toBe('af mi htn');
    expect(toPlainLanguage('Known HYPERTENSION and dyspnoea')).toBe('Known high blood pressure and shortness of breath');
    expect(toPlainLanguage('on Anticoagulation')).toBe('on Blood-thinning treatment');
  });

  it('reads AF and BF in a dosing instruction as after and before food', () => {
    expect(toPlainLanguage('Tab Amlodipine 5mg 1-0-0 AF x 30 days')).toBe('Tab Amlodipine 5mg 1-0-0 after food x 30 days');
    expect(toPlainLanguage('Glimepiride 1 mg OD (BF)')).toBe('Glimepiride 1 mg once a day (before food)');
    expect(toPlainLanguage('Known AF on apixaban 5 mg bid.')).toBe('Known atrial fibrillation (an irregular heartbeat) on apixaban 5 mg twice a day.');
  });

  it('keeps every number and every drug name, in order (property)', () => {
    const fragment = fc.constantFrom('HTN', 'T2DM', 'on', 'Metformin', '500', 'mg', 'BD', 'HbA1c', '8.2%', 'eGFR', '42', 'Apixaban', '5', 'bid',
      'CKD', 'stage', '3', 'PRN', 'Amlodipine', '1-0-1', 'AF', 'x', '30', 'days', 'Hypertension', ',', '.', 'Warfarin', 'INR', '2.5', 'SOB', 'MI', '2019');
    const keep = /(?<![A-Za-z\d])\d+(?:[.,]\d+)*(?![A-Za-z\d])|Metformin|Apixaban|Amlodipine|Warfarin/g;
    fc.assert(fc.property(fc.array(fragment, { maxLength: 25 }), (parts) => {
      const text = parts.join(' ');
      for (const m of text.matchAll(keep)) {
        const overlapping = findGlossaryTerms(text).filter((h) => h.start < m.index + m[0].length && m.index < h.end);
        expect(overlapping).toEqual([]);
      }
      // What the input had survives in order (plain words may add their own, as in "type 2 diabetes").
      const out = [...toPlainLanguage(text).matchAll(keep)].map((m) => m[0]);
      let at = 0;
      for (const want of text.match(keep) ?? []) {
        while (at < out.length && out[at] !== want) at++;
        expect(out[at]).toBe(want);
        at++;
      }
    }), { numRuns: 400 });
  });
});
