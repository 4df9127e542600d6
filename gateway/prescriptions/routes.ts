/** POST/GET /api/v1/prescriptions: synchronous extraction, read back, cursor-paginated listing. */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import type { MiddlewareHandler } from 'hono';
import { WardClerkError } from '../../core/errors.js';
import { requireAuth, requireClient } from '../auth/middleware.js';
import type { AppEnv } from '../http/app-env.js';
import type { GatewayDeps } from '../http/deps.js';
import { errorResponses, ok, successEnvelope } from '../http/envelope.js';
import { tenantOf } from '../http/tenant.js';
import { readPrescriptionRequest } from './intake.js';
import { ListQuerySchema, PrescriptionInputSchema, PrescriptionViewSchema } from './schemas.js';
import { submitPrescription, type SubmitInput } from './submit.js';
import { timedMiddleware } from './stage-timing.js';
import { toView } from './view.js';

const intake: MiddlewareHandler<AppEnv> = async (c, next) => {
  c.set('input', await readPrescriptionRequest(c));
  await next();
};

export function registerPrescriptionRoutes(app: OpenAPIHono<AppEnv>, deps: GatewayDeps): void {
  const auth = requireAuth(deps.tokens);

  // The body is read once by `intake` (size, UTF-8, JSON, zod, PDF/OCR by content type), so the
  // route is declared for OpenAPI only and served by a plain handler: no second parse on the hot path.
  const binary = { schema: z.any().openapi({ type: 'string', format: 'binary' }) };
  app.openAPIRegistry.registerPath({
    method: 'post',
    path: '/api/v1/prescriptions',
    summary: 'Submit a prescription or note and get the structured extraction back',
    description: 'JSON {text, patient_ref?, doctor?}; or a file as multipart (field "file") or a raw body: text/plain, a PDF (text layer, else OCR page by page), or a PNG/JPEG/TIFF photo or scan (OCR, up to 5 MiB). With a raw body, X-Patient-Ref and X-Doctor headers carry the optional fields. 415 OCR_NOT_AVAILABLE when no engine offers OCR.',
    security: [{ bearerAuth: [] }],
    request: {
      body: {
        required: true,
        content: {
          'application/json': { schema: PrescriptionInputSchema },
          'multipart/form-data': { schema: z.object({ file: z.any().openapi({ type: 'string', format: 'binary' }), patient_ref: z.string().optional(), doctor: z.string().optional() }) },
          'application/pdf': binary,
          'image/png': binary,
          'image/jpeg': binary,
          'image/tiff': binary,
          'text/plain': { schema: z.string() },
        },
      },
    },
    responses: {
      201: { description: 'Stored extraction', content: { 'application/json': { schema: successEnvelope(PrescriptionViewSchema) } } },
      ...errorResponses(400, 401, 403, 413, 415, 503),
    },
  });
  app.post('/api/v1/prescriptions', timedMiddleware(deps.metrics, 'auth', auth), requireClient('prescriptions:write'), timedMiddleware(deps.metrics, 'body', intake), async (c) => {
    const record = await submitPrescription(deps, tenantOf(c), c.get('input') as SubmitInput);
    return ok(c, toView(record), 201);
  });

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/prescriptions',
      summary: 'List prescriptions (newest first), filtered, with cursor pagination',
      middleware: [auth, requireClient('prescriptions:read')] as const,
      request: { query: ListQuerySchema },
      responses: {
        200: {
          description: 'A page of prescriptions',
          content: { 'application/json': { schema: successEnvelope(z.object({ items: z.array(PrescriptionViewSchema), next_cursor: z.string().nullable() })) } },
        },
        ...errorResponses(400, 401, 403),
      },
    }),
    async (c) => {
      const q = c.req.valid('query');
      const page = await deps.store.prescriptions.list(tenantOf(c), q);
      return ok(c, { items: page.items.map(toView), next_cursor: page.next_cursor });
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/prescriptions/{id}',
      summary: 'Read one prescription',
      middleware: [auth, requireClient('prescriptions:read')] as const,
      request: { params: z.object({ id: z.string().min(1).max(100) }) },
      responses: {
        200: { description: 'The prescription', content: { 'application/json': { schema: successEnvelope(PrescriptionViewSchema) } } },
        ...errorResponses(401, 403, 404),
      },
    }),
    async (c) => {
      const record = await deps.store.prescriptions.get(tenantOf(c), c.req.valid('param').id);
      if (!record) throw new WardClerkError('NOT_FOUND', 'No such prescription');
      return ok(c, toView(record));
    },
  );
}
