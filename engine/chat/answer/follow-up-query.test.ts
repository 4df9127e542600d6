import { describe, expect, it } from 'vitest';
import type { AnswerPassage } from './chat-answer.js';
import { extractiveAnswer } from './extractive-answer.js';
import { followUpQuery, isFollowUp, stepsBack } from './follow-up-query.js';

describe('followUpQuery', () => {
  it('joins a short follow-up to the question it follows', () => {
    expect(followUpQuery(['what is my latest HbA1c?'], 'and the one before that?')).toBe('what is my latest HbA1c? and the one before that?');
    expect(followUpQuery(['Is she on metformin?'], 'what about the dose?')).toBe('Is she on metformin? what about the dose?');
    expect(followUpQuery(['Latest potassium?'], 'when was that?')).toBe('Latest potassium? when was that?');
  });

  it('only uses the latest question, back through a chain of follow-ups', () => {
    expect(followUpQuery(['Metformin dose?', 'Latest HbA1c?'], 'and the one before that?')).toBe('Latest HbA1c? and the one before that?');
    expect(followUpQuery(['Metformin dose?', 'Latest HbA1c?', 'and the one before that?'], 'and before that?'))
      .toBe('Latest HbA1c? and the one before that? and before that?');
  });

  it('leaves a full question, or a follow-up with nothing before it, as it is', () => {
    expect(followUpQuery(['Latest HbA1c?'], 'What dose of metformin am I on?')).toBe('What dose of metformin am I on?');
    expect(followUpQuery([], 'and the one before that?')).toBe('and the one before that?');
    expect(isFollowUp('Has the patient ever been admitted to hospital with a diabetic foot ulcer before this year?')).toBe(false);
    expect(isFollowUp('What did my colonoscopy show?')).toBe(false);
  });
});

describe('stepsBack', () => {
  it('counts how far before the latest a question asks', () => {
    expect(stepsBack('what is my latest HbA1c?')).toBe(0);
    expect(stepsBack('what is my latest HbA1c? and the one before that?')).toBe(1);
    expect(stepsBack('Latest HbA1c? and the one before that? and before that?')).toBe(2);
  });
});

describe('extractiveAnswer with "the one before that"', () => {
  const lab = (id: string, date: string, value: string): AnswerPassage => {
    const passage = `Laboratory report\n\nLABS:\nHbA1c ${value} %.`;
    return { chunkId: id, passage, docId: `doc_${id}`, docType: 'lab_report', docTitle: 'Labs', clinicalDate: date, page: 1, start: 0, end: passage.length, section: { kind: 'preamble', title: '' }, score: 1 };
  };
  const passages = [lab('c', '2026-03-01', '8.1'), lab('b', '2025-09-01', '7.4'), lab('a', '2025-03-01', '6.9')];

  it('says the latest value, the one before it, then the one before that, and nothing past the oldest', () => {
    const said = (question: string) => extractiveAnswer({ question, mode: 'doctor', passages });
    const latest = said('what is my latest HbA1c?');
    expect(latest.text).toContain('8.1');
    expect(latest.text).not.toMatch(/7\.4|6\.9/);
    const before = said(followUpQuery(['what is my latest HbA1c?'], 'and the one before that?'));
    expect(before.text).toContain('7.4');
    expect(before.text).not.toMatch(/8\.1|6\.9/);
    expect(before.sources.map((s) => s.document_id)).toEqual(['doc_b']);
    expect(said('latest HbA1c? and the one before that? and before that?').text).toContain('6.9');
    expect(said('latest HbA1c? the one before that? before that? before that?').found).toBe(false);
  });
});
