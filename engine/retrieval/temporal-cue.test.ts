import { describe, expect, it } from 'vitest';
import { temporalCue } from './temporal-cue.js';

describe('temporalCue', () => {
  it('reads latest, earliest or no time from the words of a question', () => {
    expect(temporalCue('What dose of metformin am I on now?')).toBe('latest');
    expect(temporalCue('What was my last HbA1c?')).toBe('latest');
    expect(temporalCue('Is there any stone still left?')).toBe('latest');
    expect(temporalCue('What was the troponin at presentation?')).toBe('earliest');
    expect(temporalCue('What was my blood pressure at my first visit?')).toBe('earliest');
    expect(temporalCue('What did the echo show?')).toBeNull();
    // Words inside other words do not count ("nowhere", "lastly" is a word of its own).
    expect(temporalCue('Is the pain anywhere nowhere?')).toBeNull();
    // Both cues: no single time.
    expect(temporalCue('How does my first HbA1c compare with the latest?')).toBeNull();
  });
});
