/**
 * Stored shapes of a patient's documents (issue 9), as the gateway keeps them (sealed with the
 * patient's key) and the API returns them; shared by the gateway, the worker and the contracts.
 * A document's life: RECEIVED (tier 1 passed, the original stored) → INGESTED (text read, page by
 * page: text layer or OCR) → ANALYZING (tier 2: the clinical engine; tier 3: chunks and vectors)
 * → INDEXED, or FAILED with a coded reason at any step.
 */
import { z } from 'zod';
import { ActorSchema } from '../care/records.js';
import { ExtractionSchema } from '../clinical/extraction.js';

const IsoDateTime = z.iso.datetime({ offset: true });

export const DOCUMENT_TYPES = ['lab_report', 'discharge_summary', 'imaging_report', 'consultation_note', 'pathology_report', 'other'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];

export const DOCUMENT_STATUSES = ['RECEIVED', 'INGESTED', 'ANALYZING', 'INDEXED', 'FAILED'] as const;
export type DocumentStatus = (typeof DOCUMENT_STATUSES)[number];

/** What the bytes are, by their magic bytes (never the client's content type). */
export const DOCUMENT_FORMATS = ['pdf', 'docx', 'png', 'jpeg', 'tiff', 'text'] as const;
export type DocumentFormat = (typeof DOCUMENT_FORMATS)[number];

/** The content type the original is served back with. */
export const FORMAT_CONTENT_TYPE: Record<DocumentFormat, string> = {
  pdf: 'application/pdf',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  png: 'image/png',
  jpeg: 'image/jpeg',
  tiff: 'image/tiff',
  text: 'text/plain; charset=utf-8',
};

/**
 * Codes a FAILED document carries (`failure.code`): UNREADABLE (no text could be read),
 * ENCRYPTED_PDF, OCR_CONFIDENCE_TOO_LOW (every page was OCRed and none read well enough),
 * OCR_NOT_AVAILABLE (a scan, and no engine offers OCR), ANALYSIS_FAILED (the engine refused the
 * text), INTERNAL (it ran out of attempts). Other engine codes pass through as they are.
 */
export const DOCUMENT_FAILURES = ['UNREADABLE', 'ENCRYPTED_PDF', 'OCR_CONFIDENCE_TOO_LOW', 'OCR_NOT_AVAILABLE', 'ANALYSIS_FAILED', 'INTERNAL'] as const;

/** Where a page's text came from: the file's own text (PDF text layer, DOCX, plain text) or OCR. */
export const TEXT_SOURCES = ['text_layer', 'ocr'] as const;

export const DocumentPageSchema = z.object({
  /** 1-based. */
  page: z.number().int().min(1),
  text_source: z.enum(TEXT_SOURCES),
  /** Mean OCR confidence of the page (0–1); null for text-layer pages. */
  ocr_confidence: z.number().min(0).max(1).nullable(),
  /** Characters of text read from the page. */
  chars: z.number().int().nonnegative(),
});
export type DocumentPage = z.infer<typeof DocumentPageSchema>;

export const DocumentFailureSchema = z.object({ code: z.string().min(1).max(64), message: z.string().max(500) });

export const DocumentRecordSchema = z.object({
  document_id: z.string().min(1),
  tenant_id: z.string().min(1),
  patient_id: z.string().min(1),
  job_id: z.string().min(1),
  type: z.enum(DOCUMENT_TYPES),
  /** The date the document is about (ISO date), when the uploader gave one. */
  clinical_date: z.iso.date().nullable(),
  /** The uploaded file's name (multipart only; PHI like the rest, sealed). */
  filename: z.string().max(255).nullable(),
  format: z.enum(DOCUMENT_FORMATS),
  content_type: z.string(),
  size_bytes: z.number().int().positive(),
  /** SHA-256 of the original bytes (hex). */
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** Pages as tier 1 counted them (PDF pages, image frames, DOCX and text pages). */
  page_count: z.number().int().min(1),
  /** Parts the sealed original is stored in. */
  blob_parts: z.number().int().min(1),
  status: z.enum(DOCUMENT_STATUSES),
  failure: DocumentFailureSchema.nullable(),
  /** Per page, once INGESTED. */
  pages: z.array(DocumentPageSchema),
  /** Counts of what tier 2 found (the extraction itself is read with the document). */
  analysis: z.object({ conditions: z.number().int(), medications: z.number().int(), observations: z.number().int(), prescriber: z.boolean() }).nullable(),
  /** Chunks stored by tier 3, and the embedding space of their vectors. */
  chunk_count: z.number().int().nonnegative().nullable(),
  embedding_space: z.string().nullable(),
  uploaded_by: ActorSchema,
  /** Each status the document entered, in order. */
  history: z.array(z.object({ status: z.enum(DOCUMENT_STATUSES), at: IsoDateTime })),
  created_at: IsoDateTime,
  updated_at: IsoDateTime,
});
export type DocumentRecord = z.infer<typeof DocumentRecordSchema>;

/** Where an extracted value sits: its path in the extraction, its 1-based page and the range in that page's text. */
export const SpanLocationSchema = z.object({
  path: z.string(),
  page: z.number().int().min(1),
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
});
export type SpanLocation = z.infer<typeof SpanLocationSchema>;

/**
 * Tier 2's result: the extraction over the document's text (pages joined by a blank line, so
 * `span`s are offsets in that text) and every span again as page and in-page offsets.
 */
export const DocumentExtractionSchema = z.object({
  extraction: ExtractionSchema,
  locations: z.array(SpanLocationSchema),
});
export type DocumentExtraction = z.infer<typeof DocumentExtractionSchema>;

/** One page's text as ingested. */
export const PageTextSchema = z.object({ page: z.number().int().min(1), text: z.string() });
export type PageText = z.infer<typeof PageTextSchema>;

/** A chunk of tier 3 (engine/retrieval's Chunk, stored): a passage of one page inside one section, with its place in the document. */
export const DocumentChunkSchema = z.object({
  chunk_id: z.string().min(1),
  document_id: z.string().min(1),
  /** 0-based position in the document's chunk list. */
  seq: z.number().int().nonnegative(),
  page: z.number().int().min(1),
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
  section: z.object({ kind: z.string(), title: z.string() }),
  text: z.string(),
  /** Approximate model tokens of `text` (the chunker's count). */
  tokens: z.number().int().nonnegative(),
  /** The title the chunk is embedded and indexed with (from the document type). */
  doc_title: z.string(),
  doc_type: z.enum(DOCUMENT_TYPES),
  clinical_date: z.iso.date().nullable(),
});
export type DocumentChunk = z.infer<typeof DocumentChunkSchema>;

/** A chunk's embedding: its space (`<provider>:<model>@<version>`) and the Float32 values, base64. */
export const ChunkVectorSchema = z.object({
  chunk_id: z.string().min(1),
  space: z.string().min(1),
  dimensions: z.number().int().positive(),
  vector_b64: z.string().min(1),
});
export type ChunkVector = z.infer<typeof ChunkVectorSchema>;

/** The joiner of page texts in the document's text (extraction offsets count it). */
export const PAGE_JOINER = '\n\n';
