/**
 * Searching one patient's documents: the access check (people/access.ts: an unassigned doctor gets
 * 404 as for a missing patient), the query's limits, then the patient's own index only — the
 * index is the patient's (PatientIndexes keys it by the one patient id), so no search reaches
 * another patient's text.
 */
import { DOCUMENT_TYPES, type DocumentType } from '../../core/documents/records.js';
import { WardClerkError } from '../../core/errors.js';
import { prepareQuery } from '../../engine/retrieval/prepare-query.js';
import type { SearchFilters } from '../../engine/retrieval/search-filters.js';
import type { Principal } from '../http/app-env.js';
import type { GatewayDeps } from '../http/deps.js';
import { loadPatientFor } from '../people/access.js';
import { MAX_QUERY_CHARS, type SearchQueryParams, type SearchResult } from './schemas.js';

export type SearchDeps = Pick<GatewayDeps, 'store' | 'searchIndexes'>;

function list(raw: string | undefined): string[] {
  return raw === undefined ? [] : raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

/** The filters of the query string; VALIDATION_FAILED naming the field. */
export function filtersOf(q: SearchQueryParams): SearchFilters {
  const types = list(q.type);
  const bad = types.find((t) => !(DOCUMENT_TYPES as readonly string[]).includes(t));
  if (bad !== undefined) throw new WardClerkError('VALIDATION_FAILED', 'type must be document types', { details: { field: 'type', allowed: DOCUMENT_TYPES } });
  if (q.from && q.to && q.from > q.to) throw new WardClerkError('VALIDATION_FAILED', 'from must not be after to', { details: { field: 'from' } });
  const sections = list(q.section);
  return {
    ...(types.length ? { types: types as DocumentType[] } : {}),
    ...(q.from ? { from: q.from } : {}),
    ...(q.to ? { to: q.to } : {}),
    ...(sections.length ? { sections } : {}),
  };
}

/** The question, checked: QUERY_TOO_LONG past MAX_QUERY_CHARS, VALIDATION_FAILED when blank. */
export function questionOf(q: string): string {
  if (q.length > MAX_QUERY_CHARS) throw new WardClerkError('QUERY_TOO_LONG', `q may have at most ${MAX_QUERY_CHARS} characters`, { details: { field: 'q', max: MAX_QUERY_CHARS } });
  if (q.trim() === '') throw new WardClerkError('VALIDATION_FAILED', 'q must not be empty', { details: { field: 'q' } });
  return q;
}

/** The best passages of the patient's documents for `q` (hybrid BM25 + vector, fused by rank). */
export async function searchPatient(deps: SearchDeps, principal: Principal, patientId: string, q: SearchQueryParams, signal?: AbortSignal): Promise<SearchResult> {
  const patient = await loadPatientFor(deps, principal, patientId);
  const question = questionOf(q.q);
  const filters = filtersOf(q);
  const indexes = deps.searchIndexes;
  const prepared = prepareQuery(question);
  const [index, embedded] = await Promise.all([indexes.index(patient.tenant_id, patient.patient_id), indexes.embedQuery(prepared.text, signal)]);
  const pending = indexes.pending(patient.patient_id);
  const hits = index.search({ ...prepared, vector: embedded.vector, space: embedded.space, k: q.k ?? 10, filters });
  return {
    items: hits.map((h) => ({
      passage: h.passage, document_id: h.docId, document_type: h.docType, document_title: h.docTitle, clinical_date: h.clinicalDate,
      page: h.page, start: h.start, end: h.end, section: h.section, score: h.score, bm25_score: h.bm25Score, vector_score: h.vectorScore,
    })),
    index_state: pending > 0 ? 'building' : 'ready',
    documents_pending: pending,
  };
}
