import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { extractClinical } from '../extract.js';
import { planItemsFrom } from './plan-items.js';
import type { PlanItems } from '../../../core/care/plan-items.js';

const NOTE_DATE = '2026-12-02';
const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const plan = (text: string): PlanItems => planItemsFrom(text, extractClinical(text), NOTE_DATE);
const spanText = (text: string, s: { start: number; end: number }) => text.slice(s.start, s.end);

describe('planItemsFrom: a discharge summary', () => {
  const text = fixture('discharge-diabetes.txt');
  const items = plan(text);
  const activity = (title: string) => items.activities.find((a) => a.title.startsWith(title));

  it('plans every active medication with its Dosage and Timing, 1-0-1 as twice a day', () => {
    expect(items.activities.filter((a) => a.kind === 'medication').map((a) => a.medication!.name)).toEqual(['metformin', 'amlodipine', 'pantoprazole', 'acetaminophen']);
    const metformin = activity('Metformin')!;
    expect(metformin.timing?.repeat).toMatchObject({ frequency: 2, period: 1, periodUnit: 'd', boundsDuration: { value: 30, code: 'd' } });
    expect(metformin.medication!.dosage.doseAndRate?.[0]?.doseQuantity?.value).toBe(1);
    expect(spanText(text, metformin.span)).toContain('Metformin 500 mg 1-0-1');
    expect(activity('Pantoprazole')!.timing?.repeat?.when).toEqual(['AC']);
  });

  it('marks a PRN medicine as needed, and neither stopped nor denied medicines become activities', () => {
    expect(activity('Paracetamol')).toMatchObject({ as_needed: true, timing: null });
    expect(items.activities.some((a) => /glimepiride|aspirin/i.test(a.title))).toBe(false);
    expect(items.warnings).toContain('stopped_medication_not_planned');
  });

  it('turns recurring advice into activities with a FHIR Timing', () => {
    expect(activity('Check blood sugar')).toMatchObject({ kind: 'measurement', timing: { repeat: { when: ['ACM'], frequency: 1, period: 1, periodUnit: 'd' } } });
    expect(activity('Walk')).toMatchObject({ kind: 'exercise', timing: { repeat: { frequency: 1, period: 1, periodUnit: 'd', duration: 30, durationUnit: 'min' } } });
    expect(activity('Change the dressing')).toMatchObject({ kind: 'wound_care', timing: { repeat: { frequency: 1, period: 2, periodUnit: 'd' } } });
  });

  it('lists the checklist with due dates computed from the note date and the span of each sentence', () => {
    const byKind = Object.fromEntries(items.tasks.map((t) => [t.kind, t]));
    expect(byKind['stop_medicine']).toMatchObject({ description: 'Stop Glimepiride', medication: 'glimepiride', due: null });
    expect(byKind['collect_medicine']).toMatchObject({ description: 'Buy glucometer strips' });
    expect(byKind['book_follow_up']).toMatchObject({ due: '2026-12-16', due_text: 'in 2 weeks' });
    expect(spanText(text, byKind['book_follow_up']!.span)).toBe('Follow up in 2 weeks with HbA1c report.');
    expect(byKind['get_tests']).toMatchObject({ due: '2026-12-09', due_text: 'next week' });
    expect(byKind['referral']).toMatchObject({ description: 'Referral to ophthalmology' });
    expect(items.tasks).toHaveLength(5);
    // "check blood sugar daily" is a plan activity, not a test to book
    expect(items.tasks.some((t) => spanText(text, t.span).includes('blood sugar'))).toBe(false);
  });
});

describe('planItemsFrom: a full discharge summary', () => {
  const text = fixture('discharge-summary-full.txt');
  const items = plan(text);

  it('plans the discharge medications only: the insulin infusion of the hospital course is not a home medicine', () => {
    expect(items.activities.filter((a) => a.kind === 'medication').map((a) => a.medication!.name)).toEqual([
      'insulin glargine', 'metformin', 'amoxicillin-clavulanate', 'telmisartan', 'atorvastatin', 'pantoprazole', 'acetaminophen',
    ]);
    expect(items.warnings).toContain('medication_outside_plan_not_planned');
    expect(items.activities.find((a) => a.medication?.name === 'insulin glargine')?.timing?.repeat?.when).toEqual(['HS']);
  });

  it('two named times a day are two checks: sugar before breakfast and before dinner', () => {
    const sugar = items.activities.find((a) => a.title === 'Check blood sugar')!;
    expect(sugar.timing?.repeat).toMatchObject({ frequency: 2, period: 1, periodUnit: 'd', when: ['ACM', 'ACV'] });
  });

  it('the stop task points at the sentence that stops the drug, and safety-netting is not a visit to book', () => {
    const stop = items.tasks.find((t) => t.kind === 'stop_medicine')!;
    expect(spanText(text, stop.span)).toBe('Stop Glimepiride.');
    expect(items.tasks.map((t) => t.kind)).toEqual(['stop_medicine', 'collect_medicine', 'book_follow_up', 'get_tests', 'referral']);
    expect(items.tasks.find((t) => t.kind === 'referral')?.description).toBe('Referral to podiatry');
  });
});

describe('planItemsFrom: meal-time medicines', () => {
  it('"daily before breakfast and before dinner" is a twice-daily medicine, as is "before breakfast and at bedtime"', () => {
    const text = 'Plan:\n1. Tab Metformin 500 mg daily before breakfast and before dinner.\n2. Inj Insulin glargine 10 units before breakfast and at bedtime.\n3. Tab Atorvastatin 10 mg 0-0-1.';
    const items = plan(text);
    const med = (name: string) => items.activities.find((a) => a.medication?.name === name)!;
    expect(med('metformin').timing?.repeat).toMatchObject({ frequency: 2, period: 1, periodUnit: 'd', when: ['ACM', 'ACV'] });
    expect(med('insulin glargine').timing?.repeat).toMatchObject({ frequency: 2, when: ['ACM', 'HS'] });
    expect(med('atorvastatin').timing?.repeat).toMatchObject({ frequency: 1, when: ['NIGHT'] });
  });
});

describe('planItemsFrom: OPD notes and Indian prescriptions', () => {
  it('OPD note: 0-0-1 at night, a stopped drug as a task, review on a DD/MM date, tests after 10 days', () => {
    const text = fixture('opd-hypertension.txt');
    const items = plan(text);
    const amlo = items.activities.find((a) => a.medication?.name === 'amlodipine')!;
    expect(amlo.timing?.repeat).toMatchObject({ frequency: 1, when: ['NIGHT'] });
    expect(items.tasks.map((t) => [t.kind, t.due])).toEqual([
      ['stop_medicine', null], ['get_tests', '2026-12-12'], ['book_follow_up', '2026-12-15'],
    ]);
    expect(items.activities.find((a) => a.kind === 'measurement')?.timing?.repeat).toMatchObject({ frequency: 2, period: 1, periodUnit: 'wk' });
    expect(items.activities.some((a) => a.medication?.name === 'atenolol')).toBe(false);
  });

  it('prescription: 1-1-1 and TDS are three times a day, SOS is as needed, collect today, come back after 5 days', () => {
    const text = fixture('rx-fever-tds.txt');
    const items = plan(text);
    const med = (n: string) => items.activities.find((a) => a.medication?.name === n)!;
    expect(med('acetaminophen').timing?.repeat).toMatchObject({ frequency: 3, boundsDuration: { value: 5 } });
    expect(med('ambroxol').timing?.repeat).toMatchObject({ frequency: 3 });
    expect(med('cetirizine').as_needed).toBe(true);
    expect(items.activities.find((a) => a.kind === 'other')).toMatchObject({ title: 'Steam inhalation', timing: { repeat: { frequency: 2 } } });
    expect(items.tasks.map((t) => [t.kind, t.due])).toEqual([['collect_medicine', '2026-12-02'], ['book_follow_up', '2026-12-07']]);
    // "Drink plenty of fluids" has no schedule: advice, not a reminder
    expect(items.activities.some((a) => a.kind === 'diet')).toBe(false);
  });

  it('a tapering course runs its phases one after another, never two at once; a past medicine is not planned', () => {
    const items = plan(fixture('taper-asthma.txt'));
    const pred = items.activities.filter((a) => a.medication?.name === 'prednisolone');
    expect(pred.map((a) => [a.instruction, a.timing?.repeat?.boundsPeriod])).toEqual([
      ['40 mg QD', { start: '2026-12-02', end: '2026-12-06' }],
      ['20 mg QD', { start: '2026-12-07', end: '2026-12-11' }],
    ]);
    expect(pred.every((a) => a.timing?.repeat?.boundsDuration === undefined)).toBe(true);
    expect(items.activities.some((a) => a.medication?.name === 'montelukast')).toBe(false);
    expect(items.activities.find((a) => a.kind === 'exercise')?.timing?.repeat).toMatchObject({ period: 2, periodUnit: 'h' });
    expect(items.activities.find((a) => a.kind === 'exercise')?.timing?.repeat?.duration).toBeUndefined();
  });

  it('a medicine the hybrid extractor took from the model (grounded there) is marked source model', () => {
    const text = 'Tab Metformin 500 mg 1-0-1. Tab Amlodipine 5 mg OD.';
    const e = extractClinical(text);
    const items = planItemsFrom(text, { ...e, extractor: 'hybrid', provenance: [{ path: 'medications[1].name', source: 'llm' }, { path: 'medications[0].name', source: 'both' }] }, NOTE_DATE);
    expect(items.activities.map((a) => [a.medication?.name, a.source])).toEqual([['metformin', 'rules'], ['amlodipine', 'model']]);
  });

  it('a step said twice is one step', () => {
    const items = plan('Check BP twice a week.\nFollow up in 2 weeks.\nAdvice: Check BP twice a week.\nFollow up in 2 weeks.');
    expect(items.activities).toHaveLength(1);
    expect(items.tasks).toHaveLength(1);
  });

  it('a note with nothing actionable yields no items', () => {
    const items = plan('Patient seen. Feeling better. No complaints. Examination normal.');
    expect(items).toMatchObject({ tasks: [], activities: [] });
  });

  it('refuses a note date that is not an ISO date', () => {
    expect(() => planItemsFrom('Walk daily', extractClinical('Walk daily'), '02/12/2026')).toThrowError(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
  });

  it('never throws on any text, and every span lies inside the note (property)', () => {
    const pieces = fc.constantFrom('Tab Metformin 500 mg 1-0-1', 'stop aspirin', 'Follow up in 2 weeks', 'check BP twice a week', 'walk daily', '\n', '. ', 'buy strips', 'refer to cardiology', 'x 5 days', 'SOS');
    fc.assert(fc.property(fc.array(fc.oneof(pieces, fc.string({ maxLength: 20 })), { maxLength: 15 }), (parts) => {
      const text = parts.join(' ');
      const items = plan(text);
      return [...items.tasks, ...items.activities].every((i) => i.span.start <= i.span.end && i.span.end <= text.length);
    }), { numRuns: 150 });
  });
});
