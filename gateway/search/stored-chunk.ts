/**
 * The store's shapes of tier 3 (snake_case `DocumentChunk` and `ChunkVector`, unsealed) as the
 * retrieval core's `IndexedChunk`. The inverse of worker/document-index.ts's `storedChunk` and
 * `vectorToBase64`.
 */
import { SECTION_KINDS } from '../../core/clinical/extraction.js';
import type { ChunkVector, DocumentChunk } from '../../core/documents/records.js';
import { WardClerkError } from '../../core/errors.js';
import type { Chunk, ChunkSection } from '../../engine/retrieval/chunk.js';
import type { IndexedChunk } from '../../engine/retrieval/patient-index.js';

const KINDS = new Set<string>([...SECTION_KINDS, 'preamble']);

function sectionOf(s: DocumentChunk['section']): ChunkSection {
  // A kind this version does not know (a newer chunker's) is searched as `other`, its title kept.
  const kind = KINDS.has(s.kind) ? (s.kind as ChunkSection['kind']) : 'other';
  return { kind, title: s.title };
}

/** The engine's Chunk of a stored chunk. */
export function chunkOfStored(c: DocumentChunk): Chunk {
  return {
    id: c.chunk_id, docId: c.document_id, docType: c.doc_type, clinicalDate: c.clinical_date, docTitle: c.doc_title,
    page: c.page, start: c.start, end: c.end, section: sectionOf(c.section), text: c.text, tokens: c.tokens,
  };
}

/** The Float32 values of a stored vector; INTERNAL when its bytes do not match its declared dimensions. */
export function vectorOfStored(v: ChunkVector): Float32Array {
  const bytes = Buffer.from(v.vector_b64, 'base64');
  if (bytes.byteLength !== v.dimensions * 4) {
    throw new WardClerkError('INTERNAL', 'a stored chunk vector does not match its dimensions', { details: { reason: 'vector_size', dimensions: v.dimensions } });
  }
  // A copy: the values must be 4-byte aligned, and Buffer's pool gives no such promise.
  const out = new Float32Array(v.dimensions);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

/**
 * A document's stored chunks joined with their vectors of embedding space `space`, in chunk
 * order. Chunks without a vector of that space are left out and counted in `skipped`.
 */
export function indexedChunksOf(chunks: readonly DocumentChunk[], vectors: readonly ChunkVector[], space: string): { entries: IndexedChunk[]; skipped: number } {
  const byId = new Map(vectors.filter((v) => v.space === space).map((v) => [v.chunk_id, v]));
  const entries: IndexedChunk[] = [];
  let skipped = 0;
  for (const c of chunks) {
    const v = byId.get(c.chunk_id);
    if (!v) {
      skipped++;
      continue;
    }
    entries.push({ chunk: chunkOfStored(c), vector: vectorOfStored(v) });
  }
  return { entries, skipped };
}
