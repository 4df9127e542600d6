import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Bm25Index } from './bm25-index.js';

const DOCS = [
  'Metformin 500 mg twice daily with meals.',
  'HbA1c 7.8% on 30/10/2023, above target.',
  'Ramipril 5 mg once daily for hypertension; BP 148/82.',
  'Atorvastatin 20 mg at night. Cholesterol 4.6 mmol/L.',
  'Plan: reduce metformin to 500 mg twice daily because eGFR is 37.',
];

function indexOf(docs: readonly string[]): Bm25Index {
  const ix = new Bm25Index();
  docs.forEach((d, i) => ix.add(i, d));
  return ix;
}

describe('Bm25Index', () => {
  it('ranks the passage holding the rare query terms first', () => {
    const ix = indexOf(DOCS);
    expect(ix.search('what was my HbA1c', 3).map((h) => h.slot)).toEqual([1]);
    expect(ix.search('7.8%', 3)[0]!.slot).toBe(1);
    expect(ix.search('eGFR metformin', 5).map((h) => h.slot)).toEqual([4, 0]);
  });

  it('gives a rarer term more weight than a common one', () => {
    const ix = indexOf(DOCS);
    // "mg" is in four passages, "night" in one.
    expect(ix.search('mg night', 5)[0]!.slot).toBe(3);
  });

  it('prefers the shorter of two passages with the same term count', () => {
    const ix = indexOf(['metformin stopped', 'metformin stopped after a long discussion about the kidneys and the eye clinic and the feet']);
    const hits = ix.search('metformin', 2);
    expect(hits.map((h) => h.slot)).toEqual([0, 1]);
    expect(hits[0]!.score).toBeGreaterThan(hits[1]!.score);
  });

  it('finds synonyms through concept ids (brand and generic)', () => {
    const ix = indexOf(['Glucophage 500 mg twice daily', 'Ramipril 5 mg daily']);
    expect(ix.search('metformin', 2).map((h) => h.slot)).toEqual([0]);
  });

  it('finds nothing for a query without a known term, or k ≤ 0', () => {
    const ix = indexOf(DOCS);
    expect(ix.search('zebra', 5)).toEqual([]);
    expect(ix.search('metformin', 0)).toEqual([]);
    expect(new Bm25Index().search('metformin', 5)).toEqual([]);
  });

  it('searches only accepted slots', () => {
    const ix = indexOf(DOCS);
    expect(ix.search('metformin', 5, (s) => s !== 4).map((h) => h.slot)).toEqual([0]);
  });

  it('score() equals the search score of the same passage', () => {
    const ix = indexOf(DOCS);
    for (const h of ix.search('metformin twice daily eGFR', 5)) expect(ix.score('metformin twice daily eGFR', h.slot)).toBeCloseTo(h.score, 12);
    expect(ix.score('metformin', 99)).toBe(0);
  });

  it('after removals, scores are those of an index that never held the removed passages', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: DOCS.length - 1 })), fc.constantFrom('metformin mg', 'twice daily', 'HbA1c target', 'BP hypertension'), (removed, q) => {
        const ix = indexOf(DOCS);
        for (const r of removed) expect(ix.remove(r)).toBe(true);
        const kept = DOCS.map((d, i) => [i, d] as const).filter(([i]) => !removed.includes(i));
        const fresh = new Bm25Index();
        for (const [i, d] of kept) fresh.add(i, d);
        const a = ix.search(q, 10);
        const b = fresh.search(q, 10);
        expect(a.map((h) => h.slot)).toEqual(b.map((h) => h.slot));
        a.forEach((h, i) => expect(h.score).toBeCloseTo(b[i]!.score, 10));
        for (const r of removed) expect(ix.has(r)).toBe(false);
        expect(ix.size).toBe(kept.length);
      }),
    );
  });

  it('the best k are the first k of the full ranking, for any k', () => {
    const many = Array.from({ length: 120 }, (_, i) => `${DOCS[i % DOCS.length]} note ${i % 7} metformin ${'mg '.repeat(i % 4)}`);
    const ix = indexOf(many);
    const all = ix.search('metformin mg twice note 3', 1000);
    expect(all.length).toBe(120);
    for (let i = 1; i < all.length; i++) expect(all[i - 1]!.score > all[i]!.score || (all[i - 1]!.score === all[i]!.score && all[i - 1]!.slot < all[i]!.slot)).toBe(true);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 130 }), (k) => {
        expect(ix.search('metformin mg twice note 3', k)).toEqual(all.slice(0, k));
      }),
    );
  });

  it('re-adding a slot replaces its text; removing twice is a no-op', () => {
    const ix = indexOf(DOCS);
    const postings = ix.postingCount;
    ix.add(0, 'Warfarin 3 mg');
    expect(ix.search('metformin', 5).map((h) => h.slot)).toEqual([4]);
    expect(ix.search('warfarin', 5).map((h) => h.slot)).toEqual([0]);
    expect(ix.remove(0)).toBe(true);
    expect(ix.remove(0)).toBe(false);
    expect(ix.postingCount).toBeLessThan(postings);
  });
});
