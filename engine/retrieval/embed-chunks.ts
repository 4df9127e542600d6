/**
 * Tier 3's embedding step: each chunk's `retrievalText` through the configured embedder, paired
 * with its chunk, ready for `PatientIndex.add` (and for sealing in the store with `space`).
 */
import type { Embedder } from '../providers/embedder.js';
import { type Chunk, retrievalText } from './chunk.js';
import type { IndexedChunk } from './patient-index.js';

export async function embedChunks(chunks: readonly Chunk[], embedder: Embedder, signal?: AbortSignal): Promise<{ entries: IndexedChunk[]; space: string }> {
  const { vectors, space } = await embedder.embed({ texts: chunks.map((c) => retrievalText(c)), ...(signal ? { signal } : {}) });
  return { entries: chunks.map((chunk, i) => ({ chunk, vector: vectors[i]! })), space };
}
