import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { findDue, isoDateMs, msToIsoDate } from './due-date.js';

const NOTE = '2026-12-02';

describe('findDue', () => {
  it.each([
    ['Follow up in 2 weeks with reports', '2026-12-16', 'in 2 weeks'],
    ['Repeat creatinine after 10 days.', '2026-12-12', 'after 10 days'],
    ['Get bloods done next week', '2026-12-09', 'next week'],
    ['Review on 15/12 with reports', '2026-12-15', 'on 15/12'],
    ['Review on 05/01', '2027-01-05', 'on 05/01'],
    ['Review on 12/25', '2026-12-25', 'on 12/25'],
    ['Come back on 3-1-2027', '2027-01-03', 'on 3-1-2027'],
    ['Review in 2/52', '2026-12-16', 'in 2/52'],
    ['Review in a fortnight', '2026-12-16', 'in a fortnight'],
    ['see us again in one month', '2027-01-02', 'in one month'],
    ['Dressing review tomorrow', '2026-12-03', 'tomorrow'],
    ['Next visit on 20th December', '2026-12-20', '20th December'],
    ['OPD review Jan 4th', '2027-01-04', 'Jan 4th'],
    ['Collect medicines today', '2026-12-02', 'today'],
    ['Review in 3-4 days', '2026-12-05', 'in 3-4 days'],
    ['Come back after a couple of weeks', '2026-12-16', 'after a couple of weeks'],
  ])('%s → %s', (sentence, due, phrase) => {
    const m = findDue(sentence, NOTE);
    expect(m?.due).toBe(due);
    expect(m?.text).toBe(phrase);
    expect(sentence.slice(m!.start, m!.end)).toBe(phrase);
  });

  it('month ends clamp: one month after 31 January is the last day of February', () => {
    expect(findDue('review in 1 month', '2027-01-31')?.due).toBe('2027-02-28');
  });

  it('gives nothing for sentences without a due phrase, impossible dates or a bad note date', () => {
    expect(findDue('Walk 30 minutes daily', NOTE)).toBeNull();
    expect(findDue('Review on 31/02/2027', NOTE)).toBeNull();
    expect(findDue('Review on 45/45', NOTE)).toBeNull();
    expect(findDue('Review in 2 weeks', '2026-02-30')).toBeNull();
    expect(findDue('Review in 2 weeks', 'yesterday')).toBeNull();
  });

  it('never throws and never gives a due date before the note date or one that is not ISO (property)', () => {
    const words = fc.constantFrom('in', 'after', 'on', 'next', 'week', 'month', 'days', '2', '15/12', '31/02', 'tomorrow', 'a', 'fortnight', '2/52', 'Dec', '15th', ' ', '-', '.');
    fc.assert(fc.property(fc.array(words, { maxLength: 12 }), fc.integer({ min: 0, max: 3650 }), (parts, offset) => {
      const note = msToIsoDate(Date.UTC(2024, 0, 1) + offset * 86_400_000);
      const m = findDue(parts.join(' '), note);
      if (m === null) return true;
      return /^\d{4}-\d{2}-\d{2}$/.test(m.due) && isoDateMs(m.due)! >= isoDateMs(note)!;
    }));
    fc.assert(fc.property(fc.string({ maxLength: 200 }), (s) => { findDue(s, NOTE); return true; }));
  });
});
