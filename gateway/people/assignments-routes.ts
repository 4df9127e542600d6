/** /api/v1/admin/assignments: a tenant admin assigns and unassigns doctors and nurses to patients. */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { requireAuth, requireUser } from '../auth/middleware.js';
import type { AppEnv } from '../http/app-env.js';
import type { GatewayDeps } from '../http/deps.js';
import { errorResponses, ok, successEnvelope } from '../http/envelope.js';
import { assignStaff, unassignStaff } from './assignments-service.js';
import { AssignmentSchema } from './patients-schemas.js';

export function registerAssignmentRoutes(app: OpenAPIHono<AppEnv>, deps: Pick<GatewayDeps, 'store' | 'tokens'>): void {
  const auth = requireAuth(deps.tokens);
  const admin = requireUser('tenant_admin');
  const errors = errorResponses(400, 401, 403, 404);

  app.openapi(
    createRoute({
      method: 'post', path: '/api/v1/admin/assignments', summary: 'Assign a doctor or nurse to a patient (tenant admin)',
      security: [{ bearerAuth: [] }], middleware: [auth, admin] as const,
      request: { body: { required: true, content: { 'application/json': { schema: AssignmentSchema } } } },
      responses: { 200: { description: 'The assignment', content: { 'application/json': { schema: successEnvelope(AssignmentSchema) } } }, ...errors },
    }),
    async (c) => ok(c, await assignStaff(deps, c.get('principal'), c.req.valid('json'))),
  );

  app.openapi(
    createRoute({
      method: 'delete', path: '/api/v1/admin/assignments', summary: 'Unassign a doctor or nurse from a patient (tenant admin)',
      description: 'The assignment is named by query parameters; 404 when there is none.',
      security: [{ bearerAuth: [] }], middleware: [auth, admin] as const, request: { query: AssignmentSchema },
      responses: { 200: { description: 'Removed', content: { 'application/json': { schema: successEnvelope(z.object({ removed: z.literal(true) })) } } }, ...errors },
    }),
    async (c) => {
      await unassignStaff(deps, c.get('principal'), c.req.valid('query'));
      return ok(c, { removed: true as const });
    },
  );
}
