/** The webhook API's request and response shapes (OpenAPI components) and the record → view mappings. */
import { z } from '@hono/zod-openapi';
import { EVENT_TYPES } from '../../core/contracts.js';
import { WEBHOOK_DELIVERY_STATUSES, type WebhookDeliveryRecord, type WebhookRecord } from '../store/records.js';

export const WebhookInputSchema = z
  .object({
    url: z.string().url().max(2048).refine((u) => /^https?:\/\//i.test(u), 'must be an http(s) URL').openapi({
      description: 'http(s) URL. Loopback, private, link-local, metadata and other non-public addresses are refused unless allow-listed by the operator (WARDCLERK_WEBHOOK_ALLOW); metadata addresses always.',
    }),
    events: z.array(z.enum(EVENT_TYPES)).min(1).max(EVENT_TYPES.length),
    secret: z.string().min(16).max(256).openapi({ description: 'Shared secret for the X-WardClerk-Signature HMAC (16+ characters).' }),
  })
  .openapi('WebhookInput');

export const WebhookPatchSchema = z
  .object({
    status: z.enum(['active', 'disabled']).openapi({ description: '`active` re-enables a disabled subscription (its failure streak starts over); `disabled` pauses it.' }),
  })
  .openapi('WebhookPatch');

export const WebhookViewSchema = z
  .object({
    id: z.string(),
    url: z.string(),
    events: z.array(z.enum(EVENT_TYPES)),
    created_at: z.string(),
    status: z.enum(['active', 'disabled']),
    disabled_reason: z.string().nullable().openapi({ description: '`consecutive_failures` (disabled after sustained failure) or `manual`' }),
    disabled_at: z.string().nullable(),
    consecutive_failures: z.number().int(),
    failing_since: z.string().nullable(),
    last_success_at: z.string().nullable(),
    skipped_deliveries: z.number().int().openapi({ description: 'Events not delivered because too many deliveries were pending (WARDCLERK_WEBHOOK_MAX_PENDING)' }),
  })
  .openapi('Webhook');

export const DeliveryViewSchema = z
  .object({
    id: z.string().openapi({ description: 'Delivery record id (`whd_…`), used by the redeliver route' }),
    delivery_id: z.string().openapi({ description: 'The X-WardClerk-Delivery header value (the same on every attempt)' }),
    event_id: z.string(),
    event_type: z.enum(EVENT_TYPES),
    status: z.enum(WEBHOOK_DELIVERY_STATUSES).openapi({ description: '`pending` (queued or retrying), `delivered`, or `dead` (dead letter)' }),
    attempts: z.number().int(),
    last_status_code: z.number().int().nullable(),
    last_error_code: z.string().nullable(),
    last_reason: z.string().nullable(),
    redeliveries: z.number().int(),
    created_at: z.string(),
    updated_at: z.string(),
    delivered_at: z.string().nullable(),
  })
  .openapi('WebhookDelivery');

export const DeliveryPageSchema = z.object({ items: z.array(DeliveryViewSchema), next_cursor: z.string().nullable() }).openapi('WebhookDeliveryPage');

export const DeliveryQuerySchema = z.object({
  status: z.enum(WEBHOOK_DELIVERY_STATUSES).optional(),
  cursor: z.string().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(20),
});

export const WebhookIdParams = z.object({ id: z.string().min(1).max(100) });
export const DeliveryParams = WebhookIdParams.extend({ delivery_id: z.string().min(1).max(100) });

/** The API view of a subscription: never the secret. */
export function webhookView(w: WebhookRecord): z.infer<typeof WebhookViewSchema> {
  return {
    id: w.id, url: w.url, events: w.events, created_at: w.created_at, status: w.status, disabled_reason: w.disabled_reason,
    disabled_at: w.disabled_at, consecutive_failures: w.consecutive_failures, failing_since: w.failing_since,
    last_success_at: w.last_success_at, skipped_deliveries: w.skipped_deliveries,
  };
}

/** The API view of a delivery: ids, codes and times only (the event's data stays out). */
export function deliveryView(d: WebhookDeliveryRecord): z.infer<typeof DeliveryViewSchema> {
  return {
    id: d.id, delivery_id: d.delivery_id, event_id: d.event.id, event_type: d.event.type, status: d.status, attempts: d.attempts,
    last_status_code: d.last_status_code, last_error_code: d.last_error_code, last_reason: d.last_reason, redeliveries: d.redeliveries,
    created_at: d.created_at, updated_at: d.updated_at, delivered_at: d.delivered_at,
  };
}
