import { describe, expect, it } from 'vitest';
import { ChunkVectorSchema, DocumentChunkSchema } from '../../core/documents/records.js';
import { documentChunks, storedChunk, vectorToBase64 } from '../../worker/document-index.js';
import { chunkOfStored, indexedChunksOf, vectorOfStored } from './stored-chunk.js';

const pages = [
  { page: 1, text: 'Discharge summary\nDiagnosis: Type 2 diabetes mellitus.\n\nCurrent medication\nMetformin 500 mg twice daily.' },
  { page: 2, text: 'Labs\nHbA1c 8.1 % on 2026-11-20. Potassium 4.2 mmol/L.' },
];

describe('stored chunks as the retrieval core reads them', () => {
  const chunks = documentChunks({ documentId: 'doc_01', type: 'discharge_summary', clinicalDate: '2026-11-28', pages });

  it('a chunk as the worker stores it comes back as the same engine Chunk', () => {
    expect(chunks.length).toBeGreaterThan(1);
    for (const [seq, c] of chunks.entries()) {
      const stored = DocumentChunkSchema.parse(JSON.parse(JSON.stringify(storedChunk(c, seq))));
      expect(chunkOfStored(stored)).toEqual(c);
    }
  });

  it('a section kind this version does not know is searched as other, its title kept', () => {
    const stored = storedChunk(chunks[0]!, 0);
    expect(chunkOfStored({ ...stored, section: { kind: 'future_kind', title: 'Odd header' } }).section).toEqual({ kind: 'other', title: 'Odd header' });
  });

  it('a vector survives base64 exactly; a wrong length is INTERNAL', () => {
    const v = new Float32Array([0.5, -0.25, 1e-7, 3]);
    const stored = ChunkVectorSchema.parse({ chunk_id: 'c', space: 's', dimensions: 4, vector_b64: vectorToBase64(v) });
    expect(Array.from(vectorOfStored(stored))).toEqual(Array.from(v));
    expect(() => vectorOfStored({ ...stored, dimensions: 5 })).toThrow(expect.objectContaining({ code: 'INTERNAL' }));
  });

  it('joins chunks with their vectors of one space; others are skipped and counted', () => {
    const stored = chunks.map((c, i) => storedChunk(c, i));
    const vectors = chunks.map((c, i) => ({ chunk_id: c.id, space: i === 0 ? 'other:space@1' : 'concept:x@1', dimensions: 2, vector_b64: vectorToBase64(new Float32Array([i, 1])) }));
    const { entries, skipped } = indexedChunksOf(stored, vectors, 'concept:x@1');
    expect(skipped).toBe(1);
    expect(entries.map((e) => e.chunk.id)).toEqual(chunks.slice(1).map((c) => c.id));
    expect(Array.from(entries[0]!.vector)).toEqual([1, 1]);
  });
});
