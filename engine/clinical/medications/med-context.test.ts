import { describe, expect, it } from 'vitest';
import { windowEnd } from './med-context.js';

const sigOf = (text: string, from: number): string => text.slice(from, windowEnd(text, from, text.length));

describe('windowEnd', () => {
  it('ends the instruction where a conjunction opens a clause with its own subject', () => {
    const t = 'Bisoprolol 5 mg mane and she will see the GP next week.';
    expect(sigOf(t, 16)).toBe('mane');
    const u = 'Levothyroxine 50 mcg daily but labs will be repeated in 6 weeks';
    expect(sigOf(u, 21)).toBe('daily');
  });

  it('keeps conjunctions that continue the instruction', () => {
    const t = 'Insulin 10 units in the morning and at night';
    expect(sigOf(t, 17)).toBe('in the morning and at night');
  });

  it('continues a wrapped instruction on a lower-case or route line, not on a new drug line', () => {
    const t = 'Amlodipine 5 mg 1 tab\nby mouth\nonce daily\nAtenolol 25 mg';
    expect(sigOf(t, 16)).toBe('1 tab\nby mouth\nonce daily');
    const u = 'Citalopram 20 mg one tablet\norally every morning';
    expect(sigOf(u, 17)).toBe('one tablet\norally every morning');
    const v = 'Citalopram 20 mg one tablet\nFollow up in clinic';
    expect(sigOf(v, 17)).toBe('one tablet');
  });
});

describe('lineStart and headerAbove on a note written as one very long line', () => {
  it('look back a bounded window, so a 500 KB one-line note extracts in linear time (it took ~30 s when each mention scanned to the start)', async () => {
    const { lineStart, headerAbove } = await import('./med-context.js');
    const { extractClinical } = await import('../extract.js');
    const line = 'Metformin 500 mg BID and lisinopril 10 mg daily for HTN; '.repeat(9000);
    expect(lineStart(line, line.length)).toBe(line.length - 2000);
    expect(lineStart('Home meds:\nMetformin', 15)).toBe(11);
    expect(headerAbove('HOME MEDICATIONS\nMetformin 500 mg', 20)).toBe('home medications');
    const meds = extractClinical(line).medications.map((m) => m.name).sort();
    expect(meds).toEqual(['lisinopril', 'metformin']);
  }, 20_000);
});
