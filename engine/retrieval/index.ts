/** The retrieval core (issue 9): chunking, per-patient BM25 + HNSW indexes, hybrid search, the LRU. */
export { type Chunk, type ChunkableDocument, type ChunkSection, type DocumentType, DOCUMENT_TYPES, retrievalText } from './chunk.js';
export { type ChunkOptions, chunkDocument } from './chunk-document.js';
export { clinicalTerms, countTokens, indexTerms } from './clinical-tokens.js';
export { embedChunks } from './embed-chunks.js';
export { layExpansions, retrievalQuery } from './lay-terms.js';
export { type IndexedChunk, PatientIndex, type PatientIndexOptions, type SearchHit, type SearchMode, type SearchQuery } from './patient-index.js';
export { DEFAULT_INDEX_BUDGET_BYTES, PatientIndexCache, type PatientIndexCacheOptions } from './patient-index-cache.js';
export { type PreparedQuery, prepareQuery } from './prepare-query.js';
export { reciprocalRankFusion } from './rrf.js';
export type { SearchFilters } from './search-filters.js';
export { type Recency, temporalCue } from './temporal-cue.js';
