/**
 * Publishes WardClerk events (ids only, no PHI) to JetStream on `wc.events.<tenant>.<type>`, with
 * the event id as `Nats-Msg-Id` so a retried publish is de-duplicated. The worker fans them out to
 * webhooks; the gateway's WebSocket hub streams them to connected apps.
 */
import { randomUUID } from 'node:crypto';
import type { JetStreamClient } from '@nats-io/jetstream';
import { encodeJson } from '../../core/bus.js';
import { eventSubject, type EventType, type WardEvent } from '../../core/contracts.js';
import type { Logger } from '../../core/logger.js';

export interface EventPublisher {
  /** Publishes and resolves once JetStream has stored the event. */
  publish(tenantId: string, type: EventType, data: Record<string, unknown>, id?: string): Promise<WardEvent>;
}

export function createEventPublisher(js: JetStreamClient, log: Logger): EventPublisher {
  return {
    async publish(tenantId, type, data, id = randomUUID()) {
      const event: WardEvent = { id, type, tenant_id: tenantId, created_at: new Date().toISOString(), data };
      try {
        await js.publish(eventSubject(tenantId, type), encodeJson(event), { msgID: id });
      } catch (e) {
        log.error({ event_id: id, type, err: { type: (e as Error).name } }, 'event publish failed');
        throw e;
      }
      return event;
    },
  };
}
