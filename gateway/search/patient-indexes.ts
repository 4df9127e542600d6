/**
 * The gateway's per-patient search indexes: loaded on first search from the sealed store
 * (load-patient-index.ts), held in the retrieval core's LRU within the configured memory budget
 * (`WARDCLERK_INDEX_BUDGET_MB`), and kept current in place as documents are indexed or deleted
 * (documents/transitions.ts and documents/service.ts call `documentIndexed` / `documentRemoved`).
 * Every method names one patient; no index is ever written to disk.
 */
import type { Logger } from '../../core/logger.js';
import { embeddingSpace, type Embedder } from '../../engine/providers/embedder.js';
import type { PatientIndex } from '../../engine/retrieval/patient-index.js';
import { PatientIndexCache } from '../../engine/retrieval/patient-index-cache.js';
import type { DocumentsRepo } from '../store/documents-repo.js';
import { documentEntries, loadPatientIndex } from './load-patient-index.js';

export interface PatientIndexesOptions {
  documents: DocumentsRepo;
  /** Embeds questions; its space is the indexes' space. */
  embedder: Embedder;
  budgetBytes: number;
  log: Logger;
}

/** What the documents pipeline tells the indexes (documents/transitions.ts, documents/service.ts). */
export interface IndexUpdates {
  documentIndexed(tenantId: string, patientId: string, documentId: string): Promise<void>;
  documentRemoved(patientId: string, documentId: string): void;
}

export class PatientIndexes implements IndexUpdates {
  readonly cache: PatientIndexCache;
  readonly space: string;
  readonly #documents: DocumentsRepo;
  readonly #embedder: Embedder;
  readonly #log: Logger;

  constructor(o: PatientIndexesOptions) {
    this.#documents = o.documents;
    this.#embedder = o.embedder;
    this.#log = o.log;
    this.space = embeddingSpace(o.embedder);
    this.cache = new PatientIndexCache({ budgetBytes: o.budgetBytes, onEvict: (_patientId, bytes) => o.log.debug({ bytes }, 'patient index evicted') });
  }

  /** The patient's index, built from the sealed store when it is not in memory. */
  index(tenantId: string, patientId: string): Promise<PatientIndex> {
    return this.cache.get(patientId, async () => {
      const started = performance.now();
      const { index, skipped } = await loadPatientIndex(this.#documents, tenantId, patientId, { space: this.space, dimensions: this.#embedder.dimensions });
      this.#log.info({ chunks: index.size, skipped, ms: Math.round(performance.now() - started) }, 'patient index loaded');
      return index;
    });
  }

  /** The question's vector, in the indexes' space. */
  async embedQuery(text: string, signal?: AbortSignal): Promise<{ vector: Float32Array; space: string }> {
    const { vectors, space } = await this.#embedder.embed({ texts: [text], ...(signal ? { signal } : {}) });
    return { vector: vectors[0]!, space };
  }

  /**
   * A document of the patient became INDEXED: its chunks join the patient's index if it is loaded
   * (or loading). Should that fail, the index is dropped: the next search loads it from the store.
   */
  async documentIndexed(tenantId: string, patientId: string, documentId: string): Promise<void> {
    // Neither loaded nor loading (a no-op update says which): the next load reads the store.
    if (!this.cache.peek(patientId) && !this.cache.update(patientId, () => {})) return;
    try {
      const { entries } = await documentEntries(this.#documents, tenantId, documentId, this.space);
      this.cache.update(patientId, (index) => index.add(entries, this.space));
    } catch (e) {
      this.cache.evict(patientId);
      this.#log.warn({ document_id: documentId, err: { type: (e as Error)?.name, code: (e as { code?: string })?.code } }, 'patient index dropped: a new document could not be added');
    }
  }

  /** A document of the patient was deleted: its chunks leave the loaded (or loading) index at once. */
  documentRemoved(patientId: string, documentId: string): void {
    this.cache.update(patientId, (index) => index.removeDocument(documentId));
  }
}
