/**
 * MAX_DELIVERIES backstop for batch items whose last allowed delivery never settled (the worker
 * died or could not record the failure): every item of the message's chunk still pending is failed
 * and dead-lettered, and the message is removed from the work queue (see max-deliveries.ts).
 * Idempotent: the store fails only pending items, and the dead letter is deduplicated.
 */
import { contracts, ItemMessageSchema, STREAMS } from '../core/contracts.js';
import type { Bus } from '../core/bus.js';
import type { Logger } from '../core/logger.js';
import { sendDeadLetter } from './dead-letter.js';
import { listenMaxDeliveries, type MaxDeliveriesBackstop, type MaxDeliveriesOutcome } from './max-deliveries.js';

/** The items consumer's backstop. */
export const itemMaxDeliveries: MaxDeliveriesBackstop<typeof ItemMessageSchema> = {
  stream: STREAMS.items,
  schema: ItemMessageSchema,
  async settle(ref, deliveries, bus) {
    // A message stands for a chunk of items (count absent = 1): every one still pending fails.
    const current = await bus.request(contracts.jobItemsGet, { tenant_id: ref.tenant_id, job_id: ref.job_id, index: ref.index, count: ref.count ?? 1 });
    const pending = current.filter((it) => it.state === 'pending').map((it) => it.index);
    if (pending.length === 0) return 'already-done';
    const message = 'The item was not processed within its allowed deliveries';
    await bus.request(contracts.jobItemsSettle, {
      tenant_id: ref.tenant_id, job_id: ref.job_id, completed: [], failed: pending.map((index) => ({ index, code: 'INTERNAL', message })),
    });
    for (const index of pending) {
      await sendDeadLetter(bus, {
        kind: 'items', tenant_id: ref.tenant_id, ref: `${ref.job_id}.${index}`, code: 'INTERNAL', message,
        attempts: deliveries, ids: { job_id: ref.job_id, index },
      });
    }
    return 'failed';
  },
  logIds: (ref) => ({ job_id: ref.job_id, index: ref.index }),
  exceeded: 'batch item exceeded max deliveries',
  notHandled: 'max-deliveries advisory not handled',
};

/** Listens for the items consumer's MAX_DELIVERIES advisories (one worker of the group handles each). */
export function listenItemMaxDeliveries(deps: { bus: Bus; log: Logger; onOutcome?: (o: MaxDeliveriesOutcome) => void }): { close(): Promise<void> } {
  return listenMaxDeliveries(itemMaxDeliveries, deps);
}
