/**
 * Pipeline step: one webhook delivery attempt. Payload: a DeliveryMessage from the `deliveries`
 * consumer. The subscription is re-read each attempt (deleted → term; disabled → dead-lettered at
 * once, code WEBHOOK_DISABLED, so it can be redelivered after re-enabling). The target is checked
 * against the address policy at every attempt (webhook-post.ts). The event JSON is POSTed, signed
 * with the subscription secret; the X-WardClerk-Delivery id is the message's delivery_id, the same
 * on every attempt, so receivers can deduplicate. 2xx → ack. A failure naks with
 * webhookBackoffMs[attempt-1]; after the last attempt (MaxDeliver = backoff entries + 1), at once
 * for a target that can never work (bad URL, forbidden address, redirect), or when the gateway
 * answers that this failure disabled the subscription, the delivery is dead-lettered and termed.
 * Every attempt's outcome is reported to the gateway (the delivery log and the failure streak).
 * Never logged: the body, the URL or the secret.
 */
import type { JsMsg } from '@nats-io/jetstream';
import { contracts, DeliveryMessageSchema, type DeliveryMessage, type WebhookResult } from '../core/contracts.js';
import type { Bus } from '../core/bus.js';
import type { Config } from '../core/config.js';
import type { Logger } from '../core/logger.js';
import { parseAllowList, type AllowList } from '../core/net/target-policy.js';
import type { ResolveAll } from '../core/net/resolve-target.js';
import { isTransient, toCodedError } from './retry-policy.js';
import { parseMessage } from './parse-message.js';
import { sendDeadLetter } from './dead-letter.js';
import { signWebhook } from './webhook-signature.js';
import { postWebhook, type WebhookPostResult } from './webhook-post.js';

export type WebhookDeliverySettings = Pick<Config, 'webhookBackoffMs' | 'webhookTimeoutMs' | 'webhookAllow'>;

export interface WebhookDeliveryDeps {
  bus: Bus;
  log: Logger;
  settings: WebhookDeliverySettings;
  /** DNS resolution (tests inject one); defaults to the system resolver. */
  resolveAll?: ResolveAll;
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

const allowLists = new WeakMap<readonly string[], AllowList>();
/** The parsed allow-list of these settings (parsed once per settings object). */
function allowListOf(settings: WebhookDeliverySettings): AllowList {
  let list = allowLists.get(settings.webhookAllow);
  if (!list) {
    list = parseAllowList(settings.webhookAllow);
    allowLists.set(settings.webhookAllow, list);
  }
  return list;
}

type Failure = Extract<WebhookPostResult, { ok: false }>;

/** Tells the gateway how the attempt went; its answer says whether the subscription is now disabled. */
async function report(deps: WebhookDeliveryDeps, delivery: DeliveryMessage, attempt: number, outcome: WebhookResult['outcome'], result: WebhookPostResult): Promise<'active' | 'disabled' | 'gone' | null> {
  try {
    const out = await deps.bus.request(contracts.webhookResult, {
      tenant_id: delivery.tenant_id, webhook_id: delivery.webhook_id, delivery_id: delivery.delivery_id, attempt, outcome,
      status_code: result.status, error_code: result.ok ? null : result.code, reason: result.ok ? null : result.reason.slice(0, 100),
    });
    return out.status;
  } catch (e) {
    // The delivery itself is settled either way; a missing log entry must not cause another POST.
    deps.log.warn({ delivery_id: delivery.delivery_id, webhook_id: delivery.webhook_id, attempt, code: toCodedError(e).code }, 'webhook result not recorded');
    return null;
  }
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
    if (target.status === 'disabled') {
      result = { ok: false, status: null, code: 'WEBHOOK_DISABLED', retryable: false, reason: 'webhook_disabled' };
    } else {
      const body = JSON.stringify(delivery.event);
      result = await postWebhook({
        url: target.url,
        body,
        headers: webhookHeaders(delivery, target.secret, body, Math.floor(Date.now() / 1000)),
        timeoutMs: settings.webhookTimeoutMs,
        allow: allowListOf(settings),
        ...(deps.resolveAll ? { resolveAll: deps.resolveAll } : {}),
      });
    }
  } catch (e) {
    const error = toCodedError(e);
    // The store did not answer: nothing was sent, so this is not the receiver's failure to report.
    result = { ok: false, status: null, code: error.code, retryable: isTransient(error), reason: 'store_error' };
    if (result.retryable && attempt < maxWebhookAttempts(settings.webhookBackoffMs)) return retry(msg, delivery, result, deps);
    return deadLetter(msg, delivery, result, deps);
  }

  if (result.ok) {
    await report(deps, delivery, attempt, 'delivered', result);
    msg.ack();
    log.info({ ...ids, status: result.status }, 'webhook delivered');
    return 'delivered';
  }
  const more = result.retryable && attempt < maxWebhookAttempts(settings.webhookBackoffMs);
  const status = await report(deps, delivery, attempt, more ? 'failed' : 'dead', result);
  if (more && status !== 'disabled') return retry(msg, delivery, result, deps);
  if (more) {
    // This failure disabled the subscription: stop now, and say so in the dead letter.
    result = { ...result, code: 'WEBHOOK_DISABLED', reason: 'webhook_disabled' };
    await report(deps, delivery, attempt, 'dead', result);
  }
  return deadLetter(msg, delivery, result, deps);
}

function retry(msg: JsMsg, delivery: DeliveryMessage, result: Failure, deps: WebhookDeliveryDeps): WebhookDeliveryOutcome {
  const attempt = msg.info.deliveryCount;
  const delay = deps.settings.webhookBackoffMs[attempt - 1] ?? deps.settings.webhookBackoffMs.at(-1) ?? 0;
  msg.nak(delay);
  deps.log.warn({
    delivery_id: delivery.delivery_id, webhook_id: delivery.webhook_id, attempt, code: result.code, status: result.status, reason: result.reason, retry_in_ms: delay,
  }, 'webhook delivery failed; will retry');
  return 'retry';
}

async function deadLetter(msg: JsMsg, delivery: DeliveryMessage, result: Failure, deps: WebhookDeliveryDeps): Promise<WebhookDeliveryOutcome> {
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
