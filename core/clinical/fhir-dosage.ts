/**
 * FHIR R4 `Dosage` (and the `Timing`, `Quantity`, `Range`, `Ratio` it uses) as zod schemas.
 * Only the elements WardClerk produces are declared; unknown keys are rejected so output stays
 * valid FHIR. The tim-1…tim-10 invariants are checked in engine/clinical (timing-invariants.ts).
 */
import { z } from 'zod';

export const CodingSchema = z.object({
  system: z.string().optional(),
  code: z.string().optional(),
  display: z.string().optional(),
}).strict();

export const CodeableConceptSchema = z.object({
  coding: z.array(CodingSchema).optional(),
  text: z.string().optional(),
}).strict();

export const QuantitySchema = z.object({
  value: z.number().optional(),
  comparator: z.enum(['<', '<=', '>=', '>']).optional(),
  unit: z.string().optional(),
  system: z.string().optional(),
  code: z.string().optional(),
}).strict();

export const DurationSchema = QuantitySchema;

export const RangeSchema = z.object({ low: QuantitySchema.optional(), high: QuantitySchema.optional() }).strict();
export const RatioSchema = z.object({ numerator: QuantitySchema.optional(), denominator: QuantitySchema.optional() }).strict();
export const PeriodSchema = z.object({ start: z.string().optional(), end: z.string().optional() }).strict();

export const UNITS_OF_TIME = ['s', 'min', 'h', 'd', 'wk', 'mo', 'a'] as const;
export const DAYS_OF_WEEK = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;

export const TimingRepeatSchema = z.object({
  boundsDuration: DurationSchema.optional(),
  boundsRange: RangeSchema.optional(),
  boundsPeriod: PeriodSchema.optional(),
  count: z.number().int().nonnegative().optional(),
  countMax: z.number().int().nonnegative().optional(),
  duration: z.number().optional(),
  durationMax: z.number().optional(),
  durationUnit: z.enum(UNITS_OF_TIME).optional(),
  frequency: z.number().int().positive().optional(),
  frequencyMax: z.number().int().positive().optional(),
  period: z.number().optional(),
  periodMax: z.number().optional(),
  periodUnit: z.enum(UNITS_OF_TIME).optional(),
  dayOfWeek: z.array(z.enum(DAYS_OF_WEEK)).optional(),
  timeOfDay: z.array(z.string().regex(/^([01]\d|2[0-3]):[0-5]\d:[0-5]\d$/)).optional(),
  when: z.array(z.string()).optional(),
  offset: z.number().int().nonnegative().optional(),
}).strict();

export const TimingSchema = z.object({
  event: z.array(z.string()).optional(),
  repeat: TimingRepeatSchema.optional(),
  code: CodeableConceptSchema.optional(),
}).strict();

export const DoseAndRateSchema = z.object({
  type: CodeableConceptSchema.optional(),
  doseRange: RangeSchema.optional(),
  doseQuantity: QuantitySchema.optional(),
  rateRatio: RatioSchema.optional(),
  rateRange: RangeSchema.optional(),
  rateQuantity: QuantitySchema.optional(),
}).strict();

export const DosageSchema = z.object({
  sequence: z.number().int().optional(),
  text: z.string().optional(),
  additionalInstruction: z.array(CodeableConceptSchema).optional(),
  patientInstruction: z.string().optional(),
  timing: TimingSchema.optional(),
  asNeededBoolean: z.boolean().optional(),
  asNeededCodeableConcept: CodeableConceptSchema.optional(),
  site: CodeableConceptSchema.optional(),
  route: CodeableConceptSchema.optional(),
  method: CodeableConceptSchema.optional(),
  doseAndRate: z.array(DoseAndRateSchema).optional(),
  maxDosePerPeriod: RatioSchema.optional(),
  maxDosePerAdministration: QuantitySchema.optional(),
  maxDosePerLifetime: QuantitySchema.optional(),
}).strict();

export type Coding = z.infer<typeof CodingSchema>;
export type CodeableConcept = z.infer<typeof CodeableConceptSchema>;
export type Quantity = z.infer<typeof QuantitySchema>;
export type Range = z.infer<typeof RangeSchema>;
export type Ratio = z.infer<typeof RatioSchema>;
export type TimingRepeat = z.infer<typeof TimingRepeatSchema>;
export type Timing = z.infer<typeof TimingSchema>;
export type Dosage = z.infer<typeof DosageSchema>;

/** FHIR R4 MedicationRequest.status codes (http://hl7.org/fhir/CodeSystem/medicationrequest-status). */
export type MedicationRequestStatus = 'active' | 'on-hold' | 'cancelled' | 'completed' | 'entered-in-error' | 'stopped' | 'draft' | 'unknown';
/** FHIR R4 MedicationStatement.status codes (http://hl7.org/fhir/CodeSystem/medication-statement-status). */
export type MedicationStatementStatus = 'active' | 'completed' | 'entered-in-error' | 'intended' | 'stopped' | 'on-hold' | 'unknown' | 'not-taken';

/**
 * Where an extracted medication status goes in FHIR R4: an order (new, continued, changed, held,
 * stopped) is a MedicationRequest with that status; a drug tried in the past is a
 * MedicationStatement ("completed": no longer taken). No status stated → a MedicationRequest with
 * status "unknown". `changed` is the new, active order; the replaced one is not in the note.
 */
export function fhirMedicationStatus(status: 'new' | 'continued' | 'changed' | 'held' | 'stopped' | 'past' | null):
  { resourceType: 'MedicationRequest'; status: MedicationRequestStatus } | { resourceType: 'MedicationStatement'; status: MedicationStatementStatus } {
  switch (status) {
    case 'new': case 'continued': case 'changed': return { resourceType: 'MedicationRequest', status: 'active' };
    case 'held': return { resourceType: 'MedicationRequest', status: 'on-hold' };
    case 'stopped': return { resourceType: 'MedicationRequest', status: 'stopped' };
    case 'past': return { resourceType: 'MedicationStatement', status: 'completed' };
    default: return { resourceType: 'MedicationRequest', status: 'unknown' };
  }
}
