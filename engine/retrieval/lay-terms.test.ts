import { describe, expect, it } from 'vitest';
import { layExpansions, retrievalQuery } from './lay-terms.js';

describe('lay terms', () => {
  it('adds clinical words for lay phrases, at word boundaries, case-insensitively', () => {
    expect(layExpansions('What dose of my Water Tablet?')).toEqual(expect.arrayContaining(['diuretic', 'furosemide', 'mg']));
    expect(layExpansions('How is my kidney function?')).toEqual(expect.arrayContaining(['egfr', 'creatinine']));
    expect(layExpansions('Did my bone density scan change?')).toEqual(expect.arrayContaining(['dexa', 'osteoporosis', 'ct']));
    expect(layExpansions('sugarcane juice')).toEqual([]);
  });

  it('leaves a question without lay phrases unchanged, and appends words otherwise', () => {
    expect(retrievalQuery('HbA1c trend')).toBe('HbA1c trend');
    const q = retrievalQuery('Am I on a blood thinner?');
    expect(q.startsWith('Am I on a blood thinner?\n')).toBe(true);
    expect(q).toContain('apixaban');
  });

  it('lists each added word once', () => {
    const words = layExpansions('anaemic, low iron, iron tablet');
    expect(new Set(words).size).toBe(words.length);
  });
});
