/**
 * The original integration's paths, kept unchanged as thin aliases: POST /upload-prescription,
 * GET /get-data, POST /upload-prescription-batch. They keep their original response shapes (not
 * the envelope); errors still use the envelope. `tenant_id` must equal the token's tenant.
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { Context, MiddlewareHandler } from 'hono';
import { WardClerkError } from '../../core/errors.js';
import { requireAuth, requireClient } from '../auth/middleware.js';
import type { AppEnv } from '../http/app-env.js';
import type { GatewayDeps } from '../http/deps.js';
import { errorResponses } from '../http/envelope.js';
import { readJsonBody } from '../http/json-body.js';
import { tenantOf } from '../http/tenant.js';
import { validateBatch } from '../jobs/batch-intake.js';
import { submitBatch } from '../jobs/routes.js';
import { MAX_BATCH_BYTES } from '../jobs/schemas.js';
import { MAX_JSON_BYTES, MAX_TEXT_CHARS } from '../prescriptions/schemas.js';
import { submitPrescription } from '../prescriptions/submit.js';
import { legacyRow } from '../prescriptions/view.js';

const TenantId = z.string().min(1).max(100);
const UploadSchema = z.object({ tenant_id: TenantId, text: z.string().max(MAX_TEXT_CHARS) }).passthrough();

function sameTenant(c: Context<AppEnv>, tenantId: string): string {
  const tenant = tenantOf(c);
  if (tenant !== tenantId) throw new WardClerkError('TENANT_MISMATCH', 'tenant_id does not match the credential');
  return tenant;
}

function parseOrThrow<T extends z.ZodTypeAny>(schema: T, value: unknown): z.output<T> {
  const r = schema.safeParse(value);
  if (!r.success) {
    throw new WardClerkError('VALIDATION_FAILED', 'Request failed validation', {
      details: { issues: r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) },
    });
  }
  return r.data;
}

const jsonInput = (max: number): MiddlewareHandler<AppEnv> => async (c, next) => {
  c.set('input', await readJsonBody(c, max));
  await next();
};

export function registerLegacyRoutes(app: OpenAPIHono<AppEnv>, deps: GatewayDeps): void {
  const auth = requireAuth(deps.tokens);

  app.openapi(
    createRoute({
      method: 'post', path: '/upload-prescription', summary: 'Legacy alias of POST /api/v1/prescriptions', tags: ['legacy'],
      middleware: [auth, requireClient('prescriptions:write'), jsonInput(MAX_JSON_BYTES)] as const,
      request: { body: { content: { 'application/json': { schema: UploadSchema } } } },
      responses: {
        200: { description: 'Stored', content: { 'application/json': { schema: z.object({ status: z.literal('success'), prescription_id: z.string() }) } } },
        ...errorResponses(400, 401, 403, 413),
      },
    }),
    async (c) => {
      const body = parseOrThrow(UploadSchema, c.get('input'));
      const tenant = sameTenant(c, body.tenant_id);
      const record = await submitPrescription(deps, tenant, { text: body.text, source: 'text' });
      return c.json({ status: 'success' as const, prescription_id: record.prescription_id }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get', path: '/get-data', summary: 'Legacy listing: every prescription of the tenant as display strings', tags: ['legacy'],
      middleware: [auth, requireClient('prescriptions:read')] as const,
      request: { query: z.object({ tenant_id: TenantId }) },
      responses: {
        200: {
          description: 'Rows',
          content: { 'application/json': { schema: z.array(z.object({ prescription_id: z.string(), disease: z.string(), prescription: z.string(), doctor: z.string() })) } },
        },
        ...errorResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const tenant = sameTenant(c, c.req.valid('query').tenant_id);
      const rows: Array<ReturnType<typeof legacyRow>> = [];
      let cursor: string | undefined;
      do {
        const page = await deps.store.prescriptions.list(tenant, { limit: 100, ...(cursor ? { cursor } : {}) });
        rows.push(...page.items.map(legacyRow));
        cursor = page.next_cursor ?? undefined;
      } while (cursor);
      return c.json(rows, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post', path: '/upload-prescription-batch', summary: 'Legacy alias of POST /api/v1/prescriptions/batch', tags: ['legacy'],
      middleware: [auth, requireClient('prescriptions:write'), jsonInput(MAX_BATCH_BYTES)] as const,
      request: { body: { content: { 'application/json': { schema: z.object({ tenant_id: TenantId, items: z.array(z.object({ text: z.string() }).passthrough()) }) } } } },
      responses: {
        202: { description: 'Accepted', content: { 'application/json': { schema: z.object({ status: z.literal('accepted'), job_id: z.string(), status_url: z.string() }) } } },
        ...errorResponses(400, 401, 403, 413),
      },
    }),
    async (c) => {
      const body = parseOrThrow(z.object({ tenant_id: TenantId }).passthrough(), c.get('input'));
      const tenant = sameTenant(c, body.tenant_id);
      const { job_id, status_url } = await submitBatch(deps, tenant, validateBatch({ items: (body as { items?: unknown }).items }));
      return c.json({ status: 'accepted' as const, job_id, status_url }, 202);
    },
  );
}
