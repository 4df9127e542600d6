/**
 * The loaded patient indexes, least recently used first out, within a memory budget (default
 * 512 MiB, counted with each index's `estimateBytes`). Every method names one patient.
 *
 * A patient's index is loaded once however many callers ask at the same time. An update for a
 * patient whose index is loading is applied when the load finishes (updates are idempotent: `add`
 * replaces a chunk with the same id and `removeDocument` of a gone document does nothing), so a
 * chunk indexed during a load is never lost. Over budget, the least recently used indexes go;
 * the one just used stays even when it alone is over the budget (it is needed to answer).
 */
import { WardClerkError } from '../../core/errors.js';
import type { PatientIndex } from './patient-index.js';

export const DEFAULT_INDEX_BUDGET_BYTES = 512 * 1024 * 1024;

export interface PatientIndexCacheOptions {
  budgetBytes?: number;
  /** Told of each eviction (for metrics); never given patient data beyond the id. */
  onEvict?: (patientId: string, bytes: number) => void;
}

interface Entry {
  index: PatientIndex;
  bytes: number;
}

interface Loading {
  promise: Promise<PatientIndex>;
  pending: Array<(index: PatientIndex) => void>;
}

export class PatientIndexCache {
  readonly budgetBytes: number;
  readonly #onEvict: ((patientId: string, bytes: number) => void) | undefined;
  /** Map order is recency: first = least recently used. */
  readonly #entries = new Map<string, Entry>();
  readonly #loading = new Map<string, Loading>();
  #bytes = 0;

  constructor(options: PatientIndexCacheOptions = {}) {
    this.budgetBytes = options.budgetBytes ?? DEFAULT_INDEX_BUDGET_BYTES;
    if (!(this.budgetBytes > 0)) throw new WardClerkError('CONFIG_INVALID', 'index memory budget must be a positive number of bytes', { details: { budgetBytes: this.budgetBytes } });
    this.#onEvict = options.onEvict;
  }

  /** Estimated bytes of all loaded indexes. */
  get bytes(): number {
    return this.#bytes;
  }

  /** Loaded indexes. */
  get size(): number {
    return this.#entries.size;
  }

  /** Patient ids loaded, least recently used first. */
  loaded(): string[] {
    return [...this.#entries.keys()];
  }

  /** The patient's index if loaded, without counting as a use. */
  peek(patientId: string): PatientIndex | undefined {
    return this.#entries.get(patientId)?.index;
  }

  /**
   * The patient's index, loading it with `load` when it is not in memory. A failed load leaves
   * nothing behind (the next call loads again) and rejects every caller waiting for it.
   */
  async get(patientId: string, load: () => Promise<PatientIndex>): Promise<PatientIndex> {
    const entry = this.#entries.get(patientId);
    if (entry) {
      this.#entries.delete(patientId);
      this.#entries.set(patientId, entry);
      return entry.index;
    }
    const inFlight = this.#loading.get(patientId);
    if (inFlight) return inFlight.promise;
    const pending: Loading['pending'] = [];
    const promise = (async () => {
      try {
        // Yield first, so the entry below is in place before a load that throws at once ends.
        await undefined;
        const index = await load();
        if (index.patientId !== patientId) {
          throw new WardClerkError('INTERNAL', 'a loaded index belongs to another patient', { details: { reason: 'index_patient_mismatch' } });
        }
        for (const apply of pending) apply(index);
        this.#insert(patientId, index);
        return index;
      } finally {
        this.#loading.delete(patientId);
      }
    })();
    this.#loading.set(patientId, { promise, pending });
    return promise;
  }

  /**
   * Applies `change` to the patient's index now if loaded (then re-measures it), or when its load
   * finishes if one is running. Returns false when neither: the store is the truth, and the next
   * load reads it.
   */
  update(patientId: string, change: (index: PatientIndex) => void): boolean {
    const entry = this.#entries.get(patientId);
    if (entry) {
      change(entry.index);
      this.#bytes -= entry.bytes;
      entry.bytes = entry.index.estimateBytes();
      this.#bytes += entry.bytes;
      this.#entries.delete(patientId);
      this.#entries.set(patientId, entry);
      this.#evictOver(patientId);
      return true;
    }
    const loading = this.#loading.get(patientId);
    if (!loading) return false;
    loading.pending.push(change);
    return true;
  }

  /** Drops the patient's index (a deleted patient, a re-embed); true when one was loaded. */
  evict(patientId: string): boolean {
    const entry = this.#entries.get(patientId);
    if (!entry) return false;
    this.#entries.delete(patientId);
    this.#bytes -= entry.bytes;
    this.#onEvict?.(patientId, entry.bytes);
    return true;
  }

  #insert(patientId: string, index: PatientIndex): void {
    const bytes = index.estimateBytes();
    this.#entries.set(patientId, { index, bytes });
    this.#bytes += bytes;
    this.#evictOver(patientId);
  }

  #evictOver(keep: string): void {
    for (const id of this.#entries.keys()) {
      if (this.#bytes <= this.budgetBytes) return;
      if (id !== keep) this.evict(id);
    }
  }
}
