/**
 * What a note yields that someone must act on (issue 8, DESIGN.md §5.3), as the engine produces
 * it and the store keeps it: checklist **tasks** (one-time, FHIR `Task`-shaped) and plan
 * **activities** (recurring, FHIR `CarePlan.activity`-shaped, each with a `Timing`). Pure shapes,
 * shared by the engine (producer), the worker (carrier), the gateway (store, scheduler, API).
 * Every item keeps the character span of the sentence it came from.
 */
import { z } from 'zod';
import { SpanSchema } from '../clinical/extraction.js';
import { CodeableConceptSchema, DosageSchema, TimingSchema } from '../clinical/fhir-dosage.js';

/** Kinds of one-time checklist steps. */
export const TASK_KINDS = ['collect_medicine', 'stop_medicine', 'book_follow_up', 'get_tests', 'referral', 'other'] as const;

/** A checklist step (FHIR Task: `status`, `description`, `restriction.period.end` = due). */
export const PlanTaskSchema = z.object({
  kind: z.enum(TASK_KINDS),
  /** Plain words for the patient ("Book a follow-up visit"). */
  description: z.string().min(1).max(500),
  /** When the note gives one: an ISO date (`2026-12-16`) computed from the note's date, else null. */
  due: z.iso.date().nullable(),
  /** The relative phrase it came from ("in 2 weeks"), when the due date was computed from one. */
  due_text: z.string().max(100).nullable(),
  /** Medicine name (for collect/stop), when there is one. */
  medication: z.string().max(200).nullable(),
  span: SpanSchema,
  source: z.enum(['rules', 'model']),
});
export type PlanTask = z.infer<typeof PlanTaskSchema>;

/** Kinds of recurring plan activities. */
export const ACTIVITY_KINDS = ['medication', 'measurement', 'exercise', 'wound_care', 'diet', 'other'] as const;

/** A recurring plan activity (FHIR CarePlan.activity.detail with `scheduledTiming`). */
export const PlanActivitySchema = z.object({
  kind: z.enum(ACTIVITY_KINDS),
  /** Short title ("Metformin 500 mg", "Check blood sugar"). */
  title: z.string().min(1).max(200),
  /** The instruction in plain words ("1 tablet twice a day after meals"). */
  instruction: z.string().max(1000),
  /** For medications: the product and its FHIR Dosage as the engine extracted it. */
  medication: z.object({
    name: z.string().min(1).max(200),
    code: CodeableConceptSchema.nullable(),
    dosage: DosageSchema,
  }).nullable(),
  /** When to do it; null when the note gives no schedule (then no reminders). */
  timing: TimingSchema.nullable(),
  /** "As needed": listed in the plan, never reminded. */
  as_needed: z.boolean(),
  span: SpanSchema,
  source: z.enum(['rules', 'model']),
});
export type PlanActivity = z.infer<typeof PlanActivitySchema>;

/** Everything actionable in one note; both lists empty means "nothing actionable". */
export const PlanItemsSchema = z.object({
  tasks: z.array(PlanTaskSchema).max(200),
  activities: z.array(PlanActivitySchema).max(200),
  /** Codes for what was skipped (e.g. `negated_medication`, `ungrounded_model_step`), no text. */
  warnings: z.array(z.string().max(100)).max(200),
});
export type PlanItems = z.infer<typeof PlanItemsSchema>;
