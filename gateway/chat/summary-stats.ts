/**
 * The patient summary stats on a doctor-mode chat answer (issue 9): age, last consultation, active
 * conditions, active medications with dose and the latest key labs with dates. The clinical part
 * is the patient's extraction summary (refresh/patient-summary.ts): the latest stored refresh
 * version when there is one, else the same pure function over the same sources, computed now.
 */
import { z } from '@hono/zod-openapi';
import { summarizePatient, type PatientSummary } from '../refresh/patient-summary.js';
import { listAll, readSummarySources } from '../refresh/summary-sources.js';
import type { Store } from '../store/store.js';
import type { PatientRecord } from '../store/patient-records.js';

export const PatientSummaryStatsSchema = z
  .object({
    age: z.number().int().nullable().openapi({ description: "Whole years from the patient's birth date (null when none is recorded)." }),
    last_consultation: z.string().nullable().openapi({ description: "The latest settled note's or consultation_note document's date (ISO), or null." }),
    active_conditions: z.array(z.object({ display: z.string(), code: z.string().nullable(), last_seen: z.string() })),
    active_medications: z.array(z.object({ name: z.string(), dose: z.string().nullable(), last_seen: z.string() })),
    latest_labs: z.array(z.object({
      code: z.string(), text: z.string(), value: z.number().nullable(), value_string: z.string().nullable(), unit: z.string().nullable(), date: z.string(),
    })).openapi({ description: 'The latest value of each key lab, newest first.' }),
    summary_version: z.number().int().nullable().openapi({ description: 'The stored refresh version these come from; null: computed now (no refresh stored yet).' }),
  })
  .openapi('PatientSummaryStats');
export type PatientSummaryStats = z.infer<typeof PatientSummaryStatsSchema>;

/** Whole years between `birthDate` and `today` (both `YYYY-MM-DD`); null without a birth date. */
export function ageOn(birthDate: string | null, today: string): number | null {
  if (birthDate === null) return null;
  const years = Number(today.slice(0, 4)) - Number(birthDate.slice(0, 4));
  return today.slice(5, 10) < birthDate.slice(5, 10) ? years - 1 : years;
}

/** The stats of a summary (pure): see the module comment. */
export function summaryStats(input: { birthDate: string | null; today: string; lastConsultation: string | null; summary: PatientSummary; version: number | null }): PatientSummaryStats {
  const s = input.summary;
  return {
    age: ageOn(input.birthDate, input.today),
    last_consultation: input.lastConsultation,
    active_conditions: s.active_conditions.map((c) => ({ display: c.display, code: c.code, last_seen: c.last_seen })),
    active_medications: s.active_medications.map((m) => ({ name: m.name, dose: m.dose, last_seen: m.last_seen })),
    latest_labs: s.key_labs.map((l) => ({ code: l.code, text: l.text, value: l.value, value_string: l.value_string, unit: l.unit, date: l.date })),
    summary_version: input.version,
  };
}

/** The date of the patient's latest settled note or indexed consultation_note document, or null. */
async function lastConsultation(store: Store, tenantId: string, patientId: string): Promise<string | null> {
  const page = (cursor: string | undefined) => ({ limit: 100, ...(cursor ? { cursor } : {}) });
  const notes = await listAll((c) => store.notes.listByPatient(tenantId, patientId, page(c)));
  const letters = await listAll((c) => store.documents.listByPatient(tenantId, patientId, page(c), (d) => d.type === 'consultation_note' && d.status === 'INDEXED'));
  const dates = [
    ...notes.filter((n) => n.processed_at !== null && n.status !== 'failed').map((n) => n.note_date),
    ...letters.map((d) => d.clinical_date ?? d.created_at.slice(0, 10)),
  ];
  return dates.reduce<string | null>((latest, d) => (latest === null || d > latest ? d : latest), null);
}

/** The patient's summary stats now (see the module comment). */
export async function patientSummaryStats(store: Store, patient: PatientRecord, today = new Date().toISOString().slice(0, 10)): Promise<PatientSummaryStats> {
  const { tenant_id: tenantId, patient_id: patientId } = patient;
  const stored = await store.summaries.latest(tenantId, patientId);
  const summary = stored ? stored.summary : await readSummarySources(store, tenantId, patientId).then((s) => summarizePatient(s.sources, s.plan));
  return summaryStats({ birthDate: patient.birth_date, today, lastConsultation: await lastConsultation(store, tenantId, patientId), summary, version: stored?.version ?? null });
}
