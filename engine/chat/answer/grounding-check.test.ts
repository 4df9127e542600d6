import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sentenceFacts } from './answer-facts.js';
import { groundingCheck } from './grounding-check.js';

const LETTER = {
  title: 'Renal clinic letter',
  date: '2024-01-22',
  text: 'Diagnoses:\n1. Chronic kidney disease G3b A2\n2. Type 2 diabetes mellitus\nPlan:\n1. Reduce metformin to 500 mg twice daily in view of the eGFR below 45.\n2. Start dapagliflozin 10 mg once daily.\nHbA1c 64 mmol/mol on 30/10/2023.',
};
const LABS = { title: 'Blood results', date: '2024-06-18', text: 'Creatinine   121   H   umol/L   45 - 84\nPotassium   4.9   mmol/L   3.5 - 5.3' };

describe('groundingCheck', () => {
  it('keeps sentences whose numbers, dates, drugs and conditions are in the cited passages', () => {
    const sentences = [
      { text: 'Metformin was reduced to 500 mg twice daily', citations: [1] },
      { text: 'Dapagliflozin 10 mg once daily was started on 22 Jan 2024', citations: [1] },
      { text: 'HbA1c was 64 mmol/mol in October 2023', citations: [1] },
      { text: 'Creatinine 121 umol/L (high), reference range 45 - 84, on 18 Jun 2024', citations: [2] },
      { text: 'She has type 2 diabetes and chronic kidney disease', citations: [1, 2] },
      { text: 'Here is what the records say', citations: [] },
    ];
    const r = groundingCheck(sentences, [LETTER, LABS]);
    expect(r.dropped).toEqual([]);
    expect(r.kept).toHaveLength(6);
  });

  it('drops and counts invented numbers, dates, drugs, conditions and uncited or dangling claims', () => {
    const sentences = [
      { text: 'Metformin was reduced to 850 mg twice daily', citations: [1] },
      { text: 'Dapagliflozin was started on 3 March 2024', citations: [1] },
      { text: 'Empagliflozin 10 mg once daily was started', citations: [1] },
      { text: 'She has heart failure', citations: [1] },
      { text: 'Creatinine was 121 umol/L', citations: [1] },
      { text: 'Metformin 500 mg twice daily', citations: [] },
      { text: 'Metformin 500 mg twice daily', citations: [3] },
      { text: 'Potassium 4.9 mmol/L', citations: [2] },
    ];
    const r = groundingCheck(sentences, [LETTER, LABS]);
    expect(r.droppedCount).toBe(7);
    expect(r.kept.map((s) => s.text)).toEqual(['Potassium 4.9 mmol/L']);
    expect(r.dropped.map((d) => d.missing)).toEqual([['850'], ['2024-03-03'], ['rxnorm:1545653'], [expect.stringMatching(/^icd10cm:I50/)], ['121'], ['500', 'rxnorm:6809'], ['[3]', '500', 'rxnorm:6809']]);
  });

  it('reads dates in their usual forms, and a date with two readings grounds on either', () => {
    expect(sentenceFacts('on 30/10/2023, 2024-01-22, 3rd March 2024 and March 5, 2024, in June 2021').dates).toEqual([
      ['2023-10-30'],
      ['2024-01-22'],
      ['2024-03-03'],
      ['2024-03-05'],
      ['2021-06'],
    ]);
    expect(sentenceFacts('seen 03/04/2024').dates).toEqual([['2024-04-03', '2024-03-04']]);
    expect(groundingCheck([{ text: 'Seen on 4 March 2024', citations: [1] }], [{ text: 'Clinic 03/04/2024' }]).droppedCount).toBe(0);
    expect(sentenceFacts('HbA1c 7.0%, G3b A2, 1,200 mg [2]').numbers).toEqual(['7', '1200']);
  });
});

/** Facts of a passage a sentence may be built from, each as written in the passage. */
const PASSAGES = [LETTER.text, LABS.text, 'Metformin 1 g twice daily. Ramipril 5 mg once daily. Atorvastatin 20 mg at night. BP 148/82, eGFR 37 on 30/10/2023.'];
const FILLER = ['and', 'with', 'then', 'noted:', 'also'];

function factsWritten(passage: string): string[] {
  const numbers = [...passage.matchAll(/(?<![\p{L}\d.,])\d+(?:\.\d+)?(?![\d\p{L}])/gu)].map((m) => m[0]);
  const words = ['metformin', 'dapagliflozin', 'ramipril', 'atorvastatin', 'chronic kidney disease', 'type 2 diabetes mellitus', 'creatinine', 'potassium'].filter((w) =>
    passage.toLowerCase().includes(w),
  );
  return [...numbers, ...words];
}

describe('groundingCheck properties', () => {
  it('a sentence made only of facts from the cited passage always passes', () => {
    const arb = fc.integer({ min: 0, max: PASSAGES.length - 1 }).chain((i) =>
      fc.tuple(fc.constant(i), fc.array(fc.tuple(fc.constantFrom(...factsWritten(PASSAGES[i]!)), fc.constantFrom(...FILLER)), { minLength: 1, maxLength: 6 })),
    );
    fc.assert(
      fc.property(arb, ([i, parts]) => {
        const text = parts.map(([fact, filler]) => `${fact} ${filler}`).join(' ');
        return groundingCheck([{ text, citations: [1] }], [{ text: PASSAGES[i]! }]).droppedCount === 0;
      }),
      { numRuns: 200 },
    );
  });

  it('adding a number that is not in the passage always fails', () => {
    const arb = fc.tuple(
      fc.integer({ min: 0, max: PASSAGES.length - 1 }),
      fc.oneof(fc.integer({ min: 0, max: 100000 }).map(String), fc.tuple(fc.integer({ min: 0, max: 999 }), fc.integer({ min: 1, max: 9 })).map(([a, b]) => `${a}.${b}`)),
      fc.constantFrom('mg', 'mmol/L', '', 'units'),
    );
    fc.assert(
      fc.property(
        arb.filter(([i, n]) => !PASSAGES[i]!.includes(n)),
        ([i, n, unit]) => {
          const grounded = factsWritten(PASSAGES[i]!).slice(0, 3).join(' and ');
          const r = groundingCheck([{ text: `${grounded}, now ${n} ${unit}`, citations: [1] }], [{ text: PASSAGES[i]! }]);
          return r.droppedCount === 1 && r.dropped[0]!.missing.length > 0;
        },
      ),
      { numRuns: 200 },
    );
  });
});
