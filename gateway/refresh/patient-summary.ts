/**
 * A patient's extraction summary (issue 9, RAG refresh), a pure function of what the patient's
 * records say: the extractions of their analysed documents and settled notes, and their active
 * care plan. Sources are read oldest first (by clinical date, then id), so a later record wins:
 * a condition a later record negates or calls historical is no longer active, a medication a later
 * record stops, holds or calls past is no longer active, and each lab keeps its latest dated value.
 */
import { z } from 'zod';
import type { Extraction } from '../../core/clinical/extraction.js';
import type { CarePlanRecord } from '../../core/care/records.js';

export const SUMMARY_SOURCE_KINDS = ['document', 'note', 'care_plan'] as const;
const SourceRefSchema = z.object({ kind: z.enum(SUMMARY_SOURCE_KINDS), id: z.string() });
export type SourceRef = z.infer<typeof SourceRefSchema>;

const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const PatientSummarySchema = z.object({
  active_conditions: z.array(z.object({
    display: z.string(), code: z.string().nullable(), last_seen: IsoDate, source: SourceRefSchema,
  })),
  active_medications: z.array(z.object({
    name: z.string(), rxcui: z.string().nullable(),
    /** Strength, dose and frequency as extracted ("500 mg, 1 tablet, BID"); null when none was stated. */
    dose: z.string().nullable(), as_needed: z.boolean(), last_seen: IsoDate, source: SourceRefSchema,
  })),
  key_labs: z.array(z.object({
    code: z.string(), text: z.string(), value: z.number().nullable(), value_string: z.string().nullable(),
    unit: z.string().nullable(), date: IsoDate, source: SourceRefSchema,
  })),
});
export type PatientSummary = z.infer<typeof PatientSummarySchema>;

/** One analysed record of the patient: its kind and id, its clinical date (YYYY-MM-DD) and its extraction. */
export interface SummarySource {
  kind: 'document' | 'note';
  id: string;
  date: string;
  extraction: Pick<Extraction, 'diseases' | 'medications' | 'observations'>;
}

/** Labs kept in a summary: the latest of each LOINC code, newest first. */
export const MAX_KEY_LABS = 20;

const INACTIVE_CONDITION = new Set(['negated', 'historical']);
const INACTIVE_MEDICATION = new Set(['stopped', 'held', 'past']);

function doseOf(parts: Array<string | null | undefined>): string | null {
  const kept = parts.filter((p): p is string => typeof p === 'string' && p.trim() !== '');
  return kept.length > 0 ? kept.join(', ') : null;
}

const byDateThenId = (a: { date: string; id: string }, b: { date: string; id: string }) =>
  a.date < b.date ? -1 : a.date > b.date ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;

/** The summary of `sources` and the active care plan `plan` (see the module comment). Pure. */
export function summarizePatient(sources: readonly SummarySource[], plan: CarePlanRecord | null): PatientSummary {
  const conditions = new Map<string, PatientSummary['active_conditions'][number]>();
  const medications = new Map<string, PatientSummary['active_medications'][number]>();
  const labs = new Map<string, PatientSummary['key_labs'][number]>();
  type Step = { date: string; id: string; apply: () => void };
  const steps: Step[] = sources.map((s) => ({ date: s.date, id: s.id, apply: () => readSource(s) }));
  if (plan && plan.status === 'active') {
    steps.push({ date: plan.created_at.slice(0, 10), id: plan.care_plan_id, apply: () => readPlan(plan) });
  }

  function readSource(s: SummarySource): void {
    const source: SourceRef = { kind: s.kind, id: s.id };
    for (const d of s.extraction.diseases) {
      const key = d.code?.code ?? d.display.toLowerCase();
      if (d.assertion === 'present') conditions.set(key, { display: d.display, code: d.code?.code ?? null, last_seen: s.date, source });
      else if (INACTIVE_CONDITION.has(d.assertion)) conditions.delete(key);
    }
    for (const m of s.extraction.medications) {
      const key = m.rxcui ?? m.name.toLowerCase();
      if (m.status && INACTIVE_MEDICATION.has(m.status)) {
        medications.delete(key);
        continue;
      }
      medications.set(key, {
        name: m.name, rxcui: m.rxcui, dose: doseOf([m.strength, m.dose, m.frequency, m.duration]) ?? m.sig, as_needed: m.as_needed, last_seen: s.date, source,
      });
    }
    for (const o of s.extraction.observations) {
      const code = o.code.code;
      if (!code || (o.value === null && o.value_string === null)) continue;
      const date = o.date ?? s.date;
      const seen = labs.get(code);
      if (seen && seen.date > date) continue;
      labs.set(code, { code, text: o.code.display ?? o.text, value: o.value, value_string: o.value_string, unit: o.unit, date, source });
    }
  }

  function readPlan(p: CarePlanRecord): void {
    const source: SourceRef = { kind: 'care_plan', id: p.care_plan_id };
    for (const a of p.activities) {
      if (a.kind !== 'medication' || !a.medication || a.status !== 'active') continue;
      const coding = a.medication.code?.coding?.find((c) => c.code);
      const key = coding?.code ?? a.medication.name.toLowerCase();
      const seen = medications.get(key);
      medications.set(key, {
        name: seen?.name ?? a.medication.name, rxcui: seen?.rxcui ?? coding?.code ?? null,
        dose: a.instruction.trim() !== '' ? a.instruction : seen?.dose ?? null, as_needed: a.as_needed,
        last_seen: p.created_at.slice(0, 10), source,
      });
    }
  }

  for (const step of steps.sort(byDateThenId)) step.apply();
  const byName = <T extends { display?: string; name?: string }>(a: T, b: T) => (a.display ?? a.name ?? '').localeCompare(b.display ?? b.name ?? '');
  return {
    active_conditions: [...conditions.values()].sort(byName),
    active_medications: [...medications.values()].sort(byName),
    key_labs: [...labs.values()].sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : a.code.localeCompare(b.code))).slice(0, MAX_KEY_LABS),
  };
}
