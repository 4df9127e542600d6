import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { findSections } from './find-sections.js';

const kinds = (t: string) => findSections(t).map((s) => s.kind);

describe('sections under Markdown and patient-facing discharge headings', () => {
  it('reads # headings, bold headings and bold labels', () => {
    expect(kinds('# Medications\n- metformin 500 mg bid\n## Plan\nContinue.')).toEqual(['medications', 'plan']);
    expect(kinds('**Assessment:** stable angina\n**Plan**\nrest')).toEqual(['assessment', 'plan']);
    expect(kinds('### Hospital course\nuneventful')).toEqual(['other']);
  });

  it('does not take bold emphasis for a heading', () => {
    expect(kinds('**important** take with food')).toEqual([]);
  });

  it('reads ALL-CAPS and discharge list headings', () => {
    expect(kinds('HOME MEDS\naspirin\nDISCHARGE MEDICATIONS\nx')).toEqual(['medications_current', 'medications_discharge']);
    expect(kinds('START TAKING these medications:\na\nSTOP TAKING these medications:\nb\nCONTINUE TAKING these medications:\nc\nCHANGE HOW YOU TAKE these medications:\nd'))
      .toEqual(['medications_new', 'medications_new', 'medications_current', 'medications_new']);
  });

  it('a heading span starts at its marker and sections never overlap (property)', () => {
    const line = fc.constantFrom('# Medications', '## Plan', '**Assessment:**', 'HOME MEDS', 'aspirin 81 mg daily', '', 'text', '#', '**', '__x__');
    fc.assert(fc.property(fc.array(line, { maxLength: 12 }), (lines) => {
      const text = lines.join('\n');
      const out = findSections(text);
      for (let i = 0; i < out.length; i++) {
        expect(out[i]!.span.end).toBeLessThanOrEqual(text.length);
        if (i > 0) expect(out[i]!.span.start).toBeGreaterThanOrEqual(out[i - 1]!.span.end);
      }
    }), { numRuns: 300 });
  });
});
