import { describe, expect, it } from 'vitest';
import { parseForm, parseStrength, repairOcrDigits } from './strength-form.js';

describe('parseForm', () => {
  it.each([
    [' 0.05% ointment', null],
    [' cream', 'cream'],
    [' topical gel', 'gel'],
    [' ointment', 'ointment'],
    [' lotion', 'lotion'],
    [' oral suspension', 'suspension'],
    [' susp', 'suspension'],
    [' syrup', 'syrup'],
    [' oral solution', 'solution'],
    [' liquid', 'oral liquid'],
  ])('%s → %s', (text, form) => {
    expect(parseForm(text, 0)?.value ?? null).toBe(form);
  });

  it('keeps the topical route for topical forms', () => {
    expect(parseForm(' ointment', 0)?.route).toBe('topical');
  });
});

describe('OCR digits in strengths', () => {
  it('reads a letter O or l inside a number as a digit, keeping the length', () => {
    expect(repairOcrDigits('2O mg')).toBe('20 mg');
    expect(repairOcrDigits('1l0mg')).toBe('110mg');
    expect(repairOcrDigits('5 mg od')).toBe('5 mg od');
    expect(parseStrength('x 4O mg', 1)).toMatchObject({ value: '40 mg', span: { start: 2, end: 7 } });
  });

  it('leaves words alone', () => {
    expect(repairOcrDigits('2 Oral')).toBe('2 Oral');
    expect(parseStrength(' 1 OD', 0)).toBeNull();
  });
});
