/** Webhook limits as the gateway applies them, derived once from Config. */
import type { Config } from '../../core/config.js';
import { parseAllowList, type AllowList } from '../../core/net/target-policy.js';
import type { WebhookDeliverySettings } from '../store/webhook-deliveries-repo.js';

export type WebhookConfig = Pick<
  Config,
  'webhookAllow' | 'webhookMaxPerTenant' | 'webhookMaxPending' | 'webhookDisableAfterFailures' | 'webhookDisableAfterMs' | 'webhookBackoffMs' | 'webhookTimeoutMs'
>;

/**
 * The delivery-log settings. A pending entry stops counting once its delivery must have run out of
 * attempts (every back-off delay plus every attempt's timeout, and a minute's slack), so a delivery
 * whose end was never reported (a worker killed on the last attempt) cannot hold a place forever.
 */
export function webhookStoreSettings(c: WebhookConfig): WebhookDeliverySettings {
  const attempts = c.webhookBackoffMs.length + 1;
  const pendingStaleMs = c.webhookBackoffMs.reduce((a, b) => a + b, 0) + attempts * (c.webhookTimeoutMs + 5_000) + 60_000;
  return {
    maxPending: c.webhookMaxPending,
    pendingStaleMs,
    disableAfterFailures: c.webhookDisableAfterFailures,
    disableAfterMs: c.webhookDisableAfterMs,
    historyLimit: Math.max(1000, 2 * c.webhookMaxPending),
  };
}

/** The operator allow-list (WARDCLERK_WEBHOOK_ALLOW), parsed (config.ts has validated every entry). */
export function webhookAllowList(c: Pick<Config, 'webhookAllow'>): AllowList {
  return parseAllowList(c.webhookAllow);
}
