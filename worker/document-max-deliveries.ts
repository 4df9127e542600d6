/**
 * MAX_DELIVERIES backstop for document messages whose last allowed delivery never settled (the
 * worker died each time): the document fails INTERNAL if it is not yet INDEXED or FAILED, is
 * dead-lettered, and its message removed (see max-deliveries.ts). Idempotent, like the notes one.
 */
import { contracts, DocumentMessageSchema, STREAMS } from '../core/contracts.js';
import type { Bus } from '../core/bus.js';
import type { Logger } from '../core/logger.js';
import { sendDeadLetter } from './dead-letter.js';
import { listenMaxDeliveries, type MaxDeliveriesBackstop, type MaxDeliveriesOutcome } from './max-deliveries.js';

/** The documents consumer's backstop. */
export const documentMaxDeliveries: MaxDeliveriesBackstop<typeof DocumentMessageSchema> = {
  stream: STREAMS.docs,
  schema: DocumentMessageSchema,
  async settle(ref, deliveries, bus) {
    const message = 'The document was not processed within its allowed deliveries';
    const out = await bus.request(contracts.documentFail, { ...ref, code: 'INTERNAL', message }).catch((e: unknown) => {
      if ((e as { code?: string }).code === 'NOT_FOUND') return { status: 'FAILED' as const, changed: false };
      throw e;
    });
    if (!out.changed) return 'already-done';
    await sendDeadLetter(bus, { kind: 'documents', tenant_id: ref.tenant_id, ref: ref.document_id, code: 'INTERNAL', message, attempts: deliveries, ids: { document_id: ref.document_id } });
    return 'failed';
  },
  logIds: (ref) => ({ document_id: ref.document_id }),
  exceeded: 'document exceeded max deliveries',
  notHandled: 'document max-deliveries advisory not handled',
};

/** Listens for the documents consumer's MAX_DELIVERIES advisories (one worker of the group handles each). */
export function listenDocumentMaxDeliveries(deps: { bus: Bus; log: Logger; onOutcome?: (o: MaxDeliveriesOutcome) => void }): { close(): Promise<void> } {
  return listenMaxDeliveries(documentMaxDeliveries, deps);
}
