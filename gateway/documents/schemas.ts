/** Request and response schemas of the patient documents API (zod → OpenAPI), and record → view. */
import { z } from '@hono/zod-openapi';
import { ExtractionSchema } from '../../core/clinical/extraction.js';
import { DOCUMENT_TYPES, DocumentRecordSchema, SpanLocationSchema, type DocumentRecord } from '../../core/documents/records.js';
import { PageQuery } from '../care-plans/schemas.js';

const ID = z.string().min(1).max(64);
export const DocumentParam = z.object({ id: ID, doc_id: ID });

const IsoDate = z.iso.date();

/** Fields of an upload: multipart form fields, or query parameters with a raw body. */
export const UploadFieldsSchema = z.object({
  type: z.enum(DOCUMENT_TYPES).openapi({ description: 'What the document is.' }),
  clinical_date: IsoDate.optional().openapi({ description: 'The date the document is about (YYYY-MM-DD).' }),
});
export type UploadFields = z.infer<typeof UploadFieldsSchema>;

export const DocumentListQuery = PageQuery.extend({
  type: z.enum(DOCUMENT_TYPES).optional(),
  from: IsoDate.optional().openapi({ description: 'Clinical date (else upload date) on or after this day.' }),
  to: IsoDate.optional().openapi({ description: 'Clinical date (else upload date) on or before this day.' }),
});

/** A document as the API shows it (no tenant id). */
export const DocumentViewSchema = DocumentRecordSchema.omit({ tenant_id: true }).openapi('Document');
export type DocumentView = z.infer<typeof DocumentViewSchema>;

export const DocumentDetailSchema = DocumentViewSchema.extend({
  /** Tier 2's extraction: spans are offsets in the pages' text joined by a blank line; `locations` give page and in-page range. */
  extraction: ExtractionSchema.nullable(),
  locations: z.array(SpanLocationSchema),
}).openapi('DocumentDetail');

export const DocumentAcceptedSchema = z.object({
  status: z.literal('accepted'), job_id: z.string(), document_id: z.string(), status_url: z.string(),
  metadata: z.object({ timestamp: z.string(), request_id: z.string() }),
}).openapi('DocumentAccepted');

export function documentView(d: DocumentRecord): DocumentView {
  const { tenant_id: _t, ...rest } = d;
  return rest;
}

/** The date a document is filed under: its clinical date, else the day it was uploaded. */
export function filingDate(d: DocumentRecord): string {
  return d.clinical_date ?? d.created_at.slice(0, 10);
}
