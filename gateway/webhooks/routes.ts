/**
 * Webhook subscriptions: create (secret kept sealed, never echoed; the target checked against the
 * address policy; at most WARDCLERK_WEBHOOK_MAX_PER_TENANT per tenant), list, read, enable/disable,
 * delete. Deliveries and dead letters are in delivery-routes.ts. Another tenant's ids are 404.
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { WardClerkError } from '../../core/errors.js';
import { requireAuth, requireClient } from '../auth/middleware.js';
import type { AppEnv } from '../http/app-env.js';
import type { GatewayDeps } from '../http/deps.js';
import { errorResponses, ok, successEnvelope } from '../http/envelope.js';
import { tenantOf } from '../http/tenant.js';
import { registerDeliveryRoutes } from './delivery-routes.js';
import { WebhookIdParams, WebhookInputSchema, WebhookPatchSchema, WebhookViewSchema, webhookView } from './schemas.js';
import { webhookAllowList } from './settings.js';
import { assertTargetAllowed } from './target-check.js';

export function registerWebhookRoutes(app: OpenAPIHono<AppEnv>, deps: GatewayDeps): void {
  const auth = requireAuth(deps.tokens);
  const scope = requireClient('webhooks:manage');
  const allow = webhookAllowList(deps.config);
  const one = { description: 'Subscription', content: { 'application/json': { schema: successEnvelope(WebhookViewSchema) } } };

  const found = async (tenant: string, id: string) => {
    const w = await deps.store.webhooks.get(tenant, id);
    if (!w) throw new WardClerkError('NOT_FOUND', 'No such webhook');
    return w;
  };

  app.openapi(
    createRoute({
      method: 'post', path: '/api/v1/webhooks', summary: 'Subscribe a URL to events',
      description: 'Refused with 422 WEBHOOK_TARGET_FORBIDDEN for a non-public target the operator has not allow-listed, and with 409 WEBHOOK_LIMIT_REACHED when the tenant has WARDCLERK_WEBHOOK_MAX_PER_TENANT subscriptions already.',
      middleware: [auth, scope] as const,
      request: { body: { content: { 'application/json': { schema: WebhookInputSchema } }, required: true } },
      responses: { 201: { ...one, description: 'Created' }, ...errorResponses(400, 401, 403, 409, 422) },
    }),
    async (c) => {
      const input = c.req.valid('json');
      const tenant = tenantOf(c);
      // The cap first: a tenant at its limit does not get to make the gateway resolve names.
      await deps.store.webhooks.assertRoom(tenant, deps.config.webhookMaxPerTenant);
      await assertTargetAllowed(allow, input.url);
      const w = await deps.store.webhooks.create(tenant, input, { maxPerTenant: deps.config.webhookMaxPerTenant });
      return ok(c, webhookView(w), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get', path: '/api/v1/webhooks', summary: 'List webhook subscriptions',
      middleware: [auth, scope] as const,
      responses: { 200: { description: 'Subscriptions', content: { 'application/json': { schema: successEnvelope(z.array(WebhookViewSchema)) } } }, ...errorResponses(401, 403) },
    }),
    async (c) => ok(c, (await deps.store.webhooks.list(tenantOf(c))).map(webhookView)),
  );

  app.openapi(
    createRoute({
      method: 'get', path: '/api/v1/webhooks/{id}', summary: 'Read a webhook subscription (status, failure streak, skipped deliveries)',
      middleware: [auth, scope] as const,
      request: { params: WebhookIdParams },
      responses: { 200: one, ...errorResponses(401, 403, 404) },
    }),
    async (c) => ok(c, webhookView(await found(tenantOf(c), c.req.valid('param').id))),
  );

  app.openapi(
    createRoute({
      method: 'patch', path: '/api/v1/webhooks/{id}', summary: 'Re-enable (or disable) a webhook subscription',
      middleware: [auth, scope] as const,
      request: { params: WebhookIdParams, body: { content: { 'application/json': { schema: WebhookPatchSchema } }, required: true } },
      responses: { 200: one, ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => {
      const tenant = tenantOf(c);
      const { id } = c.req.valid('param');
      const w = await deps.store.webhooks.setStatus(tenant, id, c.req.valid('json').status, 'manual');
      if (!w) throw new WardClerkError('NOT_FOUND', 'No such webhook');
      deps.log.info({ webhook_id: id, status: w.status }, 'webhook status changed');
      return ok(c, webhookView(w));
    },
  );

  app.openapi(
    createRoute({
      method: 'delete', path: '/api/v1/webhooks/{id}', summary: 'Delete a webhook subscription and its delivery log',
      middleware: [auth, scope] as const,
      request: { params: WebhookIdParams },
      responses: { 200: { description: 'Deleted', content: { 'application/json': { schema: successEnvelope(z.object({ deleted: z.boolean() })) } } }, ...errorResponses(401, 403, 404) },
    }),
    async (c) => {
      if (!(await deps.store.webhooks.delete(tenantOf(c), c.req.valid('param').id))) throw new WardClerkError('NOT_FOUND', 'No such webhook');
      return ok(c, { deleted: true });
    },
  );

  registerDeliveryRoutes(app, deps);
}
