import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WardClerkError } from '../../../core/errors.js';
import { extractClinical } from '../extract.js';
import { addConditionEntries, dottedCode, emptyConditionVocabulary, loadConditionVocabulary, useConditionVocabulary } from './condition-vocabulary.js';

afterEach(() => useConditionVocabulary(loadConditionVocabulary()));

describe('condition vocabulary', () => {
  it('ships at least 500 concepts with well-formed ICD-10-CM codes', () => {
    const v = loadConditionVocabulary();
    const codes = [...v.byCode.keys()].filter((c) => c !== '-');
    expect(codes.length).toBeGreaterThanOrEqual(500);
    for (const c of codes) expect(c).toMatch(/^[A-Z][0-9][0-9A-Z](\.[0-9A-Z]{1,4})?$/);
  });

  it('maps synonyms and abbreviations to one code', () => {
    const code = (t: string) => extractClinical(t).diseases[0]?.code?.code;
    expect(['MI', 'heart attack', 'myocardial infarction'].map(code)).toEqual(['I21.9', 'I21.9', 'I21.9']);
    expect(['T2DM', 'DM2', 'type II diabetes', 'DM-2'].map(code)).toEqual(['E11.9', 'E11.9', 'E11.9', 'E11.9']);
    expect(code('CKD 3')).toBe('N18.30');
    expect(code('mi')).toBeUndefined(); // case-sensitive abbreviation
  });

  it('parses CMS order and codes files', () => {
    const v = emptyConditionVocabulary();
    const order = `00001 A00     0 Cholera                                                      Cholera\n00002 A000    1 Cholera due to Vibrio cholerae 01, biovar cholerae           Cholera due to Vibrio cholerae 01, biovar cholerae`;
    expect(addConditionEntries(v, order).added).toBe(2);
    expect(v.byCode.get('A00.0')?.display).toBe('Cholera due to Vibrio cholerae 01, biovar cholerae');
    addConditionEntries(v, 'Z8710   Personal history of other diseases of the digestive system');
    expect(v.byCode.get('Z87.10')).toBeDefined();
    expect(dottedCode('e119')).toBe('E11.9');
  });

  it('loads extra files from disk without code changes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'wc-vocab-'));
    const f = join(dir, 'extra.tsv');
    writeFileSync(f, 'Q99.9\tExample rare syndrome\tzebra syndrome\n');
    useConditionVocabulary(loadConditionVocabulary([f]));
    expect(extractClinical('History of zebra syndrome.').diseases[0]).toMatchObject({ code: { code: 'Q99.9' }, assertion: 'historical' });
    expect(() => loadConditionVocabulary([join(dir, 'missing.tsv')])).toThrow(WardClerkError);
  });
});

describe('condition vocabulary: adjectives and index defaults', () => {
  it('maps adjective forms and unspecified pyelonephritis', () => {
    const codes = (t: string) => extractClinical(t).diseases.map((d) => d.code?.code);
    expect(codes('Known hypertensive.')).toEqual(['I10']);
    expect(codes('Hypertensive urgency on arrival.')).toEqual(['I16.0']);
    expect(codes('Diabetic and asthmatic.')).toEqual(['E11.9', 'J45.909']);
    expect(codes('Treated for pyelonephritis.')).toEqual(['N12']);
    expect(codes('Acute pyelonephritis.')).toEqual(['N10']);
  });
});
