/**
 * Stored shapes of a patient's notes, care plans and checklist tasks (issue 8, DESIGN.md §3), as
 * the gateway keeps them (sealed with the patient's key) and the API returns them. Pure schemas,
 * shared by the store, the REST routes and GraphQL; FHIR views are in fhir-care.ts.
 */
import { z } from 'zod';
import { ExtractionSchema } from '../clinical/extraction.js';
import { PlanActivitySchema, PlanItemsSchema, PlanTaskSchema } from './plan-items.js';

const IsoDateTime = z.iso.datetime({ offset: true });

/** Who wrote or changed something: a user (with their role) or an API client. */
export const ActorSchema = z.object({ kind: z.enum(['user', 'client']), id: z.string().min(1), role: z.string().nullable() });
export type Actor = z.infer<typeof ActorSchema>;

/**
 * A note's life: `pending` (stored, queued) → `processed` (a new plan and/or tasks),
 * `no_actionable_items` (nothing to act on; the active plan stays), or `failed` (coded error).
 */
export const NOTE_STATUSES = ['pending', 'processed', 'no_actionable_items', 'failed'] as const;
export type NoteStatus = (typeof NOTE_STATUSES)[number];

export const NoteRecordSchema = z.object({
  note_id: z.string().min(1),
  tenant_id: z.string().min(1),
  patient_id: z.string().min(1),
  job_id: z.string().min(1),
  author: ActorSchema,
  text: z.string(),
  source: z.enum(['text', 'pdf', 'image']),
  ocr_confidence: z.number().min(0).max(1).nullable(),
  /** The note's date (ISO date in the patient's zone): due dates are computed from it. */
  note_date: z.iso.date(),
  status: z.enum(NOTE_STATUSES),
  /** The plan this note created (null: none, the active plan stayed). */
  care_plan_id: z.string().nullable(),
  task_ids: z.array(z.string()),
  items: PlanItemsSchema.nullable(),
  extraction: ExtractionSchema.nullable(),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
  created_at: IsoDateTime,
  processed_at: IsoDateTime.nullable(),
});
export type NoteRecord = z.infer<typeof NoteRecordSchema>;

/** One activity of a stored plan: the engine's activity, its id, and whether it is still going. */
export const CarePlanActivitySchema = PlanActivitySchema.extend({
  activity_id: z.string().min(1),
  status: z.enum(['active', 'ended']),
  updated_at: IsoDateTime,
  updated_by: ActorSchema.nullable(),
});
export type CarePlanActivity = z.infer<typeof CarePlanActivitySchema>;

/** FHIR CarePlan.status values WardClerk uses: `revoked` = superseded by a newer note's plan. */
export const CARE_PLAN_STATUSES = ['active', 'revoked'] as const;

export const CarePlanRecordSchema = z.object({
  care_plan_id: z.string().min(1),
  tenant_id: z.string().min(1),
  patient_id: z.string().min(1),
  note_id: z.string().min(1),
  author: ActorSchema,
  status: z.enum(CARE_PLAN_STATUSES),
  activities: z.array(CarePlanActivitySchema).max(200),
  /** The plan this one replaced, and the one that replaced it. */
  replaces: z.string().nullable(),
  superseded_by: z.string().nullable(),
  created_at: IsoDateTime,
  updated_at: IsoDateTime,
  revoked_at: IsoDateTime.nullable(),
});
export type CarePlanRecord = z.infer<typeof CarePlanRecordSchema>;

export const TASK_STATUSES = ['requested', 'completed', 'cancelled'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const TaskRecordSchema = PlanTaskSchema.extend({
  task_id: z.string().min(1),
  tenant_id: z.string().min(1),
  patient_id: z.string().min(1),
  note_id: z.string().min(1),
  status: z.enum(TASK_STATUSES),
  status_changed_by: ActorSchema.nullable(),
  created_at: IsoDateTime,
  updated_at: IsoDateTime,
});
export type TaskRecord = z.infer<typeof TaskRecordSchema>;
