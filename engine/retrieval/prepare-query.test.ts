import { describe, expect, it } from 'vitest';
import { prepareQuery } from './prepare-query.js';

describe('prepareQuery', () => {
  it('gives the lay-expanded text and the time cue of a question', () => {
    const q = prepareQuery('What dose of water tablet am I on now?');
    expect(q.recency).toBe('latest');
    expect(q.text.startsWith('What dose of water tablet am I on now?\n')).toBe(true);
    expect(q.text).toContain('furosemide');
    expect(prepareQuery('HbA1c trend')).toEqual({ text: 'HbA1c trend', recency: null });
  });
});
