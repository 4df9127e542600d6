/** POST /api/v1/prescriptions/batch (202 + job), GET /api/v1/jobs/{id} and GET /api/v1/jobs/{id}/prescriptions. */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { WardClerkError } from '../../core/errors.js';
import { requireAuth, requireClient } from '../auth/middleware.js';
import type { AppEnv } from '../http/app-env.js';
import type { GatewayDeps } from '../http/deps.js';
import { AcceptedEnvelopeSchema, accepted, errorResponses, ok, successEnvelope } from '../http/envelope.js';
import { tenantOf } from '../http/tenant.js';
import { readBatchRequest } from './batch-intake.js';
import { chunkItems } from './enqueue.js';
import { ListQuerySchema, PrescriptionViewSchema } from '../prescriptions/schemas.js';
import { toView } from '../prescriptions/view.js';
import { BatchInputSchema, JobViewSchema, type BatchInput } from './schemas.js';

const JobPrescriptionsQuerySchema = ListQuerySchema.pick({ cursor: true, limit: true });

const intake: MiddlewareHandler<AppEnv> = async (c, next) => {
  c.set('input', await readBatchRequest(c));
  await next();
};

/** Stores the job with its items (one synced batch), then queues one work message per chunk of items. */
export async function submitBatch(deps: GatewayDeps, tenantId: string, input: BatchInput): Promise<{ job_id: string; status_url: string }> {
  const job = await deps.store.jobs.create(tenantId, {
    items: input.items.map((it) => ({ text: it.text, patient_ref: it.patient_ref ?? null, external_id: it.external_id ?? null })),
  });
  await deps.enqueueItems(tenantId, job.job_id, chunkItems(input.items.map((it) => it.text.length)));
  return { job_id: job.job_id, status_url: `/api/v1/jobs/${job.job_id}` };
}

export function registerJobRoutes(app: OpenAPIHono<AppEnv>, deps: GatewayDeps): void {
  const auth = requireAuth(deps.tokens);

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/prescriptions/batch',
      summary: 'Submit up to 1,000 notes for asynchronous extraction',
      middleware: [auth, requireClient('prescriptions:write'), intake] as const,
      request: { body: { content: { 'application/json': { schema: BatchInputSchema } } } },
      responses: {
        202: { description: 'Accepted; poll status_url or subscribe to job.completed', content: { 'application/json': { schema: AcceptedEnvelopeSchema } } },
        ...errorResponses(400, 401, 403, 413, 415, 503),
      },
    }),
    async (c) => {
      const { job_id, status_url } = await submitBatch(deps, tenantOf(c), c.get('input') as BatchInput);
      return accepted(c, job_id, status_url);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/jobs/{id}',
      summary: 'Job status with counts and per-item errors',
      middleware: [auth, requireClient('jobs:read')] as const,
      request: { params: z.object({ id: z.string().min(1).max(100) }) },
      responses: {
        200: { description: 'The job', content: { 'application/json': { schema: successEnvelope(JobViewSchema) } } },
        ...errorResponses(401, 403, 404),
      },
    }),
    async (c) => {
      const job = await deps.store.jobs.get(tenantOf(c), c.req.valid('param').id);
      if (!job) throw new WardClerkError('NOT_FOUND', 'No such job');
      return ok(c, job);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/jobs/{id}/prescriptions',
      summary: "A batch job's prescriptions (in the order they were stored), with cursor pagination",
      description: 'Each prescription carries job_id, job_item_index and the external_id given with its item. Items that failed are listed in the job\'s errors instead. Same as GET /api/v1/prescriptions?job_id={id}, but 404 for an unknown job.',
      middleware: [auth, requireClient('prescriptions:read')] as const,
      request: { params: z.object({ id: z.string().min(1).max(100) }), query: JobPrescriptionsQuerySchema },
      responses: {
        200: {
          description: 'A page of the job\'s prescriptions',
          content: { 'application/json': { schema: successEnvelope(z.object({ items: z.array(PrescriptionViewSchema), next_cursor: z.string().nullable() })) } },
        },
        ...errorResponses(400, 401, 403, 404),
      },
    }),
    async (c) => {
      const tenant = tenantOf(c);
      const id = c.req.valid('param').id;
      if (!(await deps.store.jobs.get(tenant, id))) throw new WardClerkError('NOT_FOUND', 'No such job');
      const page = await deps.store.prescriptions.list(tenant, { ...c.req.valid('query'), job_id: id });
      return ok(c, { items: page.items.map(toView), next_cursor: page.next_cursor });
    },
  );
}
