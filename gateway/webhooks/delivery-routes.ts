/**
 * A subscription's delivery log through the API: deliveries (newest first, paged, filterable by
 * status), dead letters (status `dead`), and redelivery of a dead letter. Views hold ids, codes and
 * times only, never the event's data. Another tenant's subscription is 404.
 */
import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { encodeJson } from '../../core/bus.js';
import { deliverySubject, type DeliveryMessage } from '../../core/contracts.js';
import { WardClerkError } from '../../core/errors.js';
import { requireAuth, requireClient } from '../auth/middleware.js';
import type { AppEnv } from '../http/app-env.js';
import type { GatewayDeps } from '../http/deps.js';
import { errorResponses, ok, successEnvelope } from '../http/envelope.js';
import { tenantOf } from '../http/tenant.js';
import { DeliveryPageSchema, DeliveryParams, DeliveryQuerySchema, DeliveryViewSchema, WebhookIdParams, deliveryView } from './schemas.js';

export function registerDeliveryRoutes(app: OpenAPIHono<AppEnv>, deps: GatewayDeps): void {
  const auth = requireAuth(deps.tokens);
  const scope = requireClient('webhooks:manage');
  const page = { description: 'A page of deliveries, newest first', content: { 'application/json': { schema: successEnvelope(DeliveryPageSchema) } } };

  const listFor = async (tenant: string, id: string, query: { status?: 'pending' | 'delivered' | 'dead' | undefined; cursor?: string | undefined; limit: number }) => {
    if (!(await deps.store.webhooks.get(tenant, id))) throw new WardClerkError('NOT_FOUND', 'No such webhook');
    const out = await deps.store.webhookDeliveries.list(tenant, id, query);
    return { items: out.items.map(deliveryView), next_cursor: out.next_cursor };
  };

  app.openapi(
    createRoute({
      method: 'get', path: '/api/v1/webhooks/{id}/deliveries', summary: "A webhook's deliveries, newest first",
      middleware: [auth, scope] as const,
      request: { params: WebhookIdParams, query: DeliveryQuerySchema },
      responses: { 200: page, ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => ok(c, await listFor(tenantOf(c), c.req.valid('param').id, c.req.valid('query'))),
  );

  app.openapi(
    createRoute({
      method: 'get', path: '/api/v1/webhooks/{id}/dead-letters', summary: "A webhook's dead letters (deliveries that ran out of attempts), newest first",
      middleware: [auth, scope] as const,
      request: { params: WebhookIdParams, query: DeliveryQuerySchema.omit({ status: true }) },
      responses: { 200: page, ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => ok(c, await listFor(tenantOf(c), c.req.valid('param').id, { ...c.req.valid('query'), status: 'dead' })),
  );

  app.openapi(
    createRoute({
      method: 'post', path: '/api/v1/webhooks/{id}/deliveries/{delivery_id}/redeliver', summary: 'Redeliver a dead letter',
      description: 'Queues a dead-lettered delivery for a new round of attempts, with the same X-WardClerk-Delivery id. 409 CONFLICT when it is not dead; 409 WEBHOOK_DISABLED when the subscription is disabled (re-enable it first).',
      middleware: [auth, scope] as const,
      request: { params: DeliveryParams },
      responses: { 202: { description: 'Queued', content: { 'application/json': { schema: successEnvelope(DeliveryViewSchema) } } }, ...errorResponses(401, 403, 404, 409) },
    }),
    async (c) => {
      const tenant = tenantOf(c);
      const { id, delivery_id: recordId } = c.req.valid('param');
      const rec = await deps.store.webhookDeliveries.prepareRedelivery(tenant, id, recordId);
      const msg: DeliveryMessage = { delivery_id: rec.delivery_id, tenant_id: tenant, webhook_id: id, event: rec.event };
      try {
        // A new msgID per round, or JetStream would drop it as a duplicate of the first round.
        await deps.bus.js.publish(deliverySubject(tenant), encodeJson(msg), { msgID: `${rec.delivery_id}.redeliver.${rec.redeliveries}` });
      } catch (cause) {
        await deps.store.webhookDeliveries.revertRedelivery(tenant, id, recordId);
        throw new WardClerkError('STORE_UNAVAILABLE', 'The redelivery could not be queued; try again', { cause });
      }
      deps.log.info({ webhook_id: id, delivery: rec.id, round: rec.redeliveries }, 'webhook redelivery queued');
      return ok(c, deliveryView(rec), 202);
    },
  );
}
