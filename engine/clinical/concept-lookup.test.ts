import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { lookupConcepts } from './concept-lookup.js';

describe('lookupConcepts', () => {
  it('gives synonyms one id and maps brands to the ingredient RxCUI', () => {
    const ids = (t: string) => lookupConcepts(t).map((c) => c.id);
    expect(ids('heart attack')).toEqual(ids('MI'));
    expect(ids('myocardial infarction')).toEqual(['icd10cm:I21.9']);
    expect(ids('Glucophage')).toEqual(ids('metformin'));
    expect(ids('Glucophage')[0]).toMatch(/^rxnorm:\d+$/);
  });

  it('returns ordered, non-overlapping spans inside the text (property)', () => {
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (s) => {
      let last = 0;
      for (const c of lookupConcepts(s)) {
        expect(c.start).toBeGreaterThanOrEqual(last);
        expect(c.end).toBeLessThanOrEqual(s.length);
        last = c.end;
      }
    }), { numRuns: 200 });
  });
});
