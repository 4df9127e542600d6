/**
 * Tier 3 of the documents pipeline: the document's pages become section-aware chunks with the
 * retrieval core's chunker (engine/retrieval/chunk-document.ts: inside one section and one page,
 * exact character ranges, overlap) and each chunk an embedding of its retrieval text through the
 * core's `embedChunks` (title and section header added, as PatientIndex indexes it). The worker
 * hands both to the store, which
 * seals them with the patient's key (`wc.store.document.chunks-put`).
 *
 * The embedder is the no-model `concept` embedder, run in this process: the engine does not yet
 * serve embeddings over the bus, nor is an embedder configurable. Once it is, the worker's
 * `Embedder` becomes a client of the engine's; every vector is stored with its embedding space, so vectors of two
 * embedders are never mixed.
 */
import type { DocumentChunk, DocumentType, PageText } from '../core/documents/records.js';
import { createConceptEmbedder } from '../engine/providers/concept-embedder.js';
import type { Embedder } from '../engine/providers/embedder.js';
import { chunkDocument } from '../engine/retrieval/chunk-document.js';
import type { Chunk } from '../engine/retrieval/chunk.js';

export interface ChunkInput {
  documentId: string;
  type: DocumentType;
  clinicalDate: string | null;
  pages: readonly PageText[];
}

/** The concept embedder in this process (see the module comment). */
export function createWorkerEmbedder(): Embedder {
  return createConceptEmbedder();
}

const TITLES: Record<DocumentType, string> = {
  lab_report: 'Lab report', discharge_summary: 'Discharge summary', imaging_report: 'Imaging report',
  consultation_note: 'Consultation note', pathology_report: 'Pathology report', other: '',
};

/** The document's chunks in page and text order (ids `<document id>#<page>:<start>`). */
export function documentChunks(input: ChunkInput): Chunk[] {
  return chunkDocument({ docId: input.documentId, type: input.type, clinicalDate: input.clinicalDate, title: TITLES[input.type], pages: input.pages.map((p) => p.text) });
}

/** A chunk as the store keeps it; `seq` is its place in the document's chunk list. */
export function storedChunk(c: Chunk, seq: number): DocumentChunk {
  return {
    chunk_id: c.id, document_id: c.docId, seq, page: c.page, start: c.start, end: c.end, section: { kind: c.section.kind, title: c.section.title },
    text: c.text, tokens: c.tokens, doc_title: c.docTitle, doc_type: c.docType, clinical_date: c.clinicalDate,
  };
}

/** Base64 of a vector's Float32 bytes (little-endian, as the store keeps it). */
export function vectorToBase64(v: Float32Array): string {
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
}
