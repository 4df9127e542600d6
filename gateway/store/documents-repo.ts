/**
 * Patient documents (issue 9): the record, the original file in sealed parts, the ingested page
 * texts, tier 2's extraction and tier 3's chunks and vectors — every value sealed with the
 * patient's key, every key a random id, a number or a blind index. The same file twice for one
 * patient is found through a blind index of `<patient id>:<sha-256>` (the hash itself is sealed in
 * the record). Writers here return operations; callers commit them in one synced batch, so a
 * document, and its deletion, is all or nothing.
 */
import { z } from 'zod';
import { blindIndex, newId } from '../../core/crypto.js';
import { WardClerkError } from '../../core/errors.js';
import {
  ChunkVectorSchema, DocumentChunkSchema, DocumentExtractionSchema, DocumentRecordSchema, PageTextSchema,
  type ChunkVector, type DocumentChunk, type DocumentExtraction, type DocumentRecord, type PageText,
} from '../../core/documents/records.js';
import type { RawOp } from './group-commit.js';
import type { Table, TenantTables } from './layout.js';
import { listPatientIndex, patientIndexOp, type Page } from './patient-index.js';
import { patientSeal, tenantScope, type TenantScope } from './patient-seal.js';
import { queueEntries } from './queue-table.js';
import type { JobRecord } from './records.js';
import type { StoreContext } from './store-context.js';
import type { SealWith } from './vault.js';

export const DOCUMENT_ID_RE = /^doc_[0-9A-HJKMNP-TV-Z]{26}$/;
/** Size of one sealed part of an original file. */
export const DOCUMENT_PART_BYTES = 1024 * 1024;

const HashPointerSchema = z.object({ document_id: z.string().regex(DOCUMENT_ID_RE) });
/** A document whose pipeline job may not be queued yet (ids only). */
export const QueuedDocumentSchema = z.object({ tenant_id: z.string(), document_id: z.string() });
export type QueuedDocument = z.infer<typeof QueuedDocumentSchema>;

const part = (n: number) => String(n).padStart(5, '0');
const pageKey = (documentId: string, page: number) => `${documentId}:${String(page).padStart(4, '0')}`;
const seqKey = (documentId: string, seq: number) => `${documentId}:${part(seq)}`;

export class DocumentsRepo {
  readonly #ctx: StoreContext;

  constructor(ctx: StoreContext) {
    this.#ctx = ctx;
  }

  /** A fresh document id. */
  newId(): string {
    return newId('doc');
  }

  /** Runs `fn` alone for this document (pipeline steps, deletion). */
  lock<T>(tenantId: string, documentId: string, fn: () => Promise<T>): Promise<T> {
    return this.#ctx.locks.run(`doc:${tenantId}:${documentId}`, fn);
  }

  /** Runs `fn` alone for this patient's uploads (so two uploads of one file make one document). */
  lockUploads<T>(tenantId: string, patientId: string, fn: () => Promise<T>): Promise<T> {
    return this.#ctx.locks.run(`doc-upload:${tenantId}:${patientId}`, fn);
  }

  /** The tenant scope and the patient's seal; NOT_FOUND (resource patient) when the patient has no key. */
  async seal(tenantId: string, patientId: string): Promise<{ scope: TenantScope; seal: SealWith }> {
    const scope = await tenantScope(this.#ctx, tenantId);
    const seal = await patientSeal(this.#ctx, scope, tenantId, patientId);
    if (!seal) throw new WardClerkError('NOT_FOUND', 'No such patient', { details: { resource: 'patient' } });
    return { scope, seal };
  }

  #hashKey(scope: TenantScope, patientId: string, sha256: string): string {
    return blindIndex(scope.keys.indexKey, `${patientId}:${sha256}`);
  }

  /** The patient's document with these bytes' SHA-256, or null. */
  async findByHash(tenantId: string, patientId: string, sha256: string): Promise<DocumentRecord | null> {
    const scope = await tenantScope(this.#ctx, tenantId);
    const pointer = await this.#ctx.vault.get(scope.tables.documentsByHash, this.#hashKey(scope, patientId, sha256), tenantId, HashPointerSchema);
    if (!pointer) return null;
    const doc = await this.get(tenantId, pointer.document_id);
    return doc && doc.patient_id === patientId ? doc : null;
  }

  /**
   * Stores a new document in ONE synced batch: record, indexes, job, the original in sealed parts,
   * its entry in the document queue (removed once JetStream has its job) and `alsoWrite` (e.g. an
   * outbox event).
   */
  async create(tenantId: string, doc: DocumentRecord, bytes: Uint8Array, job: JobRecord, alsoWrite: RawOp[] = []): Promise<void> {
    const { scope, seal } = await this.seal(tenantId, doc.patient_id);
    const entry: QueuedDocument = { tenant_id: tenantId, document_id: doc.document_id };
    await this.#ctx.writer.write([
      ...this.createOps(scope, seal, doc, bytes, job),
      this.#ctx.vault.put(this.#ctx.layout.documentQueue, doc.document_id, entry, { kind: 'system' }),
      ...alsoWrite,
    ]);
  }

  /** Documents whose job may not be queued yet (oldest first), at most `limit`. */
  queued(limit = 1000): Promise<QueuedDocument[]> {
    return queueEntries(this.#ctx, this.#ctx.layout.documentQueue, QueuedDocumentSchema, limit);
  }

  /** Removes queue entries (their jobs are on JetStream, or their documents moved on or are gone). */
  async dequeue(documentIds: string[]): Promise<void> {
    const table = this.#ctx.layout.documentQueue;
    await this.#ctx.writer.write(documentIds.map((id) => ({ type: 'del' as const, key: table.fullKey(id) })));
  }

  /** Operations that store a new document: its record, indexes, job and the original in sealed parts. */
  createOps(scope: TenantScope, seal: SealWith, doc: DocumentRecord, bytes: Uint8Array, job: JobRecord): RawOp[] {
    const t = scope.tables;
    const ops: RawOp[] = [
      ...this.ops(scope, seal, doc),
      patientIndexOp(t.documentsByPatient, doc.patient_id, doc.document_id),
      this.#ctx.vault.put(t.documentsByHash, this.#hashKey(scope, doc.patient_id, doc.sha256), { document_id: doc.document_id }, seal),
      this.#ctx.vault.put(t.jobs, job.job_id, job, { kind: 'tenant', keys: scope.keys }),
    ];
    for (let n = 0; n * DOCUMENT_PART_BYTES < bytes.length; n++) {
      ops.push(this.#ctx.vault.putBytes(t.documentParts, seqKey(doc.document_id, n), bytes.subarray(n * DOCUMENT_PART_BYTES, (n + 1) * DOCUMENT_PART_BYTES), seal));
    }
    return ops;
  }

  /** The number of parts `bytes` is stored in. */
  static partsOf(size: number): number {
    return Math.max(1, Math.ceil(size / DOCUMENT_PART_BYTES));
  }

  /** The operation that stores `doc` (a new state of the record). */
  ops(scope: TenantScope, seal: SealWith, doc: DocumentRecord): RawOp[] {
    return [this.#ctx.vault.put(scope.tables.documents, doc.document_id, DocumentRecordSchema.parse(doc), seal)];
  }

  /** The operation that stores a job record (tenant key: ids and counts only). */
  jobOp(scope: TenantScope, job: JobRecord): RawOp {
    return this.#ctx.vault.put(scope.tables.jobs, job.job_id, job, { kind: 'tenant', keys: scope.keys });
  }

  /** The document, or null (unknown id, another tenant's, shredded). */
  async get(tenantId: string, documentId: string): Promise<DocumentRecord | null> {
    const tables = this.#ctx.layout.tenant(tenantId);
    if (!tables || !DOCUMENT_ID_RE.test(documentId)) return null;
    return this.#ctx.vault.get(tables.documents, documentId, tenantId, DocumentRecordSchema);
  }

  /** A patient's documents, oldest first, a page at a time; `keep` filters. */
  async listByPatient(tenantId: string, patientId: string, query: { cursor?: string; limit?: number }, keep?: (d: DocumentRecord) => boolean): Promise<Page<DocumentRecord>> {
    return listPatientIndex(this.#ctx.layout.tenant(tenantId)?.documentsByPatient, patientId, query, {
      idRe: DOCUMENT_ID_RE, get: (id) => this.get(tenantId, id), idOf: (d) => d.document_id, ...(keep ? { keep } : {}),
    });
  }

  #tables(tenantId: string): TenantTables {
    const tables = this.#ctx.layout.tenant(tenantId);
    if (!tables) throw new WardClerkError('NOT_FOUND', 'tenant not found', { details: { resource: 'tenant' } });
    return tables;
  }

  /** Part `n` of the original (0-based); INTERNAL when it is missing (the record says it exists). */
  async readPart(tenantId: string, documentId: string, n: number): Promise<Uint8Array> {
    const bytes = await this.#ctx.vault.getBytes(this.#tables(tenantId).documentParts, seqKey(documentId, n), tenantId);
    if (!bytes) throw new WardClerkError('INTERNAL', 'a part of the stored document is missing', { details: { reason: 'part_missing', part: n } });
    return bytes;
  }

  /** Operations that store ingested page texts. */
  pageOps(scope: TenantScope, seal: SealWith, documentId: string, pages: PageText[]): RawOp[] {
    return pages.map((p) => this.#ctx.vault.put(scope.tables.documentPages, pageKey(documentId, p.page), p, seal));
  }

  /** Page texts from page `from` (1-based), at most `count`, in page order. */
  async readPages(tenantId: string, documentId: string, from: number, count: number): Promise<PageText[]> {
    const table = this.#tables(tenantId).documentPages;
    const out: PageText[] = [];
    for await (const [key, value] of table.sub.iterator({ gte: pageKey(documentId, from), lt: `${documentId};`, limit: count })) {
      const page = await this.#ctx.vault.decode(table.fullKey(key), value, tenantId, PageTextSchema);
      if (page) out.push(page);
    }
    return out;
  }

  /** How many entries the document has under `table` (pages, chunks, vectors). */
  async count(tenantId: string, documentId: string, which: 'documentPages' | 'documentChunks' | 'documentVectors'): Promise<number> {
    let n = 0;
    for await (const _ of this.#tables(tenantId)[which].sub.keys({ gt: `${documentId}:`, lt: `${documentId};` })) n++;
    return n;
  }

  /** The operation that stores tier 2's extraction. */
  extractionOp(scope: TenantScope, seal: SealWith, documentId: string, value: DocumentExtraction): RawOp {
    return this.#ctx.vault.put(scope.tables.documentExtractions, documentId, value, seal);
  }

  /** Tier 2's extraction of the document, or null. */
  async extraction(tenantId: string, documentId: string): Promise<DocumentExtraction | null> {
    return this.#ctx.vault.get(this.#tables(tenantId).documentExtractions, documentId, tenantId, DocumentExtractionSchema);
  }

  /** Operations that store chunks and vectors (keyed by the chunk's seq: the same chunk again overwrites itself). */
  chunkOps(scope: TenantScope, seal: SealWith, documentId: string, chunks: DocumentChunk[], vectors: ChunkVector[]): RawOp[] {
    const seqOf = new Map(chunks.map((c) => [c.chunk_id, c.seq]));
    const ops = chunks.map((c) => this.#ctx.vault.put(scope.tables.documentChunks, seqKey(documentId, c.seq), DocumentChunkSchema.parse(c), seal));
    for (const v of vectors) {
      const seq = seqOf.get(v.chunk_id);
      if (seq === undefined) throw new WardClerkError('VALIDATION_FAILED', 'A vector names a chunk that is not in the request', { details: { field: 'vectors' } });
      ops.push(this.#ctx.vault.put(scope.tables.documentVectors, seqKey(documentId, seq), ChunkVectorSchema.parse(v), seal));
    }
    return ops;
  }

  /** The document's chunks, in order. */
  async chunks(tenantId: string, documentId: string): Promise<DocumentChunk[]> {
    return this.#readAll(this.#tables(tenantId).documentChunks, tenantId, documentId, DocumentChunkSchema);
  }

  /** The document's chunk vectors, in chunk order. */
  async vectors(tenantId: string, documentId: string): Promise<ChunkVector[]> {
    return this.#readAll(this.#tables(tenantId).documentVectors, tenantId, documentId, ChunkVectorSchema);
  }

  async #readAll<S extends z.ZodType>(table: Table, tenantId: string, documentId: string, schema: S): Promise<Array<z.infer<S>>> {
    const out: Array<z.infer<S>> = [];
    for await (const [key, value] of table.sub.iterator({ gt: `${documentId}:`, lt: `${documentId};` })) {
      const v = await this.#ctx.vault.decode(table.fullKey(key), value, tenantId, schema);
      if (v !== null) out.push(v);
    }
    return out;
  }

  /** Deletions of chunks and vectors from `seq` on (a shorter re-run leaves none behind), and how many chunks they remove. */
  async chunkTailOps(tenantId: string, documentId: string, fromSeq: number): Promise<{ ops: RawOp[]; chunks: number }> {
    const t = this.#tables(tenantId);
    const ops: RawOp[] = [];
    let chunks = 0;
    for (const table of [t.documentChunks, t.documentVectors]) {
      for await (const key of table.sub.keys({ gte: seqKey(documentId, fromSeq), lt: `${documentId};` })) {
        ops.push({ type: 'del', key: table.fullKey(key) });
        if (table === t.documentChunks) chunks++;
      }
    }
    return { ops, chunks };
  }

  /**
   * Operations that remove the document and everything of it: record, indexes, original, page
   * texts, extraction, chunks and vectors (the job record stays: ids and counts only).
   */
  async deleteOps(tenantId: string, doc: DocumentRecord): Promise<RawOp[]> {
    const scope = await tenantScope(this.#ctx, tenantId);
    const t = scope.tables;
    const id = doc.document_id;
    const ops: RawOp[] = [
      { type: 'del', key: t.documents.fullKey(id) },
      { type: 'del', key: t.documentsByPatient.fullKey(`${doc.patient_id}:${id}`) },
      { type: 'del', key: t.documentExtractions.fullKey(id) },
      { type: 'del', key: this.#ctx.layout.documentQueue.fullKey(id) },
    ];
    // The hash pointer goes only while it still names this document.
    const hashKey = this.#hashKey(scope, doc.patient_id, doc.sha256);
    const pointer = await this.#ctx.vault.get(t.documentsByHash, hashKey, tenantId, HashPointerSchema);
    if (pointer?.document_id === id) ops.push({ type: 'del', key: t.documentsByHash.fullKey(hashKey) });
    for (const table of [t.documentParts, t.documentPages, t.documentChunks, t.documentVectors]) {
      for await (const key of table.sub.keys({ gt: `${id}:`, lt: `${id};` })) ops.push({ type: 'del', key: table.fullKey(key) });
    }
    return ops;
  }

  /** Durable write of operations built here and elsewhere (one synced batch). */
  write(ops: RawOp[]): Promise<void> {
    return this.#ctx.writer.write(ops);
  }
}
