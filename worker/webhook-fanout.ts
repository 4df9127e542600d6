/**
 * Pipeline step: one event → one delivery message per matching webhook subscription. Payload: a
 * WardEvent from the `webhook-fanout` consumer on WC_EVENTS. The gateway admits the deliveries
 * (one delivery record each, bounded per subscription: beyond WARDCLERK_WEBHOOK_MAX_PENDING an
 * event is counted as skipped instead). Idempotent: admission is per delivery id, and each delivery
 * is published with msgID = delivery_id = `${event.id}.${webhook_id}`, so a redelivered event is
 * deduplicated rather than delivered twice. ack once every delivery is stored; a transient failure
 * naks with a delay; a permanent one terms.
 */
import type { JsMsg } from '@nats-io/jetstream';
import { contracts, deliverySubject, WardEventSchema, type DeliveryMessage, type WardEvent } from '../core/contracts.js';
import { encodeJson, type Bus } from '../core/bus.js';
import type { Logger } from '../core/logger.js';
import { exponentialDelayMs, isTransient, toCodedError } from './retry-policy.js';
import { parseMessage } from './parse-message.js';

export interface WebhookFanoutDeps {
  bus: Bus;
  log: Logger;
}

export type WebhookFanoutOutcome = { outcome: 'fanned-out'; deliveries: number; skipped: number } | { outcome: 'retry' | 'dropped' | 'invalid' };

/** The stable delivery id for an event and a subscription (also the X-WardClerk-Delivery header). */
export function deliveryIdFor(eventId: string, webhookId: string): string {
  return `${eventId}.${webhookId}`;
}

/** Builds the delivery messages for an event and its subscriptions. */
export function deliveriesFor(event: WardEvent, webhookIds: string[]): DeliveryMessage[] {
  return webhookIds.map((id) => ({ delivery_id: deliveryIdFor(event.id, id), tenant_id: event.tenant_id, webhook_id: id, event }));
}

/** Handles one delivery of an event message and settles it. */
export async function handleWebhookFanout(msg: JsMsg, deps: WebhookFanoutDeps): Promise<WebhookFanoutOutcome> {
  const event = parseMessage(msg, WardEventSchema, deps.log);
  if (!event) return { outcome: 'invalid' };
  const ids = { event_id: event.id, type: event.type, attempt: msg.info.deliveryCount };
  try {
    const admitted = await deps.bus.request(contracts.webhooksForEvent, { tenant_id: event.tenant_id, event });
    const deliveries = deliveriesFor(event, admitted.deliveries.map((d) => d.webhook_id));
    for (const d of deliveries) {
      await deps.bus.js.publish(deliverySubject(d.tenant_id), encodeJson(d), { msgID: d.delivery_id });
    }
    msg.ack();
    if (deliveries.length > 0 || admitted.skipped > 0) deps.log.debug({ ...ids, deliveries: deliveries.length, skipped: admitted.skipped }, 'event fanned out');
    return { outcome: 'fanned-out', deliveries: deliveries.length, skipped: admitted.skipped };
  } catch (e) {
    const error = toCodedError(e);
    if (isTransient(error)) {
      msg.nak(exponentialDelayMs(msg.info.deliveryCount, 1000, 30_000));
      deps.log.warn({ ...ids, code: error.code }, 'event fan-out retry');
      return { outcome: 'retry' };
    }
    msg.term();
    deps.log.error({ ...ids, code: error.code }, 'event fan-out dropped');
    return { outcome: 'dropped' };
  }
}
