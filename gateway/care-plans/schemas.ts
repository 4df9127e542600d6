/** Request and response schemas of the notes and care-plan API (zod → OpenAPI), and record → view. */
import { z } from '@hono/zod-openapi';
import { CarePlanRecordSchema, NoteRecordSchema, TaskRecordSchema, type NoteRecord } from '../../core/care/records.js';

const ID = z.string().min(1).max(64);
export const PatientParam = z.object({ id: ID });
export const NoteParam = z.object({ id: ID, note_id: ID });
export const TaskParam = z.object({ id: ID, task_id: ID });
export const ActivityParam = z.object({ id: ID, activity_id: ID });

export const PageQuery = z.object({
  cursor: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});
export const TaskListQuery = PageQuery.extend({ status: z.enum(['requested', 'completed', 'cancelled']).optional() });
export const FormatQuery = z.object({ format: z.enum(['wardclerk', 'fhir']).optional() });
export const NoteQuery = z.object({ note_date: z.string().max(10).optional() });

export const NoteInputSchema = z.object({ text: z.string().max(500_000) }).openapi('NoteInput');

/** A note in lists: without its extraction (GET one note for that). */
export const NoteViewSchema = NoteRecordSchema.omit({ extraction: true, tenant_id: true }).openapi('Note');
export const NoteDetailSchema = NoteRecordSchema.omit({ tenant_id: true }).openapi('NoteDetail');
export const CarePlanViewSchema = CarePlanRecordSchema.omit({ tenant_id: true }).openapi('CarePlan');
export const TaskViewSchema = TaskRecordSchema.omit({ tenant_id: true }).openapi('Task');
export const FhirResourceSchema = z.object({ resourceType: z.string() }).passthrough().openapi('FhirResource');

export const NoteAcceptedSchema = z.object({
  status: z.literal('accepted'), job_id: z.string(), note_id: z.string(), status_url: z.string(),
  metadata: z.object({ timestamp: z.string(), request_id: z.string() }),
}).openapi('NoteAccepted');

/** Drops the tenant id (the caller's own) from a record. */
export function withoutTenant<T extends { tenant_id: string }>(r: T): Omit<T, 'tenant_id'> {
  const { tenant_id: _t, ...rest } = r;
  return rest;
}

/** A note for a list: no extraction. */
export function noteView(n: NoteRecord): Omit<NoteRecord, 'tenant_id' | 'extraction'> {
  const { tenant_id: _t, extraction: _e, ...rest } = n;
  return rest;
}
