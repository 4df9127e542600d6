/**
 * The store subjects of the documents pipeline, served by the gateway for workers (queue group
 * `gateway`). Each step is idempotent: data is keyed by page or chunk number (the same again
 * overwrites itself), and status changes apply only from the status they expect
 * (transitions.ts). The original's bytes are served only while the document is RECEIVED, page
 * texts only while it is being analysed; a deleted document is NOT_FOUND (the worker stops).
 */
import type { Bus } from '../../core/bus.js';
import { contracts } from '../../core/contracts.js';
import { DocumentExtractionSchema, type DocumentStatus } from '../../core/documents/records.js';
import { WardClerkError } from '../../core/errors.js';
import { failDocument, transition, type DocumentStepDeps } from './transitions.js';

export interface DocumentSubjectDeps extends DocumentStepDeps {
  bus: Bus;
}

function notNow(status: DocumentStatus, reason: string): WardClerkError {
  return new WardClerkError('CONFLICT', 'The document is not at the step this request belongs to', { details: { status, reason } });
}

/** Subscribes the document subjects in queue group `gateway`. */
export function serveDocumentSubjects(deps: DocumentSubjectDeps): void {
  const { bus, store } = deps;
  const opts = { queue: 'gateway' };
  const load = async (tenantId: string, documentId: string) => {
    const doc = await store.documents.get(tenantId, documentId);
    if (!doc) throw new WardClerkError('NOT_FOUND', 'No such document', { details: { resource: 'document' } });
    return doc;
  };

  bus.serve(contracts.documentGet, async ({ tenant_id, document_id }) => {
    const d = await load(tenant_id, document_id);
    return {
      document_id: d.document_id, status: d.status, format: d.format, type: d.type, clinical_date: d.clinical_date,
      page_count: d.page_count, blob_parts: d.blob_parts, analyzed: d.analysis !== null, pages: d.pages,
    };
  }, opts);

  bus.serve(contracts.documentPart, async ({ tenant_id, document_id, part }) => {
    const d = await load(tenant_id, document_id);
    if (d.status !== 'RECEIVED') throw notNow(d.status, 'already_ingested');
    if (part >= d.blob_parts) throw new WardClerkError('VALIDATION_FAILED', 'No such part', { details: { field: 'part' } });
    return { bytes_b64: Buffer.from(await store.documents.readPart(tenant_id, document_id, part)).toString('base64') };
  }, opts);

  bus.serve(contracts.documentPagesPut, async ({ tenant_id, document_id, pages }) => {
    const r = await transition(deps, tenant_id, document_id, ['RECEIVED'], async (doc, scope, seal) => {
      if (pages.some((p) => p.page > doc.page_count)) throw new WardClerkError('VALIDATION_FAILED', 'A page beyond the document', { details: { field: 'pages' } });
      return { patch: {}, ops: store.documents.pageOps(scope, seal, document_id, pages) };
    });
    return { stored: r.changed ? pages.length : 0 };
  }, opts);

  bus.serve(contracts.documentIngested, async ({ tenant_id, document_id, pages }) =>
    transition(deps, tenant_id, document_id, ['RECEIVED'], async (doc) => {
      const stored = await store.documents.count(tenant_id, document_id, 'documentPages');
      if (pages.length !== doc.page_count || stored !== doc.page_count) {
        throw new WardClerkError('VALIDATION_FAILED', 'Every page must be stored before the document is ingested', { details: { pages: pages.length, stored, expected: doc.page_count } });
      }
      return { patch: { status: 'INGESTED', pages } };
    }), opts);

  bus.serve(contracts.documentStart, async ({ tenant_id, document_id }) =>
    transition(deps, tenant_id, document_id, ['INGESTED'], async () => ({ patch: { status: 'ANALYZING' } })), opts);

  bus.serve(contracts.documentPagesGet, async ({ tenant_id, document_id, from, count }) => {
    const d = await load(tenant_id, document_id);
    if (d.status !== 'INGESTED' && d.status !== 'ANALYZING') throw notNow(d.status, 'not_analyzing');
    return { pages: await store.documents.readPages(tenant_id, document_id, from, count) };
  }, opts);

  bus.serve(contracts.documentAnalyzed, async ({ tenant_id, document_id, extraction, locations }) => {
    // Checked where it is stored, as notes do (the worker does not validate the nested document twice).
    const parsed = DocumentExtractionSchema.safeParse({ extraction, locations });
    if (!parsed.success) throw new WardClerkError('MODEL_OUTPUT_INVALID', 'The engine returned an extraction that does not match its schema');
    const x = parsed.data.extraction;
    return transition(deps, tenant_id, document_id, ['ANALYZING'], async (doc, scope, seal) => (doc.analysis ? null : {
      patch: { analysis: { conditions: x.diseases.length, medications: x.medications.length, observations: x.observations.length, prescriber: x.doctor !== null } },
      ops: [store.documents.extractionOp(scope, seal, document_id, parsed.data)],
    }));
  }, opts);

  bus.serve(contracts.documentChunksPut, async ({ tenant_id, document_id, chunks, vectors }) => {
    if (chunks.some((c) => c.document_id !== document_id)) throw new WardClerkError('VALIDATION_FAILED', 'A chunk of another document', { details: { field: 'chunks' } });
    const r = await transition(deps, tenant_id, document_id, ['ANALYZING'], async (doc, scope, seal) => {
      if (!doc.analysis) throw notNow(doc.status, 'not_analyzed');
      return { patch: {}, ops: store.documents.chunkOps(scope, seal, document_id, chunks, vectors) };
    });
    return { stored: r.changed ? chunks.length : 0 };
  }, opts);

  bus.serve(contracts.documentIndexed, async ({ tenant_id, document_id, chunk_count, embedding_space }) =>
    transition(deps, tenant_id, document_id, ['ANALYZING'], async (doc) => {
      if (!doc.analysis) throw notNow(doc.status, 'not_analyzed');
      const tail = await store.documents.chunkTailOps(tenant_id, document_id, chunk_count);
      const stored = (await store.documents.count(tenant_id, document_id, 'documentChunks')) - tail.chunks;
      if (stored !== chunk_count) throw new WardClerkError('VALIDATION_FAILED', 'Every chunk must be stored before the document is indexed', { details: { stored, expected: chunk_count } });
      return { patch: { status: 'INDEXED', chunk_count, embedding_space }, ops: tail.ops };
    }), opts);

  bus.serve(contracts.documentFail, async ({ tenant_id, document_id, code, message }) => failDocument(deps, tenant_id, document_id, code, message), opts);
}
