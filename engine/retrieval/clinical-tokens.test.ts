import { describe, expect, it } from 'vitest';
import { clinicalTerms, countTokens, foldSuffix, indexTerms } from './clinical-tokens.js';

describe('clinicalTerms', () => {
  it('keeps decimals, percentages and units whole, with their parts', () => {
    expect(clinicalTerms('HbA1c 7.8% today')).toEqual(['hba1c', '7.8%', '7.8', 'today']);
    expect(clinicalTerms('eGFR 37 mL/min/1.73m2')).toEqual(['egfr', '37', 'ml/min/1.73m2', 'ml', 'min', '1.73m2']);
    expect(clinicalTerms('Creatinine 1.3 mg/dL')).toEqual(['creatinin', '1.3', 'mg/dl', 'mg', 'dl']);
  });

  it('joins thousands, folds dotted abbreviations and keeps signs', () => {
    expect(clinicalTerms('Trop 4,820 ng/L')).toContain('4820');
    expect(clinicalTerms('Metformin 500 mg b.d.')).toEqual(['metformin', '500', 'mg', 'bd']);
    expect(clinicalTerms('K+ 5.1, HER2+')).toEqual(['k+', 'k', '5.1', 'her2+', 'her2']);
    expect(clinicalTerms('U&E in 2 weeks')).toEqual(['u&e', 'u', 'e', '2', 'week']);
  });

  it('drops function words and folds endings the same way on both sides', () => {
    expect(clinicalTerms('What is my dose?')).toEqual(['dose']);
    expect(clinicalTerms('reduced')).toEqual(clinicalTerms('reduce'));
    expect(clinicalTerms('stopped')).toEqual(clinicalTerms('stop'));
    expect(clinicalTerms('tablets')).toEqual(clinicalTerms('tablet'));
    expect(clinicalTerms('oedema')).toEqual(clinicalTerms('edema'));
    expect(clinicalTerms('Haemoglobin')).toEqual(clinicalTerms('hemoglobin'));
    expect(clinicalTerms('tumour')).toEqual(clinicalTerms('tumor'));
  });

  it('never folds abbreviations or tokens with digits', () => {
    expect(foldSuffix('bds')).toBe('bds');
    expect(foldSuffix('t2dm')).toBe('t2dm');
    expect(foldSuffix('swelling')).toBe('swell');
  });

  it('finds nothing in text without words or numbers', () => {
    expect(clinicalTerms('  -- :: ')).toEqual([]);
  });
});

describe('indexTerms', () => {
  it('adds one concept id per condition or drug mention, so synonyms share a term', () => {
    const a = indexTerms('history of heart attack').filter((t) => t.includes(':'));
    const b = indexTerms('previous myocardial infarction').filter((t) => t.includes(':'));
    expect(a.length).toBe(1);
    expect(a).toEqual(b);
  });
});

describe('countTokens', () => {
  it('counts words, numbers and punctuation marks', () => {
    expect(countTokens('Metformin 500 mg, twice daily.')).toBe(7);
    expect(countTokens('')).toBe(0);
  });
});
