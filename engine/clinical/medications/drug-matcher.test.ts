import { describe, expect, it } from 'vitest';
import { DrugMatcher, withinOneEdit } from './drug-matcher.js';
import { loadDrugVocab } from '../vocab/drug-vocab.js';

describe('withinOneEdit', () => {
  it.each([
    ['metformin', 'metformin', true], ['metformn', 'metformin', true], ['metfromin', 'metformin', true],
    ['metfxrmin', 'metformin', true], ['mtfrmin', 'metformin', false], ['lisinopril', 'metformin', false],
  ])('%s ~ %s → %s', (a, b, expected) => { expect(withinOneEdit(a, b)).toBe(expected); });
});

describe('DrugMatcher', () => {
  const matcher = new DrugMatcher(loadDrugVocab());
  it('prefers the longest multi-word name', () => {
    const [m] = matcher.findAll('insulin glargine 10 units');
    expect(m).toMatchObject({ start: 0, end: 16, kind: 'exact' });
    expect(m!.entry.name).toBe('insulin glargine');
  });
  it('marks OCR repairs and fuzzy matches', () => {
    expect(matcher.findAll('rnetformin')[0]?.kind).toBe('ocr');
    expect(matcher.findAll('metforrmin')[0]?.kind).toBe('fuzzy');
    expect(matcher.findAll('1isinopril')[0]?.kind).toBe('ocr');
  });
});
