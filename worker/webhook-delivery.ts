/**
 * Pipeline step: one webhook delivery attempt. Payload: a DeliveryMessage from the `deliveries`
 * consumer. The subscription is re-read each attempt (deleted → term). The event JSON is POSTed,
 * signed with the subscription secret; the X-WardClerk-Delivery id is the message's delivery_id,
 * the same on every attempt, so receivers can deduplicate. 2xx → ack. A failure naks with
 * webhookBackoffMs[attempt-1]; after the last attempt (MaxDeliver = backoff entries + 1), or at
 * once for a target that can never work (bad URL, refused private address), the delivery is
 * dead-lettered and termed. Never logged: the body, the URL or the secret.
 */
import type { JsMsg } from '@nats-io/jetstream';
import { contracts, DeliveryMessageSchema, type DeliveryMessage } from '../core/contracts.js';
import type { Bus } from '../core/bus.js';
import type { Config } from '../core/config.js';
import type { Logger } from '../core/logger.js';
import { isTransient, toCodedError } from './retry-policy.js';
import { parseMessage } from './parse-message.js';
import { sendDeadLetter } from './dead-letter.js';
import { signWebhook } from './webhook-signature.js';
import { postWebhook, type WebhookPostResult } from './webhook-post.js';

export type WebhookDeliverySettings = Pick<Config, 'webhookBackoffMs' | 'webhookTimeoutMs' | 'webhookAllowPrivate'>;

export interface WebhookDeliveryDeps {
  bus: Bus;
  log: Logger;
  settings: WebhookDeliverySettings;
}

export type WebhookDeliveryOutcome = 'delivered' | 'retry' | 'dead' | 'gone' | 'invalid';

export const WEBHOOK_USER_AGENT = 'WardClerk-Webhooks/1';

/** Attempts allowed in all: one per back-off delay, plus the first. Matches the consumer's MaxDeliver. */
export function maxWebhookAttempts(backoffMs: readonly number[]): number {
  return backoffMs.length + 1;
}

/** The headers of one attempt; `t` is the signing time in unix seconds. */
export function webhookHeaders(delivery: DeliveryMessage, secret: string, body: string, t: number): Record<string, string> {
  return {
    'Content-Type': 'application/json',
    'User-Agent': WEBHOOK_USER_AGENT,
    'X-WardClerk-Event': delivery.event.type,
    'X-WardClerk-Delivery': delivery.delivery_id,
    'X-WardClerk-Signature': signWebhook(secret, body, t),
  };
}

/** Handles one delivery attempt and settles the message. */
export async function handleWebhookDelivery(msg: JsMsg, deps: WebhookDeliveryDeps): Promise<WebhookDeliveryOutcome> {
  const delivery = parseMessage(msg, DeliveryMessageSchema, deps.log);
  if (!delivery) return 'invalid';
  const { settings, log } = deps;
  const attempt = msg.info.deliveryCount;
  const ids = { delivery_id: delivery.delivery_id, webhook_id: delivery.webhook_id, attempt };

  let result: WebhookPostResult;
  try {
    const target = await deps.bus.request(contracts.webhookGet, { tenant_id: delivery.tenant_id, id: delivery.webhook_id });
    if (!target) {
      msg.term();
      log.info(ids, 'webhook delivery dropped: subscription deleted');
      return 'gone';
    }
    const body = JSON.stringify(delivery.event);
    result = await postWebhook({
      url: target.url,
      body,
      headers: webhookHeaders(delivery, target.secret, body, Math.floor(Date.now() / 1000)),
      timeoutMs: settings.webhookTimeoutMs,
      allowPrivate: settings.webhookAllowPrivate,
    });
  } catch (e) {
    const error = toCodedError(e);
    result = { ok: false, status: null, code: error.code, retryable: isTransient(error), reason: 'store_error' };
  }

  if (result.ok) {
    msg.ack();
    log.info({ ...ids, status: result.status }, 'webhook delivered');
    return 'delivered';
  }
  const failure = { ...ids, code: result.code, status: result.status, reason: result.reason };
  if (result.retryable && attempt < maxWebhookAttempts(settings.webhookBackoffMs)) {
    const delay = settings.webhookBackoffMs[attempt - 1] ?? settings.webhookBackoffMs.at(-1) ?? 0;
    msg.nak(delay);
    log.warn({ ...failure, retry_in_ms: delay }, 'webhook delivery failed; will retry');
    return 'retry';
  }
  return deadLetter(msg, delivery, result, deps);
}

async function deadLetter(
  msg: JsMsg,
  delivery: DeliveryMessage,
  result: Extract<WebhookPostResult, { ok: false }>,
  deps: WebhookDeliveryDeps,
): Promise<WebhookDeliveryOutcome> {
  const attempt = msg.info.deliveryCount;
  const message = result.status !== null ? `Webhook receiver answered HTTP ${result.status}` : `Webhook delivery failed (${result.reason})`;
  const ids = { delivery_id: delivery.delivery_id, webhook_id: delivery.webhook_id, attempt, code: result.code };
  try {
    await sendDeadLetter(deps.bus, {
      kind: 'webhooks', tenant_id: delivery.tenant_id, ref: delivery.delivery_id, code: result.code, message,
      attempts: attempt, ids: { webhook_id: delivery.webhook_id, event_id: delivery.event.id, event_type: delivery.event.type },
    });
  } catch (e) {
    // The delivery is over either way; keep going so it does not retry forever, but say so.
    const error = toCodedError(e);
    deps.log.error({ ...ids, record_code: error.code }, 'webhook dead letter not recorded');
  }
  msg.term();
  deps.log.warn(ids, 'webhook delivery dead-lettered');
  return 'dead';
}
