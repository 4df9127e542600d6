/** Request and response schemas of the prescription API (zod → OpenAPI). */
import { z } from '@hono/zod-openapi';
import { ExtractionSchema } from '../../core/clinical/extraction.js';

export const MAX_TEXT_CHARS = 500_000;
export const MAX_JSON_BYTES = 2 * 1024 * 1024;
export const MAX_FILE_BYTES = 20 * 1024 * 1024;

export const PrescriptionInputSchema = z
  .object({
    text: z.string().max(MAX_TEXT_CHARS).openapi({ example: 'Metformin 500 mg tablet, 1 tab PO BID for 30 days for T2DM. Dr. Jane Smith, MD' }),
    patient_ref: z.string().min(1).max(128).optional().openapi({ description: "The app's own patient reference (stored encrypted)." }),
    doctor: z.string().min(1).max(200).optional(),
    external_id: z.string().min(1).max(128).optional(),
  })
  .openapi('PrescriptionInput');

const E = ExtractionSchema.shape;

export const PrescriptionViewSchema = z
  .object({
    prescription_id: z.string(),
    created_at: z.string(),
    patient_ref: z.string().nullable(),
    external_id: z.string().nullable(),
    job_id: z.string().nullable(),
    /** The item's index in its batch job; null outside a job. */
    job_item_index: z.number().int().nullable(),
    source: z.enum(['text', 'pdf', 'image']),
    text: z.string(),
    submitted_doctor: z.string().nullable(),
    doctor: E.doctor,
    diseases: E.diseases,
    medications: E.medications,
    observations: E.observations,
    allergies: E.allergies,
    sections: E.sections,
    spans: z.array(z.object({ path: z.string(), start: z.number(), end: z.number() })),
    extractor: z.object({ id: z.string(), version: z.string(), latency_ms: z.number() }),
    warnings: E.warnings,
  })
  .openapi('Prescription');
export type PrescriptionView = z.infer<typeof PrescriptionViewSchema>;

export const ListQuerySchema = z.object({
  patient_ref: z.string().min(1).max(128).optional(),
  disease: z.string().min(1).max(128).optional(),
  doctor: z.string().min(1).max(200).optional(),
  since: z.string().datetime({ offset: true }).optional(),
  job_id: z.string().min(1).max(100).optional().openapi({ description: 'Only the prescriptions this batch job produced' }),
  cursor: z.string().min(1).max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});
