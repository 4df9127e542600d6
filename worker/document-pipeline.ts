/**
 * Pipeline step for a patient document (issue 9). Payload: a DocumentMessage (ids only). The
 * worker reads the document's state from the store (`wc.store.document.get`) and runs what is
 * left, each step made durable by the gateway before the next starts:
 *   RECEIVED  → ingest (document-ingest.ts), page texts stored → INGESTED
 *   INGESTED  → ANALYZING
 *   ANALYZING → tier 2 (document-analyze.ts) stored, then tier 3 (document-index.ts) stored → INDEXED
 * Idempotent: every step re-reads the state and the store applies a change only from the status
 * it expects, so a redelivery (or a worker killed mid-document) resumes at the first step not yet
 * durable and finishes the document exactly once. A failure of the document itself fails it with
 * its code (term); engine or store trouble is retried with a delay, and on the last allowed
 * delivery the document fails INTERNAL and is dead-lettered.
 */
import type { JsMsg } from '@nats-io/jetstream';
import { contracts, DocumentMessageSchema, MAX_DOCUMENT_BATCH, type DocumentMessage } from '../core/contracts.js';
import type { ChunkVector, DocumentStatus, PageText } from '../core/documents/records.js';
import type { WardClerkError } from '../core/errors.js';
import { sendDeadLetter } from './dead-letter.js';
import { analyzeDocument } from './document-analyze.js';
import { embeddingSpace, type Embedder } from '../engine/providers/embedder.js';
import { embedChunks } from '../engine/retrieval/embed-chunks.js';
import { documentChunks, storedChunk, vectorToBase64 } from './document-index.js';
import { DocumentFailure, ingestDocument } from './document-ingest.js';
import { parseMessage } from './parse-message.js';
import { stepRetryDelayMs, whileWorking, type PipelineStepDeps } from './pipeline-step.js';
import { isTransient, toCodedError } from './retry-policy.js';

export type DocumentOutcome = 'indexed' | 'already-done' | 'failed' | 'retry' | 'dead' | 'missing' | 'invalid';

export interface DocumentPipelineDeps extends PipelineStepDeps {
  /** Tier 3's embedder (the concept embedder in the worker, see document-index.ts). */
  embedder: Embedder;
}

/** Bytes of text per store request, well under the bus's payload limit. */
const BATCH_BYTES = 2 * 1024 * 1024;
/** More steps than a document has means a bug: stop rather than loop. */
const MAX_STEPS = 12;

/** `items` in consecutive batches of at most MAX_DOCUMENT_BATCH items and about BATCH_BYTES of `size`. */
function batches<T>(items: readonly T[], size: (item: T) => number): T[][] {
  const out: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const n = size(item);
    if (current.length > 0 && (current.length >= MAX_DOCUMENT_BATCH || bytes + n > BATCH_BYTES)) {
      out.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += n;
  }
  if (current.length) out.push(current);
  return out;
}

async function readAllPages(deps: DocumentPipelineDeps, ref: DocumentMessage, pageCount: number): Promise<PageText[]> {
  const pages: PageText[] = [];
  while (pages.length < pageCount) {
    const got = await deps.bus.request(contracts.documentPagesGet, { ...ref, from: pages.length + 1, count: Math.min(50, pageCount - pages.length) });
    if (got.pages.length === 0) break;
    pages.push(...got.pages);
  }
  return pages;
}

/** Runs the steps still to do; resolves with the status the document ends in and how many steps ran. */
async function runSteps(deps: DocumentPipelineDeps, ref: DocumentMessage, alive: () => void): Promise<{ status: DocumentStatus; steps: number }> {
  const { bus } = deps;
  const timeouts = { bus, engineTimeoutMs: deps.settings.engineTimeoutMs };
  for (let step = 0; step < MAX_STEPS; step++) {
    const doc = await bus.request(contracts.documentGet, ref);
    switch (doc.status) {
      case 'INDEXED':
      case 'FAILED':
        return { status: doc.status, steps: step };
      case 'RECEIVED': {
        const pages = await ingestDocument(timeouts, ref, doc, alive);
        for (const b of batches(pages, (p) => p.text.length * 3 + 64)) {
          await bus.request(contracts.documentPagesPut, { ...ref, pages: b.map(({ page, text }) => ({ page, text })) });
        }
        const meta = pages.map((p) => ({ page: p.page, text_source: p.text_source, ocr_confidence: p.ocr_confidence, chars: p.text.length }));
        await bus.request(contracts.documentIngested, { ...ref, pages: meta });
        break;
      }
      case 'INGESTED':
        await bus.request(contracts.documentStart, ref);
        break;
      case 'ANALYZING': {
        const pages = await readAllPages(deps, ref, doc.page_count);
        if (!doc.analyzed) {
          const confidences = doc.pages.flatMap((p) => (p.ocr_confidence === null ? [] : [p.ocr_confidence]));
          const { extraction, locations } = await analyzeDocument(timeouts, ref, pages, confidences.length ? Math.min(...confidences) : null, alive);
          await bus.request(contracts.documentAnalyzed, { ...ref, extraction, locations });
          break;
        }
        const chunks = documentChunks({ documentId: ref.document_id, type: doc.type, clinicalDate: doc.clinical_date, pages });
        const space = embeddingSpace(deps.embedder);
        let seq = 0;
        for (const b of batches(chunks, (c) => c.text.length * 3 + 4096)) {
          const { entries } = await embedChunks(b, deps.embedder);
          const stored = entries.map((e) => storedChunk(e.chunk, seq++));
          const vectors: ChunkVector[] = entries.map((e, i) => ({ chunk_id: stored[i]!.chunk_id, space, dimensions: e.vector.length, vector_b64: vectorToBase64(e.vector) }));
          await bus.request(contracts.documentChunksPut, { ...ref, chunks: stored, vectors });
          alive();
        }
        await bus.request(contracts.documentIndexed, { ...ref, chunk_count: chunks.length, embedding_space: space });
        break;
      }
    }
  }
  throw new Error('document pipeline did not settle within its steps');
}

/** Handles one delivery of a document message (ack, nak or term). Never throws for expected failures. */
export async function handleDocumentMessage(msg: JsMsg, deps: DocumentPipelineDeps): Promise<DocumentOutcome> {
  const ref = parseMessage(msg, DocumentMessageSchema, deps.log);
  if (!ref) return 'invalid';
  const attempt = msg.info.deliveryCount;
  const last = attempt >= deps.settings.itemMaxDeliver;
  try {
    const { status, steps } = await whileWorking(msg, deps.settings.itemAckWaitMs, () => runSteps(deps, ref, () => msg.working()));
    msg.ack();
    deps.log.debug({ document_id: ref.document_id, status, attempt }, 'document done');
    if (steps === 0) return 'already-done';
    return status === 'INDEXED' ? 'indexed' : 'failed';
  } catch (e) {
    if (e instanceof DocumentFailure) return fail(msg, ref, { code: e.code, message: e.message }, false, deps);
    const error = toCodedError(e);
    if (error.code === 'NOT_FOUND') {
      msg.term();
      deps.log.warn({ document_id: ref.document_id, code: error.code }, 'document not found (deleted)');
      return 'missing';
    }
    if (isTransient(error) && !last) {
      msg.nak(stepRetryDelayMs(attempt, deps.settings.itemAckWaitMs));
      deps.log.warn({ document_id: ref.document_id, code: error.code, attempt }, 'document retry');
      return 'retry';
    }
    const exhausted = isTransient(error);
    return fail(msg, ref, exhausted ? { code: 'INTERNAL', message: 'The document was not processed within its allowed attempts' } : { code: error.code, message: error.message }, exhausted, deps, error);
  }
}

async function fail(
  msg: JsMsg, ref: DocumentMessage, failure: { code: string; message: string }, exhausted: boolean, deps: DocumentPipelineDeps, cause?: WardClerkError,
): Promise<DocumentOutcome> {
  const attempt = msg.info.deliveryCount;
  try {
    await deps.bus.request(contracts.documentFail, { ...ref, code: failure.code, message: failure.message.slice(0, 500) });
    if (exhausted) {
      await sendDeadLetter(deps.bus, {
        kind: 'documents', tenant_id: ref.tenant_id, ref: ref.document_id, code: cause?.code ?? failure.code, message: failure.message, attempts: attempt, ids: { document_id: ref.document_id },
      });
    }
  } catch (e) {
    const code = toCodedError(e).code;
    if (code === 'NOT_FOUND') {
      msg.term();
      return 'missing';
    }
    msg.nak(stepRetryDelayMs(attempt, deps.settings.itemAckWaitMs));
    deps.log.warn({ document_id: ref.document_id, code: failure.code, record_code: code, attempt }, 'document failure not recorded; retrying');
    return 'retry';
  }
  msg.term();
  deps.log.warn({ document_id: ref.document_id, code: failure.code, attempt }, exhausted ? 'document dead-lettered' : 'document failed');
  return exhausted ? 'dead' : 'failed';
}
