import { describe, expect, it } from 'vitest';
import { pair, prf, scoreAssertions, scoreConditionCodes, scoreDoctor, scoreField, scoreObservations } from './score.js';

describe('scoring maths', () => {
  it('computes precision, recall and F1', () => {
    expect(prf({ tp: 8, fp: 2, fn: 2 })).toMatchObject({ precision: 0.8, recall: 0.8, f1: 0.8 });
    expect(prf({ tp: 3, fp: 1, fn: 0 })).toMatchObject({ precision: 0.75, recall: 1, f1: 0.8571 });
    expect(prf({ tp: 0, fp: 0, fn: 0 })).toMatchObject({ precision: 1, recall: 1, f1: 1 });
    expect(prf({ tp: 0, fp: 1, fn: 1 }).f1).toBe(0);
  });

  it('scores a field: equal TP, wrong FP+FN, missing FN, extra FP, null/false ignored', () => {
    expect(scoreField('BID', 'bid')).toEqual({ tp: 1, fp: 0, fn: 0 });
    expect(scoreField('BID', 'TID')).toEqual({ tp: 0, fp: 1, fn: 1 });
    expect(scoreField('BID', null)).toEqual({ tp: 0, fp: 0, fn: 1 });
    expect(scoreField(null, 'BID')).toEqual({ tp: 0, fp: 1, fn: 0 });
    expect(scoreField(false, false)).toEqual({ tp: 0, fp: 0, fn: 0 });
    expect(scoreField(true, false)).toEqual({ tp: 0, fp: 0, fn: 1 });
  });

  it('pairs one-to-one', () => {
    const r = pair([1, 1, 2], [1, 3], (a, b) => a === b);
    expect(r.pairs).toEqual([[1, 1]]);
    expect(r.goldOnly).toEqual([1, 2]);
    expect(r.predOnly).toEqual([3]);
  });

  it('scores conditions by unique code and assertions over found codes', () => {
    expect(scoreConditionCodes(['I10', 'E11.9', 'I10'], ['I10', 'J45.909'])).toEqual({ tp: 1, fp: 1, fn: 1 });
    const gold = [{ code: 'N39.0', assertion: 'uncertain' }, { code: 'N39.0', assertion: 'present' }, { code: 'I10', assertion: 'negated' }, { code: 'X', assertion: 'present' }];
    const pred = [{ code: 'N39.0', assertion: 'present' }, { code: 'N39.0', assertion: 'uncertain' }, { code: 'I10', assertion: 'present' }];
    expect(scoreAssertions(gold, pred)).toEqual({ correct: 2, total: 3 });
  });

  it('scores observations by LOINC + value and units over matches', () => {
    const r = scoreObservations(
      [{ loinc: '8480-6', value: 140, unit: 'mm[Hg]' }, { loinc: '4548-4', value: 7.2, unit: '%' }],
      [{ loinc: '8480-6', value: 140, unit: null }, { loinc: '4548-4', value: 7.1, unit: '%' }],
    );
    expect(r.t).toEqual({ tp: 1, fp: 1, fn: 1 });
    expect(r.unit).toEqual({ correct: 0, total: 1 });
  });

  it('scores the doctor by normalised name', () => {
    expect(scoreDoctor({ name: 'Jane Smith' }, { name: 'jane  smith' })).toEqual({ tp: 1, fp: 0, fn: 0 });
    expect(scoreDoctor(null, { name: 'X Y' })).toEqual({ tp: 0, fp: 1, fn: 0 });
    expect(scoreDoctor({ name: 'A B' }, null)).toEqual({ tp: 0, fp: 0, fn: 1 });
  });
});
