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
    method: 'get', path: '/metrics', summary: 'Prometheus metrics (text exposition format)', tags: ['operations'],
    responses: {
      200: { description: 'Metrics', content: { 'text/plain': { schema: z.string() } } },
      401: { description: 'A scrape token or operator token is required where the metrics guard is on' },
      403: { description: 'Not allowed from this address' },
    },
  });
}
