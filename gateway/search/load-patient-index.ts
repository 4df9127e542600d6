/**
 * Builds one patient's PatientIndex in memory from the sealed store: the chunks and vectors of the
 * patient's INDEXED documents only (documents still in the pipeline are counted as pending), unsealed with the patient's key (the repo's reads), joined and
 * mapped onto the engine's Chunk. Nothing is written anywhere: the index lives in memory only.
 */
import { PatientIndex } from '../../engine/retrieval/patient-index.js';
import type { IndexedChunk } from '../../engine/retrieval/patient-index.js';
import type { DocumentsRepo } from '../store/documents-repo.js';
import { MAX_PAGE } from '../store/store-context.js';
import { indexedChunksOf } from './stored-chunk.js';

export interface IndexSpace {
  /** The embedding space of the query embedder; chunks of another space are not loaded. */
  space: string;
  dimensions: number;
}

export interface LoadedIndex {
  index: PatientIndex;
  /** Chunks left out because their vectors are of another embedding space (a re-embed is due). */
  skipped: number;
  /** Documents of the patient still in the pipeline (RECEIVED, INGESTED, ANALYZING). */
  pending: string[];
}

const PENDING: ReadonlySet<string> = new Set(['RECEIVED', 'INGESTED', 'ANALYZING']);

/** The chunks of one INDEXED document of the patient, ready for `PatientIndex.add`. */
export async function documentEntries(documents: DocumentsRepo, tenantId: string, documentId: string, space: string): Promise<{ entries: IndexedChunk[]; skipped: number }> {
  const [chunks, vectors] = await Promise.all([documents.chunks(tenantId, documentId), documents.vectors(tenantId, documentId)]);
  return indexedChunksOf(chunks, vectors, space);
}

/** The patient's index from the store (see the module comment). */
export async function loadPatientIndex(documents: DocumentsRepo, tenantId: string, patientId: string, at: IndexSpace): Promise<LoadedIndex> {
  const all: IndexedChunk[] = [];
  const pending: string[] = [];
  let skipped = 0;
  let cursor: string | undefined;
  do {
    const page = await documents.listByPatient(tenantId, patientId, { limit: MAX_PAGE, ...(cursor ? { cursor } : {}) });
    for (const doc of page.items) {
      if (PENDING.has(doc.status)) pending.push(doc.document_id);
      if (doc.status !== 'INDEXED') continue;
      const got = await documentEntries(documents, tenantId, doc.document_id, at.space);
      all.push(...got.entries);
      skipped += got.skipped;
    }
    cursor = page.next_cursor ?? undefined;
  } while (cursor);
  // Built in slices: one patient's large index must not stall every other request of the gateway.
  return { index: await PatientIndex.build({ patientId, space: at.space, dimensions: at.dimensions, chunks: all }), skipped, pending };
}
