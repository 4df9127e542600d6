/**
 * The gateway's per-patient search indexes: loaded on first search from the sealed store
 * (load-patient-index.ts), held in the retrieval core's LRU within the configured memory budget
 * (`WARDCLERK_INDEX_BUDGET_MB`), and kept current in place by the documents pipeline
 * (documents/service.ts on upload and deletion, documents/transitions.ts when a document settles).
 * Beside each loaded index: the patient's documents still in the pipeline, so a search can say
 * `building` without reading every document record. Every method names one patient; no index is
 * ever written to disk.
 *
 * Changes for a patient whose index is loading wait for the load (PatientIndexCache.update) and
 * are applied in order after it, so a document that is uploaded, indexed or deleted during a load
 * is neither lost nor left behind.
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
  /** A new document of the patient entered the pipeline. */
  documentQueued(patientId: string, documentId: string): void;
  /** A document became INDEXED: its chunks join the index. */
  documentIndexed(tenantId: string, patientId: string, documentId: string): Promise<void>;
  /** A document FAILED: it is no longer pending. */
  documentFailed(patientId: string, documentId: string): void;
  /** A document was deleted: its chunks leave the index. */
  documentRemoved(patientId: string, documentId: string): void;
}

export class PatientIndexes implements IndexUpdates {
  readonly cache: PatientIndexCache;
  readonly space: string;
  readonly #documents: DocumentsRepo;
  readonly #embedder: Embedder;
  readonly #log: Logger;
  /** Pending documents per loaded (or just loaded) patient; dropped with the index. */
  readonly #pending = new Map<string, Set<string>>();

  constructor(o: PatientIndexesOptions) {
    this.#documents = o.documents;
    this.#embedder = o.embedder;
    this.#log = o.log;
    this.space = embeddingSpace(o.embedder);
    this.cache = new PatientIndexCache({
      budgetBytes: o.budgetBytes,
      onEvict: (patientId, bytes) => {
        this.#pending.delete(patientId);
        o.log.debug({ bytes }, 'patient index evicted');
      },
    });
  }

  /** The patient's index, built from the sealed store when it is not in memory. */
  index(tenantId: string, patientId: string): Promise<PatientIndex> {
    return this.cache.get(patientId, async () => {
      const started = performance.now();
      const loaded = await loadPatientIndex(this.#documents, tenantId, patientId, { space: this.space, dimensions: this.#embedder.dimensions });
      // Set now, with no await before the cache takes the index: changes queued during the load apply to it.
      this.#pending.set(patientId, new Set(loaded.pending));
      this.#log.info({ chunks: loaded.index.size, skipped: loaded.skipped, pending: loaded.pending.length, ms: Math.round(performance.now() - started) }, 'patient index loaded');
      return loaded.index;
    });
  }

  /**
   * Drops the patient's loaded index and builds it again from the sealed store (a RAG refresh).
   * 'not_loaded' when none was in memory: there is nothing to drop, and the next search builds it.
   */
  async rebuild(tenantId: string, patientId: string): Promise<'rebuilt' | 'not_loaded'> {
    if (!this.cache.evict(patientId)) return 'not_loaded';
    await this.index(tenantId, patientId);
    return 'rebuilt';
  }

  /** The patient's documents still in the pipeline, as known since their index was loaded (0 when not loaded). */
  pending(patientId: string): number {
    return this.#pending.get(patientId)?.size ?? 0;
  }

  /** The question's vector, in the indexes' space. */
  async embedQuery(text: string, signal?: AbortSignal): Promise<{ vector: Float32Array; space: string }> {
    const { vectors, space } = await this.#embedder.embed({ texts: [text], ...(signal ? { signal } : {}) });
    return { vector: vectors[0]!, space };
  }

  documentQueued(patientId: string, documentId: string): void {
    this.cache.update(patientId, () => this.#pending.get(patientId)?.add(documentId));
  }

  /**
   * The document's chunks join the patient's index if it is loaded (or loading). Should that
   * fail, the index is dropped: the next search loads it from the store.
   */
  async documentIndexed(tenantId: string, patientId: string, documentId: string): Promise<void> {
    // Neither loaded nor loading (a no-op update says which): the next load reads the store.
    if (!this.cache.peek(patientId) && !this.cache.update(patientId, () => {})) return;
    try {
      const { entries } = await documentEntries(this.#documents, tenantId, documentId, this.space);
      this.cache.update(patientId, (index) => {
        index.add(entries, this.space);
        this.#pending.get(patientId)?.delete(documentId);
      });
    } catch (e) {
      this.cache.evict(patientId);
      this.#log.warn({ document_id: documentId, err: { type: (e as Error)?.name, code: (e as { code?: string })?.code } }, 'patient index dropped: a new document could not be added');
    }
  }

  documentFailed(patientId: string, documentId: string): void {
    this.cache.update(patientId, () => this.#pending.get(patientId)?.delete(documentId));
  }

  documentRemoved(patientId: string, documentId: string): void {
    this.cache.update(patientId, (index) => {
      index.removeDocument(documentId);
      this.#pending.get(patientId)?.delete(documentId);
    });
  }
}
