/** Request and response shapes of the refresh routes (OpenAPI). */
import { z } from '@hono/zod-openapi';
import { PatientSummarySchema } from './patient-summary.js';
import { REFRESH_TRIGGERS, SummaryInputSchema } from '../store/summaries-repo.js';
import { REFRESH_JOB_STATUSES, type RefreshJob } from './refresh-queue.js';
import type { PatientSummaryRecord } from '../store/summaries-repo.js';

const ID = z.string().min(1).max(64);
export const RefreshJobParam = z.object({ id: ID, job_id: ID });

const Trigger = z.enum(REFRESH_TRIGGERS);

export const RefreshJobSchema = z.object({
  job_id: z.string(), patient_id: z.string(), status: z.enum(REFRESH_JOB_STATUSES), triggers: z.array(Trigger),
  created_at: z.string(), started_at: z.string().nullable(), finished_at: z.string().nullable(),
  version: z.number().int().nullable(), error: z.object({ code: z.string() }).nullable(),
}).openapi('RefreshJob');

export const RefreshAcceptedSchema = z.object({
  status: z.literal('accepted'), job_id: z.string(), status_url: z.string(), job: RefreshJobSchema,
  metadata: z.object({ timestamp: z.string(), request_id: z.string() }),
});

export const SummaryViewSchema = z.object({
  patient_id: z.string(), version: z.number().int(), trigger: Trigger, triggers: z.array(Trigger), job_id: z.string(),
  inputs: z.array(SummaryInputSchema), started_at: z.string(), finished_at: z.string(),
  active_conditions: PatientSummarySchema.shape.active_conditions,
  active_medications: PatientSummarySchema.shape.active_medications,
  key_labs: PatientSummarySchema.shape.key_labs,
}).openapi('PatientSummary');

export function jobView(job: RefreshJob): z.infer<typeof RefreshJobSchema> {
  const { tenant_id: _tenant, ...view } = job;
  return { ...view, triggers: [...view.triggers], error: view.error ? { ...view.error } : null };
}

export function summaryView(r: PatientSummaryRecord): z.infer<typeof SummaryViewSchema> {
  return {
    patient_id: r.patient_id, version: r.version, trigger: r.trigger, triggers: r.triggers, job_id: r.job_id, inputs: r.inputs,
    started_at: r.started_at, finished_at: r.finished_at, ...r.summary,
  };
}
