/** Webhook subscriptions: create (secret kept sealed, never echoed), list, delete. */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { EVENT_TYPES } from '../../core/contracts.js';
import { WardClerkError } from '../../core/errors.js';
import { requireAuth, requireClient } from '../auth/middleware.js';
import type { AppEnv } from '../http/app-env.js';
import type { GatewayDeps } from '../http/deps.js';
import { errorResponses, ok, successEnvelope } from '../http/envelope.js';
import { tenantOf } from '../http/tenant.js';

const WebhookInputSchema = z
  .object({
    url: z.string().url().max(2048).refine((u) => /^https?:\/\//i.test(u), 'must be an http(s) URL'),
    events: z.array(z.enum(EVENT_TYPES)).min(1),
    secret: z.string().min(16).max(256).openapi({ description: 'Shared secret for the X-WardClerk-Signature HMAC (16+ characters).' }),
  })
  .openapi('WebhookInput');

const WebhookViewSchema = z
  .object({ id: z.string(), url: z.string(), events: z.array(z.enum(EVENT_TYPES)), created_at: z.string() })
  .openapi('Webhook');

const view = (w: { id: string; url: string; events: Array<(typeof EVENT_TYPES)[number]>; created_at: string }) => ({
  id: w.id, url: w.url, events: w.events, created_at: w.created_at,
});

export function registerWebhookRoutes(app: OpenAPIHono<AppEnv>, deps: GatewayDeps): void {
  const auth = requireAuth(deps.tokens);
  const scope = requireClient('webhooks:manage');

  app.openapi(
    createRoute({
      method: 'post', path: '/api/v1/webhooks', summary: 'Subscribe a URL to events',
      middleware: [auth, scope] as const,
      request: { body: { content: { 'application/json': { schema: WebhookInputSchema } }, required: true } },
      responses: { 201: { description: 'Created', content: { 'application/json': { schema: successEnvelope(WebhookViewSchema) } } }, ...errorResponses(400, 401, 403) },
    }),
    async (c) => {
      const w = await deps.store.webhooks.create(tenantOf(c), c.req.valid('json'));
      return ok(c, view(w), 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get', path: '/api/v1/webhooks', summary: 'List webhook subscriptions',
      middleware: [auth, scope] as const,
      responses: { 200: { description: 'Subscriptions', content: { 'application/json': { schema: successEnvelope(z.array(WebhookViewSchema)) } } }, ...errorResponses(401, 403) },
    }),
    async (c) => ok(c, (await deps.store.webhooks.list(tenantOf(c))).map(view)),
  );

  app.openapi(
    createRoute({
      method: 'delete', path: '/api/v1/webhooks/{id}', summary: 'Delete a webhook subscription',
      middleware: [auth, scope] as const,
      request: { params: z.object({ id: z.string().min(1).max(100) }) },
      responses: { 200: { description: 'Deleted', content: { 'application/json': { schema: successEnvelope(z.object({ deleted: z.boolean() })) } } }, ...errorResponses(401, 403, 404) },
    }),
    async (c) => {
      const tenant = tenantOf(c);
      const id = c.req.valid('param').id;
      if (!(await deps.store.webhooks.get(tenant, id))) throw new WardClerkError('NOT_FOUND', 'No such webhook');
      await deps.store.webhooks.delete(tenant, id);
      return ok(c, { deleted: true });
    },
  );
}
