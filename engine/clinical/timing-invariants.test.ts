import { describe, expect, it } from 'vitest';
import { validateTiming } from './timing-invariants.js';

describe('validateTiming', () => {
  it('accepts a well-formed BID timing and an empty one', () => {
    expect(validateTiming({ repeat: { frequency: 2, period: 1, periodUnit: 'd' } })).toEqual([]);
    expect(validateTiming({})).toEqual([]);
    expect(validateTiming({ repeat: { when: ['ACM'], offset: 30, frequency: 1, period: 1, periodUnit: 'd' } })).toEqual([]);
  });

  it.each([
    ['tim-1', { duration: 30 }],
    ['tim-2', { period: 1, frequency: 1 }],
    ['tim-4', { duration: -1, durationUnit: 'min' as const }],
    ['tim-5', { period: -2, periodUnit: 'h' as const }],
    ['tim-6', { periodMax: 6, periodUnit: 'h' as const }],
    ['tim-7', { durationMax: 5, durationUnit: 'min' as const }],
    ['tim-8', { countMax: 3 }],
    ['tim-9', { offset: 30 }],
    ['tim-10', { timeOfDay: ['08:00:00'], when: ['MORN'] }],
  ])('reports %s', (id, repeat) => {
    expect(validateTiming({ repeat })).toContain(id);
  });

  it('rejects an offset relative to a meal-time "with" code (tim-9)', () => {
    expect(validateTiming({ repeat: { when: ['CM'], offset: 10 } })).toEqual(['tim-9']);
  });

  it('lists several violations in id order', () => {
    expect(validateTiming({ repeat: { duration: 1, period: 2, countMax: 1 } })).toEqual(['tim-1', 'tim-2', 'tim-8']);
  });
});
