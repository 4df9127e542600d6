/**
 * The gateway side of webhook delivery over NATS: the worker asks it to admit an event's
 * deliveries (bounded per subscription), to read a subscription for an attempt, and to record each
 * attempt's outcome. A subscription disabled by sustained failure is announced once, as a
 * `webhook.disabled` event (WebSocket and webhooks), a warn log line and a metric.
 */
import { Counter, type Registry } from 'prom-client';
import type { Bus } from '../../core/bus.js';
import { contracts } from '../../core/contracts.js';
import type { Logger } from '../../core/logger.js';
import type { EventPublisher } from '../events/publisher.js';
import type { Store } from '../store/store.js';
import type { WebhookDeliverySettings } from '../store/webhook-deliveries-repo.js';

export interface WebhookSubjectOptions {
  settings: WebhookDeliverySettings;
  /** Where `wardclerk_webhooks_disabled_total` and `wardclerk_webhook_deliveries_skipped_total` live. */
  registry?: Registry;
}

export interface WebhookSubjectDeps extends WebhookSubjectOptions {
  bus: Bus;
  store: Store;
  events: EventPublisher;
  log: Logger;
}

/** Serves wc.store.webhooks.* (queue group `gateway`). */
export function serveWebhookSubjects({ bus, store, events, log, settings, registry }: WebhookSubjectDeps): void {
  const opts = { queue: 'gateway' };
  const registers = registry ? [registry] : [];
  const disabled = new Counter({ name: 'wardclerk_webhooks_disabled_total', help: 'Webhook subscriptions disabled after sustained failure', registers });
  const skipped = new Counter({ name: 'wardclerk_webhook_deliveries_skipped_total', help: 'Deliveries skipped because a subscription had too many pending', registers });

  bus.serve(contracts.webhooksForEvent, async ({ tenant_id, event }) => {
    const out = await store.webhookDeliveries.admit(tenant_id, { ...event, tenant_id }, settings);
    if (out.skipped > 0) {
      skipped.inc(out.skipped);
      log.warn({ event_id: event.id, skipped: out.skipped }, 'webhook deliveries skipped: too many pending');
    }
    return out;
  }, opts);

  bus.serve(contracts.webhookGet, async ({ tenant_id, id }) => {
    const h = await store.webhooks.get(tenant_id, id);
    return h ? { id: h.id, url: h.url, secret: h.secret, status: h.status } : null;
  }, opts);

  bus.serve(contracts.webhookResult, async (r) => {
    const out = await store.webhookDeliveries.recordResult(r, settings);
    const hook = out.disabledNow;
    if (hook) {
      disabled.inc();
      log.warn({ webhook_id: hook.id, tenant: r.tenant_id, failures: hook.consecutive_failures }, 'webhook disabled after sustained failure');
      await events.publish(r.tenant_id, 'webhook.disabled', {
        webhook_id: hook.id, reason: hook.disabled_reason, consecutive_failures: hook.consecutive_failures, failing_since: hook.failing_since,
      }, `webhook.disabled.${hook.id}.${hook.disabled_at}`);
    }
    return { status: out.status };
  }, opts);
}
