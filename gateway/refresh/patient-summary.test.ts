import { describe, expect, it } from 'vitest';
import type { Disease, Medication, Observation } from '../../core/clinical/extraction.js';
import type { CarePlanRecord } from '../../core/care/records.js';
import { MAX_KEY_LABS, summarizePatient, type SummarySource } from './patient-summary.js';

const span = { start: 0, end: 1 };

function disease(display: string, code: string | null, assertion: Disease['assertion'] = 'present'): Disease {
  return { text: display, display, code: code ? { system: 'http://hl7.org/fhir/sid/icd-10-cm', code } : null, assertion, span, confidence: 0.9 };
}

function medication(name: string, rxcui: string | null, o: Partial<Medication> = {}): Medication {
  return {
    text: name, name, rxcui, strength: null, form: null, route: null, dose: null, frequency: null, duration: null, as_needed: false,
    as_needed_reason: null, status: null, sig: null, dosage: [], span, spans: {}, confidence: 0.9, ...o,
  };
}

function lab(code: string, value: number, date: string | null): Observation {
  return { text: `lab ${code}`, code: { system: 'http://loinc.org', code, display: `Lab ${code}` }, value, value_string: null, unit: 'mg/dL', date, span, confidence: 0.9 };
}

function source(id: string, date: string, x: Partial<SummarySource['extraction']>, kind: SummarySource['kind'] = 'document'): SummarySource {
  return { kind, id, date, extraction: { diseases: [], medications: [], observations: [], ...x } };
}

function plan(activities: CarePlanRecord['activities'], created = '2026-03-01T10:00:00.000Z'): CarePlanRecord {
  const actor = { kind: 'user' as const, id: 'u1', role: 'doctor' };
  return {
    care_plan_id: 'cp_1', tenant_id: 't', patient_id: 'p', note_id: 'n', author: actor, status: 'active', activities,
    replaces: null, superseded_by: null, created_at: created, updated_at: created, revoked_at: null,
  } as CarePlanRecord;
}

describe('summarizePatient', () => {
  it('lists present conditions and active medications with their dose', () => {
    const s = summarizePatient([source('doc_a', '2026-01-10', {
      diseases: [disease('Type 2 diabetes mellitus', 'E11.9'), disease('Asthma', 'J45', 'negated'), disease('Gout', 'M10', 'family')],
      medications: [medication('metformin', '6809', { strength: '500 mg', dose: '1 tablet', frequency: 'BID' })],
    })], null);
    expect(s.active_conditions).toEqual([{ display: 'Type 2 diabetes mellitus', code: 'E11.9', last_seen: '2026-01-10', source: { kind: 'document', id: 'doc_a' } }]);
    expect(s.active_medications).toEqual([{ name: 'metformin', rxcui: '6809', dose: '500 mg, 1 tablet, BID', as_needed: false, last_seen: '2026-01-10', source: { kind: 'document', id: 'doc_a' } }]);
  });

  it('lets a later record change, stop or resolve what an earlier one said, whatever the input order', () => {
    const later = source('nt_b', '2026-02-01', {
      diseases: [disease('Hypertension', 'I10', 'historical')],
      medications: [medication('metformin', '6809', { strength: '1000 mg' }), medication('lisinopril', '29046', { status: 'stopped' })],
    }, 'note');
    const earlier = source('doc_a', '2026-01-10', {
      diseases: [disease('Hypertension', 'I10')],
      medications: [medication('metformin', '6809', { strength: '500 mg' }), medication('lisinopril', '29046', { strength: '10 mg' })],
    });
    for (const order of [[earlier, later], [later, earlier]]) {
      const s = summarizePatient(order, null);
      expect(s.active_conditions).toEqual([]);
      expect(s.active_medications.map((m) => [m.name, m.dose, m.source.id])).toEqual([['metformin', '1000 mg', 'nt_b']]);
    }
  });

  it('keeps the latest dated value of each lab, newest first, at most MAX_KEY_LABS', () => {
    const s = summarizePatient([
      source('doc_a', '2026-01-10', { observations: [lab('4548-4', 8.1, '2025-12-01'), lab('2345-7', 140, null)] }),
      source('doc_b', '2026-01-05', { observations: [lab('4548-4', 7.2, '2026-01-04')] }),
    ], null);
    expect(s.key_labs.map((l) => [l.code, l.value, l.date, l.source.id])).toEqual([['2345-7', 140, '2026-01-10', 'doc_a'], ['4548-4', 7.2, '2026-01-04', 'doc_b']]);
    const many = summarizePatient([source('doc_c', '2026-01-01', { observations: Array.from({ length: 30 }, (_, i) => lab(`1000-${i}`, i, null)) })], null);
    expect(many.key_labs).toHaveLength(MAX_KEY_LABS);
  });

  it('adds the active care plan\'s medications and skips its ended ones', () => {
    const activity = (name: string, status: 'active' | 'ended') => ({
      kind: 'medication' as const, title: name, instruction: `${name} 5 mg once a day`, medication: { name, code: null, dosage: {} }, timing: null,
      as_needed: false, span, source: 'rules' as const, activity_id: `a_${name}`, status, updated_at: '2026-03-01T10:00:00.000Z', updated_by: null,
    });
    const s = summarizePatient([source('doc_a', '2026-01-10', { medications: [medication('amlodipine', null, { strength: '2.5 mg' })] })],
      plan([activity('amlodipine', 'active'), activity('warfarin', 'ended')]));
    expect(s.active_medications).toEqual([{ name: 'amlodipine', rxcui: null, dose: 'amlodipine 5 mg once a day', as_needed: false, last_seen: '2026-03-01', source: { kind: 'care_plan', id: 'cp_1' } }]);
  });

  it('is empty for a patient with no records', () => {
    expect(summarizePatient([], null)).toEqual({ active_conditions: [], active_medications: [], key_labs: [] });
  });
});
