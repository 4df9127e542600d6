/**
 * The extraction schema: what every extractor (rules, llm, hybrid) returns, what the API stores
 * and returns inside a prescription record, and what `wardclerk extract` prints. Every extracted
 * item carries the character `span` of the text it came from (`text.slice(start, end)`) and a
 * `confidence` in [0, 1]; sub-fields carry their own spans in `spans`.
 */
import { z } from 'zod';
import { CodeableConceptSchema, CodingSchema, DosageSchema, QuantitySchema } from './fhir-dosage.js';

export const SpanSchema = z.object({ start: z.number().int().nonnegative(), end: z.number().int().nonnegative() });
export type Span = z.infer<typeof SpanSchema>;

export const ASSERTIONS = ['present', 'negated', 'historical', 'family', 'hypothetical', 'uncertain'] as const;
export const AssertionSchema = z.enum(ASSERTIONS);
export type Assertion = z.infer<typeof AssertionSchema>;

export const SECTION_KINDS = [
  'chief_complaint', 'hpi', 'past_medical_history', 'medications', 'medications_current', 'medications_discharge',
  'medications_new', 'allergies', 'assessment', 'plan', 'assessment_plan', 'labs', 'vitals', 'signature',
  'family_history', 'social_history', 'diagnosis', 'other',
] as const;

export const SectionSchema = z.object({
  kind: z.enum(SECTION_KINDS),
  title: z.string(),
  span: SpanSchema,
  confidence: z.number().min(0).max(1),
});
export type Section = z.infer<typeof SectionSchema>;

export const DiseaseSchema = z.object({
  /** Text as written. */
  text: z.string(),
  /** Preferred display name, e.g. "Type 2 diabetes mellitus". */
  display: z.string(),
  /** ICD-10-CM coding when known. */
  code: CodingSchema.nullable(),
  assertion: AssertionSchema,
  span: SpanSchema,
  confidence: z.number().min(0).max(1),
});
export type Disease = z.infer<typeof DiseaseSchema>;

export const MEDICATION_STATUSES = ['new', 'continued', 'changed', 'held', 'stopped', 'past'] as const;
export type MedicationStatus = (typeof MEDICATION_STATUSES)[number];

/** FHIR R4 `MedicationRequest.dispenseRequest` (the elements WardClerk produces). */
export const DispenseRequestSchema = z.object({
  quantity: QuantitySchema.optional(),
  numberOfRepeatsAllowed: z.number().int().nonnegative().optional(),
  expectedSupplyDuration: QuantitySchema.optional(),
}).strict();
export type DispenseRequest = z.infer<typeof DispenseRequestSchema>;

export const MEDICATION_FIELDS = ['name', 'strength', 'form', 'route', 'dose', 'frequency', 'duration', 'as_needed'] as const;

export const MedicationSchema = z.object({
  /** Text as written, e.g. "Glucophage". */
  text: z.string(),
  /** Normalised ingredient name, e.g. "metformin". */
  name: z.string(),
  /** RxNorm ingredient RxCUI when known. */
  rxcui: z.string().nullable(),
  /** Normalised strength, e.g. "500 mg", "0.5%", "5 mg/5 mL". */
  strength: z.string().nullable(),
  /** Dose form, e.g. "tablet". */
  form: z.string().nullable(),
  /** Coded route name: oral, sublingual, IV, IM, subcutaneous, topical, inhaled, nasal, ophthalmic, otic, rectal, vaginal, transdermal. */
  route: z.string().nullable(),
  /** Dose per administration, e.g. "1 tablet", "1-2 puffs", "5 mL". */
  dose: z.string().nullable(),
  /** Normalised frequency, e.g. "BID", "Q6H", "QHS", "every other day", "3 times a week". */
  frequency: z.string().nullable(),
  /** Normalised duration, e.g. "7 days", "2 weeks", "3 doses". */
  duration: z.string().nullable(),
  as_needed: z.boolean(),
  as_needed_reason: z.string().nullable(),
  /**
   * Status from context: new (started), continued, changed (dose or schedule), held (paused, to be
   * resumed), stopped, past (tried before, not current: "tried Claritin", "failed metformin").
   * A superset of the original four values, so stored records stay valid.
   */
  status: z.enum(MEDICATION_STATUSES).nullable(),
  /** Verbatim dose instruction, also in each Dosage.text. */
  sig: z.string().nullable(),
  /** FHIR R4 Dosage entries, ordered (`sequence`) for phased and tapering instructions. */
  dosage: z.array(DosageSchema),
  span: SpanSchema,
  /** Spans of individual fields, keyed by field name (name, strength, form, route, dose, frequency, duration, as_needed). */
  spans: z.record(z.string(), SpanSchema),
  /** Every mention of this drug in the note (the first is `span`'s name); absent in older records. */
  mentions: z.array(SpanSchema).optional(),
  /** Number of units to dispense ("Disp #20", "Qty: 30", "Supply: 28 tablets"); absent or null when not stated. */
  dispense_quantity: z.number().nonnegative().nullable().optional(),
  /** Refills (repeats) allowed ("Refills: 2", "RF x2", "no refills" = 0); absent or null when not stated. */
  refills: z.number().int().nonnegative().nullable().optional(),
  /** FHIR R4 MedicationRequest.dispenseRequest; absent or null when nothing is stated. */
  dispense_request: DispenseRequestSchema.nullable().optional(),
  confidence: z.number().min(0).max(1),
});
export type Medication = z.infer<typeof MedicationSchema>;

export const ObservationSchema = z.object({
  text: z.string(),
  /** LOINC coding. */
  code: CodingSchema,
  value: z.number().nullable(),
  /** For non-numeric results ("positive"). */
  value_string: z.string().nullable(),
  /** UCUM unit code, e.g. "mm[Hg]", "mg/dL", "%". */
  unit: z.string().nullable(),
  /** ISO date (YYYY-MM-DD) when stated in the text. */
  date: z.string().nullable(),
  span: SpanSchema,
  confidence: z.number().min(0).max(1),
});
export type Observation = z.infer<typeof ObservationSchema>;

export const PrescriberSchema = z.object({
  text: z.string(),
  name: z.string(),
  title: z.string().nullable(),
  credentials: z.array(z.string()),
  license: z.string().nullable(),
  npi: z.string().nullable(),
  span: SpanSchema,
  confidence: z.number().min(0).max(1),
});
export type Prescriber = z.infer<typeof PrescriberSchema>;

/** Kinds of recurring non-medication plan steps (core/care/plan-items ACTIVITY_KINDS, less `medication`). */
export const PLAN_STEP_KINDS = ['measurement', 'exercise', 'wound_care', 'diet', 'other'] as const;

/**
 * A recurring non-medication step a text model found in the note ("check blood sugar before
 * breakfast", "put on compression stockings every morning"), grounded: `text` is the note's own
 * words at `span`, never the model's. The engine's plan items keep it only while that holds.
 */
export const PlanStepSchema = z.object({
  kind: z.enum(PLAN_STEP_KINDS),
  text: z.string().min(1).max(300),
  span: SpanSchema,
});
export type PlanStep = z.infer<typeof PlanStepSchema>;

export const ExtractionSchema = z.object({
  /** Extractor id, e.g. "rules", "llm:<model>", "hybrid". */
  extractor: z.string(),
  extractor_version: z.string(),
  latency_ms: z.number().nonnegative(),
  sections: z.array(SectionSchema),
  diseases: z.array(DiseaseSchema),
  medications: z.array(MedicationSchema),
  observations: z.array(ObservationSchema),
  doctor: PrescriberSchema.nullable(),
  allergies: z.array(z.object({ text: z.string(), substance: z.string(), span: SpanSchema, confidence: z.number() })),
  warnings: z.array(z.object({ code: z.string(), message: z.string() })),
  /** Hybrid extractor only: which extractor produced each value (path like "medications[0].strength"). */
  provenance: z.array(z.object({ path: z.string(), source: z.enum(['rules', 'llm', 'both']) })).optional(),
  /** LLM and hybrid extractors only: recurring non-medication steps the model found, each grounded in the note. */
  plan_steps: z.array(PlanStepSchema).max(50).optional(),
});
export type Extraction = z.infer<typeof ExtractionSchema>;

export { CodeableConceptSchema };
