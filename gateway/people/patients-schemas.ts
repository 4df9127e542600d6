/** Request and response schemas of the people API (zod → OpenAPI). The services check again. */
import { z } from '@hono/zod-openapi';
import { ADMINISTRATIVE_GENDERS } from '../store/patient-records.js';

const Name = z.object({
  family: z.string().min(1).max(200),
  given: z.array(z.string().min(1).max(100)).max(5),
});

export const PatientViewSchema = z
  .object({
    patient_id: z.string().openapi({ example: 'pt_01JD6Q6T0Y5Z3C8V4J9W2K7M1N' }),
    user_id: z.string().nullable().openapi({ description: "The patient's own account, or null when staff registered them and they have none yet." }),
    name: Name,
    birth_date: z.string().nullable().openapi({ example: '1980-02-29' }),
    sex: z.enum(ADMINISTRATIVE_GENDERS).openapi({ description: 'FHIR administrative gender' }),
    time_zone: z.string().openapi({ example: 'Europe/London', description: 'IANA zone the patient\'s reminders are computed in' }),
    mrn: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
  })
  .openapi('Patient');

export const PatientCreateSchema = z
  .object({
    name: Name,
    birth_date: z.string().nullable().optional().openapi({ example: '1980-02-29' }),
    sex: z.enum(ADMINISTRATIVE_GENDERS).optional(),
    time_zone: z.string().max(64).openapi({ example: 'America/New_York', description: 'IANA zone; an unknown one is 400 INVALID_TIME_ZONE' }),
    mrn: z.string().max(64).nullable().optional().openapi({ description: 'Unique in the tenant (409 CONFLICT otherwise); stored encrypted, looked up by a blind index' }),
  })
  .openapi('PatientCreate');

export const PatientPatchBodySchema = PatientCreateSchema.partial().openapi('PatientPatch');

export const PageQuerySchema = z.object({
  cursor: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});

export const PatientIdParam = z.object({ id: z.string().min(1).max(100).openapi({ param: { name: 'id', in: 'path' } }) });

export const DoctorViewSchema = z.object({ user_id: z.string(), display_name: z.string() }).openapi('Doctor');

export const ChooseDoctorsSchema = z
  .object({ doctor_ids: z.array(z.string().min(1).max(100)).min(1).max(10) })
  .openapi('ChooseDoctors');

export const AssignmentSchema = z
  .object({ staff_user_id: z.string().min(1).max(100), patient_id: z.string().min(1).max(100) })
  .openapi('Assignment');
