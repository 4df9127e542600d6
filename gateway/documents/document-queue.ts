/**
 * Queuing a stored document's pipeline job on JetStream (`wc.docs.<tenant>`, ids only, the
 * document id as `Nats-Msg-Id`), with the store's document queue as its outbox: the entry written
 * in the document's own batch (DocumentsRepo.create) is removed once JetStream has the job.
 *
 * `requeueDocuments` publishes the job again for every entry left behind — a gateway killed
 * between storing a document and queuing it — whose document is still RECEIVED, and drops the
 * entries of documents that moved on or are gone. The gateway runs it once at start, before it
 * listens, then on a timer for entries at least `olderThanMs` old, so an upload still queuing its
 * document is never raced. A job published twice is one message within JetStream's duplicate
 * window, and the pipeline is idempotent after it: a document is processed once.
 */
import type { JetStreamClient } from '@nats-io/jetstream';
import { encodeJson } from '../../core/bus.js';
import { docSubject, type DocumentMessage } from '../../core/contracts.js';
import type { Logger } from '../../core/logger.js';
import { drainJobOutbox } from '../drain-job-outbox.js';
import { startPeriodicPass, type PeriodicPass } from '../periodic-pass.js';
import type { QueuedDocument } from '../store/documents-repo.js';
import type { Store } from '../store/store.js';

export interface DocumentQueueDeps {
  store: Pick<Store, 'documents'>;
  js: JetStreamClient;
  log: Pick<Logger, 'info' | 'warn'>;
}

/** Default age past which the timer re-queues a RECEIVED document's job, and the time between its passes. */
export const DOCUMENT_REQUEUE_AFTER_MS = 60_000;

/** Publishes document `documentId`'s job; resolves once JetStream has stored it. */
export async function publishDocumentJob(js: JetStreamClient, tenantId: string, documentId: string): Promise<void> {
  const message: DocumentMessage = { tenant_id: tenantId, document_id: documentId };
  await js.publish(docSubject(tenantId), encodeJson(message), { msgID: documentId });
}

/**
 * One pass over the document queue (see the module comment); resolves with how many jobs it
 * published. A failed publish ends the pass (its entry stays for the next one).
 */
export async function requeueDocuments(deps: DocumentQueueDeps, options: { olderThanMs?: number; now?: () => number } = {}): Promise<number> {
  const published = await drainJobOutbox<QueuedDocument>({
    entries: () => deps.store.documents.queued(),
    idOf: (entry) => entry.document_id,
    waitingSince: async (entry) => {
      const doc = await deps.store.documents.get(entry.tenant_id, entry.document_id);
      return doc && doc.status === 'RECEIVED' ? doc.created_at : null;
    },
    publish: (entry) => publishDocumentJob(deps.js, entry.tenant_id, entry.document_id),
    remove: (ids) => deps.store.documents.dequeue(ids),
  }, options);
  if (published > 0) deps.log.info({ documents: published }, 'documents re-queued');
  return published;
}

export type DocumentRequeue = PeriodicPass<number>;

/** Runs `requeueDocuments` every `intervalMs` for entries at least `olderThanMs` old (both default a minute). */
export function startDocumentRequeue(deps: DocumentQueueDeps, options: { intervalMs?: number; olderThanMs?: number } = {}): DocumentRequeue {
  return startPeriodicPass(() => requeueDocuments(deps, { olderThanMs: options.olderThanMs ?? DOCUMENT_REQUEUE_AFTER_MS }), {
    intervalMs: options.intervalMs ?? DOCUMENT_REQUEUE_AFTER_MS,
    // NATS or the store briefly unavailable: the entries stay, the next pass retries.
    onError: (e) => deps.log.warn({ err: { type: (e as Error)?.name } }, 'document re-queue failed; the next pass retries'),
  });
}
