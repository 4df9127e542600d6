/**
 * Tier 3 of the documents pipeline: the document's pages become section-aware chunks with the
 * retrieval core's chunker (engine/retrieval/chunk-document.ts: inside one section and one page,
 * exact character ranges, overlap) and each chunk an embedding of its retrieval text (title and
 * section header added, as PatientIndex indexes it). The worker hands both to the store, which
 * seals them with the patient's key (`wc.store.document.chunks-put`).
 *
 * The embedder is the no-model `concept` embedder, run in this process: the engine does not yet
 * serve embeddings over the bus, nor is an embedder configurable. Once it is, `EmbedFn` becomes a
 * call to the engine; every vector is stored with its embedding space, so vectors of two
 * embedders are never mixed.
 */
import type { DocumentChunk, DocumentType, PageText } from '../core/documents/records.js';
import { createConceptEmbedder } from '../engine/providers/concept-embedder.js';
import { chunkDocument } from '../engine/retrieval/chunk-document.js';
import { retrievalText } from '../engine/retrieval/chunk.js';

export interface ChunkInput {
  documentId: string;
  type: DocumentType;
  clinicalDate: string | null;
  pages: readonly PageText[];
}

/** Embeds texts: one vector per text, in order, and the embedding space they live in. */
export type EmbedFn = (texts: string[]) => Promise<{ vectors: Float32Array[]; space: string }>;

/** The concept embedder in this process (see the module comment). */
export function createWorkerEmbed(): EmbedFn {
  const embedder = createConceptEmbedder();
  return async (texts) => embedder.embed({ texts });
}

const TITLES: Record<DocumentType, string> = {
  lab_report: 'Lab report', discharge_summary: 'Discharge summary', imaging_report: 'Imaging report',
  consultation_note: 'Consultation note', pathology_report: 'Pathology report', other: '',
};

/** A stored chunk and the text its vector is made of. */
export interface ChunkToEmbed {
  chunk: DocumentChunk;
  embedText: string;
}

/** The document's chunks in page and text order (`seq` 0, 1, …; ids `<document id>#<page>:<start>`). */
export function documentChunks(input: ChunkInput): ChunkToEmbed[] {
  const title = TITLES[input.type];
  const chunks = chunkDocument({ docId: input.documentId, type: input.type, clinicalDate: input.clinicalDate, title, pages: input.pages.map((p) => p.text) });
  return chunks.map((c, seq) => ({
    chunk: {
      chunk_id: c.id, document_id: input.documentId, seq, page: c.page, start: c.start, end: c.end, section: { kind: c.section.kind, title: c.section.title },
      text: c.text, tokens: c.tokens, doc_title: title, doc_type: input.type, clinical_date: input.clinicalDate,
    },
    embedText: retrievalText(c),
  }));
}

/** Base64 of a vector's Float32 bytes (little-endian, as the store keeps it). */
export function vectorToBase64(v: Float32Array): string {
  return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
}
