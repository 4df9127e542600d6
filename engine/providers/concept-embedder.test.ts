/**
 * The `concept` embedder: conformance, plus the property it exists for: clinical synonyms
 * (through the real clinical vocabulary) are nearer to each other than to unrelated phrases.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createConceptEmbedder, type ConceptLookup } from './concept-embedder.js';
import { describeEmbedderConformance } from './embedder.conformance.js';
import { dot } from './embedder.js';

describeEmbedderConformance('concept', async () => ({ embedder: createConceptEmbedder(), close: async () => {} }));

/** Each row: phrases that name one concept. Every pair in a row must beat every unrelated phrase. */
const SYNONYMS: string[][] = [
  ['heart attack', 'myocardial infarction', 'MI'],
  ['high blood pressure', 'hypertension', 'HTN'],
  ['type 2 diabetes', 'T2DM', 'diabetes mellitus type 2'],
  ['shortness of breath', 'dyspnea', 'SOB', 'breathlessness'],
  ['paracetamol', 'acetaminophen'],
  ['stroke', 'cerebrovascular accident', 'CVA'],
];
const UNRELATED = ['broken wrist', 'no known drug allergies', 'follow up in three months', 'asthma', 'amoxicillin 500 mg capsule'];

async function vec(texts: string[]): Promise<Float32Array[]> {
  return (await createConceptEmbedder().embed({ texts })).vectors;
}

describe('concept embedder', () => {
  for (const row of SYNONYMS) {
    it(`puts ${row.join(' / ')} nearer to each other than to unrelated phrases`, async () => {
      const vs = await vec(row);
      const us = await vec(UNRELATED);
      for (let i = 0; i < row.length; i++) {
        for (let j = i + 1; j < row.length; j++) {
          const near = dot(vs[i]!, vs[j]!);
          for (let k = 0; k < UNRELATED.length; k++) {
            expect(near, `${row[i]} ~ ${row[j]} vs ${row[i]} ~ ${UNRELATED[k]}`).toBeGreaterThan(dot(vs[i]!, us[k]!));
            expect(near, `${row[i]} ~ ${row[j]} vs ${row[j]} ~ ${UNRELATED[k]}`).toBeGreaterThan(dot(vs[j]!, us[k]!));
          }
        }
      }
    });
  }

  it('keeps synonyms close inside a sentence', async () => {
    const [a, b, c] = await vec(['Admitted with a heart attack last year', 'Admitted with myocardial infarction last year', 'Admitted with a broken wrist last year']);
    expect(dot(a!, b!)).toBeGreaterThan(dot(a!, c!));
  });

  it('is a pure function of the text (property)', () => {
    const e1 = createConceptEmbedder();
    const e2 = createConceptEmbedder();
    return fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 200 }), async (t) => {
        const [a] = (await e1.embed({ texts: [t] })).vectors;
        const [b] = (await e2.embed({ texts: [t] })).vectors;
        expect(Array.from(a!)).toEqual(Array.from(b!));
        const n = dot(a!, a!);
        expect(n === 0 || Math.abs(n - 1) < 1e-4).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('lets a shared concept dominate surface words (injected lookup)', async () => {
    // A stand-in vocabulary isolates the weighting from the real one.
    const lookup: ConceptLookup = (t) => {
      const m = /\b(alpha|beta)\b/i.exec(t);
      return m ? [{ id: 'C1', start: m.index, end: m.index + m[0].length }] : [];
    };
    const e = createConceptEmbedder({ lookup, dimensions: 64 });
    const [a, b, c] = (await e.embed({ texts: ['alpha', 'beta', 'gamma'] })).vectors;
    expect(e.dimensions).toBe(64);
    expect(dot(a!, b!)).toBeGreaterThan(0.4);
    expect(dot(a!, c!)).toBeLessThan(0.3);
  });

  it('rejects a dimension too small to hash into', () => {
    expect(() => createConceptEmbedder({ dimensions: 4 })).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });
});
