import { describe, expect, it } from 'vitest';
import type { PatientSummary } from '../refresh/patient-summary.js';
import { ageOn, summaryStats } from './summary-stats.js';

describe('ageOn', () => {
  it('counts whole years, a birthday counting from its day', () => {
    expect(ageOn('1960-06-15', '2026-06-14')).toBe(65);
    expect(ageOn('1960-06-15', '2026-06-15')).toBe(66);
    expect(ageOn('2000-02-29', '2026-02-28')).toBe(25);
    expect(ageOn('2000-02-29', '2026-03-01')).toBe(26);
    expect(ageOn(null, '2026-06-15')).toBeNull();
  });
});

describe('summaryStats', () => {
  it("reads a summary's conditions, medications with dose and latest labs with dates, with the age and last consultation", () => {
    const source = { kind: 'document' as const, id: 'doc_1' };
    const summary: PatientSummary = {
      active_conditions: [{ display: 'Type 2 diabetes mellitus', code: '44054006', last_seen: '2026-03-10', source }],
      active_medications: [{ name: 'Metformin', rxcui: '6809', dose: '500 mg, BID', as_needed: false, last_seen: '2026-03-10', source }],
      key_labs: [{ code: '4548-4', text: 'HbA1c', value: 8.1, value_string: null, unit: '%', date: '2026-03-01', source }],
    };
    expect(summaryStats({ birthDate: '1970-05-01', today: '2026-12-02', lastConsultation: '2026-03-10', summary, version: 3 })).toEqual({
      age: 56,
      last_consultation: '2026-03-10',
      active_conditions: [{ display: 'Type 2 diabetes mellitus', code: '44054006', last_seen: '2026-03-10' }],
      active_medications: [{ name: 'Metformin', dose: '500 mg, BID', last_seen: '2026-03-10' }],
      latest_labs: [{ code: '4548-4', text: 'HbA1c', value: 8.1, value_string: null, unit: '%', date: '2026-03-01' }],
      summary_version: 3,
    });
  });
});
