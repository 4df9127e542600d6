/**
 * `/healthz`, `/readyz` and `/metrics` in the OpenAPI document. They are plain routes (no body,
 * no token), registered by hand so monitoring setups find them next to the API.
 */
import { z, type OpenAPIHono } from '@hono/zod-openapi';
import { MetadataSchema } from '../http/envelope.js';

const Check = z.object({ ok: z.boolean(), error: z.string().optional() });

/** Registers the health and metrics paths. */
export function registerHealthDocs(registry: OpenAPIHono['openAPIRegistry']): void {
  registry.registerPath({
    method: 'get', path: '/healthz', summary: 'Liveness: the gateway process answers', tags: ['operations'], security: [],
    responses: {
      200: { description: 'Up', content: { 'application/json': { schema: z.object({ status: z.literal('success'), data: z.object({ status: z.literal('ok') }), metadata: MetadataSchema }) } } },
    },
  });
  registry.registerPath({
    method: 'get', path: '/readyz', summary: 'Readiness: NATS, the store and at least one engine answer', tags: ['operations'], security: [],
    responses: {
      200: { description: 'Ready', content: { 'application/json': { schema: z.object({ status: z.literal('success'), data: z.object({ ready: z.boolean(), checks: z.record(z.string(), Check) }).passthrough(), metadata: MetadataSchema }) } } },
      503: { description: 'Not ready: error code NOT_READY, details name the failing checks' },
    },
  });
  registry.registerPath({
    method: 'get', path: '/metrics', summary: 'Prometheus metrics (text exposition format); loopback clients only, or Bearer WARDCLERK_METRICS_TOKEN', tags: ['operations'],
    responses: {
      200: { description: 'Metrics', content: { 'text/plain': { schema: z.string() } } },
      401: { description: 'WARDCLERK_METRICS_TOKEN is set and the request lacks it (Authorization: Bearer <token>)' },
      403: { description: 'No scrape token is configured and the client is not on loopback (or came through a proxy)' },
    },
  });
}
