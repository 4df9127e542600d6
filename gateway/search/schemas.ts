/** Request and response schemas of the patient search API (zod → OpenAPI). */
import { z } from '@hono/zod-openapi';
import { DOCUMENT_TYPES } from '../../core/documents/records.js';

/** Longest question, in characters (longer: 400 QUERY_TOO_LONG). */
export const MAX_QUERY_CHARS = 1000;
export const MAX_K = 50;

const IsoDate = z.iso.date();
const csv = (what: string) => z.string().max(2000).optional().openapi({ description: `${what}, comma-separated (any of them).` });

/**
 * The query string. `q` is checked by the service (QUERY_TOO_LONG is its own code), the rest here
 * (VALIDATION_FAILED naming the field).
 */
export const SearchQuerySchema = z.object({
  q: z.string().openapi({ description: `The question or words to find, 1–${MAX_QUERY_CHARS} characters (longer: 400 QUERY_TOO_LONG).`, example: 'metformin dose' }),
  k: z.coerce.number().int().min(1).max(MAX_K).optional().openapi({ description: `Passages wanted, 1–${MAX_K} (default 10).` }),
  type: csv(`Document types (${DOCUMENT_TYPES.join(', ')})`),
  from: IsoDate.optional().openapi({ description: 'Clinical date on or after this day (passages of undated documents are left out).' }),
  to: IsoDate.optional().openapi({ description: 'Clinical date on or before this day.' }),
  section: csv('Section kinds (medications_current, labs, preamble, …) or section headers as written, case-insensitive'),
});
export type SearchQueryParams = z.infer<typeof SearchQuerySchema>;

export const SearchItemSchema = z.object({
  passage: z.string().openapi({ description: "The passage's text: exactly `start`…`end` of its page's text." }),
  document_id: z.string(),
  document_type: z.enum(DOCUMENT_TYPES),
  document_title: z.string(),
  clinical_date: z.string().nullable(),
  page: z.number().int().openapi({ description: '1-based page of the document.' }),
  start: z.number().int().openapi({ description: 'Character range in the page text (start inclusive, end exclusive).' }),
  end: z.number().int(),
  section: z.object({ kind: z.string(), title: z.string() }),
  score: z.number().openapi({ description: 'Reciprocal-rank-fusion score of the BM25 and vector lists (higher is better).' }),
  bm25_score: z.number(),
  vector_score: z.number().nullable().openapi({ description: 'Cosine similarity of the question and the passage.' }),
}).openapi('SearchItem');

export const SearchResultSchema = z.object({
  items: z.array(SearchItemSchema),
  index_state: z.enum(['ready', 'building']).openapi({ description: 'building: some of the patient\'s documents are still being processed; their passages are not searchable yet.' }),
  documents_pending: z.number().int().openapi({ description: 'Documents not yet INDEXED nor FAILED.' }),
}).openapi('SearchResult');
export type SearchResult = z.infer<typeof SearchResultSchema>;
