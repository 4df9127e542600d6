import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildGroundingIndex, groundValue, normaliseForGrounding } from './grounding.js';

const SOURCE = 'Pt on Metf0rmin 5OO rng  PO twice\n daily. lnsulin glargine 10 units QHS. Dr. Jane Srnith';

describe('groundValue', () => {
  const ix = buildGroundingIndex(SOURCE);
  const slice = (v: string) => {
    const g = groundValue(ix, v);
    return g ? SOURCE.slice(g.span.start, g.span.end) : null;
  };

  it('finds exact values first', () => {
    expect(groundValue(ix, '10 units')).toEqual({ span: { start: SOURCE.indexOf('10 units'), end: SOURCE.indexOf('10 units') + 8 }, exact: true });
  });

  it.each([
    ['metformin 500 mg', 'Metf0rmin 5OO rng'],
    ['twice daily', 'twice\n daily'],
    ['Insulin', 'lnsulin'],
    ['jane smith', 'Jane Srnith'],
    ['  po  ', 'PO'],
  ])('grounds %j after folding case, spacing and OCR confusions', (value, found) => {
    expect(slice(value)).toBe(found);
  });

  it.each([['aspirin'], ['in'], ['units QHS daily'], [''], ['   ']])('refuses %j (absent, inside a word, or blank)', (value) => {
    expect(groundValue(ix, value)).toBeNull();
  });

  it('picks the occurrence nearest a hint', () => {
    const src = 'metformin 500 mg daily; later metformin 1000 mg BID';
    const i = buildGroundingIndex(src);
    expect(groundValue(i, 'metformin', 30)?.span.start).toBe(src.lastIndexOf('metformin'));
    expect(groundValue(i, 'metformin')?.span.start).toBe(0);
  });

  const word = fc.stringMatching(/^[a-z0-9]{1,8}$/);
  const OCR: Record<string, string> = { o: '0', l: '1', s: '5', m: 'rn', i: 'l' };

  it('property: any word run of the source, re-cased, re-spaced and OCR-garbled, grounds to an equivalent span', () => {
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 12 }), fc.nat(), fc.nat(), fc.array(fc.boolean(), { minLength: 64, maxLength: 64 }), (words, a, b, flips) => {
        const source = words.join(' ');
        const from = a % words.length;
        const to = from + (b % (words.length - from));
        const value = words.slice(from, to + 1).join(' ');
        const garbled = [...value].map((c, k) => (flips[k % 64] ? (OCR[c] ?? c.toUpperCase()) : c)).join('').replace(/ /g, '  \n');
        const g = groundValue(buildGroundingIndex(source), garbled);
        expect(g).not.toBeNull();
        expect(normaliseForGrounding(source.slice(g!.span.start, g!.span.end))).toBe(normaliseForGrounding(value));
      }),
    );
  });

  it('property: a grounded span always normalises to the value and lies inside the source', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), fc.string({ maxLength: 12 }), (source, value) => {
        const g = groundValue(buildGroundingIndex(source), value);
        if (!g) return;
        expect(g.span.start).toBeGreaterThanOrEqual(0);
        expect(g.span.end).toBeLessThanOrEqual(source.length);
        expect(normaliseForGrounding(source.slice(g.span.start, g.span.end))).toBe(normaliseForGrounding(value));
      }),
    );
  });
});
