/** Batch submission and job status schemas. */
import { z } from '@hono/zod-openapi';
import { MAX_TEXT_CHARS } from '../prescriptions/schemas.js';

export const MAX_BATCH_ITEMS = 1000;
export const MAX_BATCH_BYTES = 25 * 1024 * 1024;

export const BatchItemSchema = z.object({
  text: z.string().max(MAX_TEXT_CHARS),
  patient_ref: z.string().min(1).max(128).optional(),
  external_id: z.string().min(1).max(128).optional(),
});

export const BatchInputSchema = z.object({ items: z.array(BatchItemSchema).min(1) }).openapi('BatchInput');
export type BatchInput = z.infer<typeof BatchInputSchema>;

export const JobViewSchema = z
  .object({
    job_id: z.string(),
    status: z.enum(['queued', 'running', 'completed', 'failed']),
    total: z.number().int(),
    completed: z.number().int(),
    failed: z.number().int(),
    created_at: z.string(),
    updated_at: z.string(),
    errors: z.array(z.object({ index: z.number().int(), external_id: z.string().nullable(), code: z.string(), message: z.string() })),
  })
  .openapi('Job');
