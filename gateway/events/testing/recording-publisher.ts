/**
 * Test double for the event publisher that keeps the real outbox: `stage` gives the store's own
 * outbox operation (committed with the change, as in the gateway), and `release` records the event
 * in order instead of publishing it to JetStream. Events are built as the real publisher builds
 * them (an audience only when it names someone).
 */
import type { EventType, WardEvent } from '../../../core/contracts.js';
import type { OutboxRepo } from '../../store/outbox-repo.js';
import type { EventPublisher } from '../publisher.js';

export interface RecordingPublisher {
  publisher: EventPublisher;
  /** Every event released (or published) so far, in order. */
  events: WardEvent[];
}

/**
 * A publisher over `outbox` whose events are recorded; ids default to `ev<n>`, `created_at` is
 * `now()`. publish records at once; drainOutbox and close have nothing to do.
 */
export function recordingPublisher(outbox: OutboxRepo, now: () => number = Date.now): RecordingPublisher {
  const events: WardEvent[] = [];
  const make = (tenantId: string, type: EventType, data: Record<string, unknown>, id = `ev${events.length}`, audience?: string[]): WardEvent =>
    ({ id, type, tenant_id: tenantId, created_at: new Date(now()).toISOString(), data, ...(audience?.length ? { audience: { user_ids: audience } } : {}) });
  const publisher: EventPublisher = {
    async publish(...args) {
      const event = make(...args);
      events.push(event);
      return event;
    },
    stage(...args) {
      const event = make(...args);
      return { event, op: outbox.op(event) };
    },
    release(event) { events.push(event); },
    drainOutbox: async () => 0,
    close: async () => {},
  };
  return { publisher, events };
}
