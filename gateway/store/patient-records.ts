/**
 * Shapes of a tenant's patients (issue 8): FHIR-shaped Patient records, sealed with the patient's
 * own key (gateway/store/patient-seal.ts). Everything in here is PHI except the ids; indexes hold
 * blind indexes (MRN) and random ids (user id) only.
 */
import { z } from 'zod';
import { PATIENT_ID_RE } from './patient-seal.js';

const IsoDateTime = z.iso.datetime({ offset: true });

/** FHIR administrative gender. */
export const ADMINISTRATIVE_GENDERS = ['male', 'female', 'other', 'unknown'] as const;

export const HumanNameSchema = z.object({
  family: z.string().trim().min(1).max(200),
  given: z.array(z.string().trim().min(1).max(100)).max(5),
});
export type HumanName = z.infer<typeof HumanNameSchema>;

/** A calendar date (FHIR `date`, YYYY-MM-DD) that is not in the future and after 1850. */
export const BirthDateSchema = z.iso.date().refine((d) => d >= '1850-01-01' && d <= new Date().toISOString().slice(0, 10), {
  message: 'birth_date must be a real date, not in the future',
});

/** A medical record number as the hospital writes it; looked up through a blind index only. */
export const MrnSchema = z.string().trim().min(1).max(64).regex(/^[\x21-\x7e]+(?: [\x21-\x7e]+)*$/, 'printable ASCII');

export const PatientRecordSchema = z.object({
  patient_id: z.string().regex(PATIENT_ID_RE),
  tenant_id: z.string().min(1),
  /** The patient's own account, when they have one (null: registered by staff, no account yet). */
  user_id: z.string().nullable(),
  name: HumanNameSchema,
  birth_date: z.string().nullable(),
  sex: z.enum(ADMINISTRATIVE_GENDERS),
  /** IANA zone reminders are computed in (checked with core/schedule assertTimeZone). */
  time_zone: z.string().min(1).max(64),
  mrn: z.string().nullable(),
  /** User or client id that registered the record (`system` when created for a sign-up). */
  created_by: z.string().min(1),
  created_at: IsoDateTime,
  updated_at: IsoDateTime,
});
/** One patient of a tenant. */
export type PatientRecord = z.infer<typeof PatientRecordSchema>;

/** What a caller gives to register a patient. */
export const PatientInputSchema = z.object({
  name: HumanNameSchema,
  birth_date: BirthDateSchema.nullable().optional(),
  sex: z.enum(ADMINISTRATIVE_GENDERS).optional(),
  time_zone: z.string().min(1).max(64),
  mrn: MrnSchema.nullable().optional(),
});
export type PatientInput = z.infer<typeof PatientInputSchema>;

/** A partial update (PATCH); absent fields stay, `null` clears the nullable ones. */
export const PatientPatchSchema = PatientInputSchema.partial().refine((p) => Object.keys(p).length > 0, { message: 'nothing to change' });
export type PatientPatch = z.infer<typeof PatientPatchSchema>;

/** A page of patients in creation order. */
export interface PatientPage {
  items: PatientRecord[];
  next_cursor: string | null;
}
