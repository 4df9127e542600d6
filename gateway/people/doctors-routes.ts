/** /api/v1/doctors and /api/v1/me/doctors: a patient lists the tenant's doctors and chooses theirs. */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { requireAuth, requireUser } from '../auth/middleware.js';
import type { AppEnv } from '../http/app-env.js';
import type { GatewayDeps } from '../http/deps.js';
import { errorResponses, ok, successEnvelope } from '../http/envelope.js';
import { chooseDoctors, dropDoctor, listDoctors, myDoctors } from './doctors-service.js';
import { ChooseDoctorsSchema, DoctorViewSchema, PageQuerySchema } from './patients-schemas.js';

const json = <T extends z.ZodTypeAny>(schema: T) => ({ content: { 'application/json': { schema: successEnvelope(schema) } } });
const Doctors = z.object({ items: z.array(DoctorViewSchema) });

export function registerDoctorRoutes(app: OpenAPIHono<AppEnv>, deps: Pick<GatewayDeps, 'store' | 'tokens'>): void {
  const auth = requireAuth(deps.tokens);

  app.openapi(
    createRoute({
      method: 'get', path: '/api/v1/doctors', summary: "The tenant's doctors (ids and display names only)",
      security: [{ bearerAuth: [] }], middleware: [auth] as const, request: { query: PageQuerySchema },
      responses: { 200: { description: 'A page of doctors', ...json(Doctors.extend({ next_cursor: z.string().nullable() })) }, ...errorResponses(400, 401, 403) },
    }),
    async (c) => ok(c, await listDoctors(deps, c.get('principal'), c.req.valid('query'))),
  );

  app.openapi(
    createRoute({
      method: 'get', path: '/api/v1/me/doctors', summary: 'The doctors you chose (or were assigned)',
      security: [{ bearerAuth: [] }], middleware: [auth, requireUser('patient')] as const,
      responses: { 200: { description: 'Your doctors', ...json(Doctors) }, ...errorResponses(401, 403) },
    }),
    async (c) => ok(c, { items: await myDoctors(deps, c.get('principal')) }),
  );

  app.openapi(
    createRoute({
      method: 'post', path: '/api/v1/me/doctors', summary: 'Choose one or more doctors of your tenant',
      description: '404 NOT_FOUND for an id that is not a doctor of your tenant, 400 VALIDATION_FAILED (reason not_a_doctor) for a user who is not a doctor; then nothing is stored.',
      security: [{ bearerAuth: [] }], middleware: [auth, requireUser('patient')] as const,
      request: { body: { required: true, content: { 'application/json': { schema: ChooseDoctorsSchema } } } },
      responses: { 200: { description: 'Your doctors now', ...json(Doctors) }, ...errorResponses(400, 401, 403, 404) },
    }),
    async (c) => ok(c, { items: await chooseDoctors(deps, c.get('principal'), c.req.valid('json')) }),
  );

  app.openapi(
    createRoute({
      method: 'delete', path: '/api/v1/me/doctors/{id}', summary: 'Remove a doctor from your care team',
      security: [{ bearerAuth: [] }], middleware: [auth, requireUser('patient')] as const,
      request: { params: z.object({ id: z.string().min(1).max(100) }) },
      responses: { 200: { description: 'Your doctors now', ...json(Doctors) }, ...errorResponses(401, 403, 404) },
    }),
    async (c) => {
      await dropDoctor(deps, c.get('principal'), c.req.valid('param').id);
      return ok(c, { items: await myDoctors(deps, c.get('principal')) });
    },
  );
}
