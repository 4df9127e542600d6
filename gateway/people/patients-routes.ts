/**
 * /api/v1/patients and /api/v1/me/patient: thin REST wrappers over patients-service.ts. A patient
 * the caller may not see is 404 NOT_FOUND, exactly like one that does not exist.
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { requireAuth, requireUser } from '../auth/middleware.js';
import type { AppEnv } from '../http/app-env.js';
import type { GatewayDeps } from '../http/deps.js';
import { errorResponses, ok, successEnvelope } from '../http/envelope.js';
import { toFhirPatient } from './patients-fhir.js';
import { PageQuerySchema, PatientCreateSchema, PatientIdParam, PatientPatchBodySchema, PatientViewSchema } from './patients-schemas.js';
import { createPatient, findPatientByMrn, getPatient, listPatients, myPatient, patientView, updatePatient, type PatientsDeps } from './patients-service.js';

const FhirPatientSchema = z.object({ resourceType: z.literal('Patient') }).passthrough().openapi('FhirPatient');
const json = <T extends z.ZodTypeAny>(schema: T) => ({ content: { 'application/json': { schema: successEnvelope(schema) } } });
const ACCESS = 'Visible to the patient themself, doctors and nurses assigned to them, tenant admins, and API clients with patients:read (changes: patients:write). Anyone else gets 404, as for a patient that does not exist.';

export function registerPatientRoutes(app: OpenAPIHono<AppEnv>, deps: PatientsDeps & Pick<GatewayDeps, 'tokens'>): void {
  const auth = requireAuth(deps.tokens);

  app.openapi(
    createRoute({
      method: 'post', path: '/api/v1/patients', summary: 'Register a patient (who may have no account yet)',
      description: 'Doctors and nurses (assigned to the new patient automatically), tenant admins, API clients with patients:write. 409 CONFLICT for an MRN the tenant already has; 400 INVALID_TIME_ZONE for an unknown IANA zone.',
      security: [{ bearerAuth: [] }], middleware: [auth] as const,
      request: { body: { required: true, content: { 'application/json': { schema: PatientCreateSchema } } } },
      responses: { 201: { description: 'The new patient', ...json(PatientViewSchema) }, ...errorResponses(400, 401, 403, 409) },
    }),
    async (c) => ok(c, patientView(await createPatient(deps, c.get('principal'), c.req.valid('json'))), 201),
  );

  app.openapi(
    createRoute({
      method: 'get', path: '/api/v1/patients', summary: 'List patients (a doctor or nurse: their assigned patients only)',
      description: 'Doctors and nurses see the patients assigned to them; tenant admins and API clients with patients:read see every patient of the tenant. Cursor-paginated in creation order.',
      security: [{ bearerAuth: [] }], middleware: [auth] as const, request: { query: PageQuerySchema },
      responses: { 200: { description: 'A page of patients', ...json(z.object({ items: z.array(PatientViewSchema), next_cursor: z.string().nullable() })) }, ...errorResponses(400, 401, 403) },
    }),
    async (c) => {
      const page = await listPatients(deps, c.get('principal'), c.req.valid('query'));
      return ok(c, { items: page.items.map(patientView), next_cursor: page.next_cursor });
    },
  );

  app.openapi(
    createRoute({
      method: 'get', path: '/api/v1/patients/{id}', summary: 'Read a patient', description: `${ACCESS} With ?format=fhir the data is a FHIR R4 Patient resource.`,
      security: [{ bearerAuth: [] }], middleware: [auth] as const,
      request: { params: PatientIdParam, query: z.object({ format: z.enum(['wardclerk', 'fhir']).optional() }) },
      responses: { 200: { description: 'The patient', ...json(z.union([PatientViewSchema, FhirPatientSchema])) }, ...errorResponses(400, 401, 404) },
    }),
    async (c) => {
      const rec = await getPatient(deps, c.get('principal'), c.req.valid('param').id);
      return ok(c, c.req.valid('query').format === 'fhir' ? toFhirPatient(rec) : patientView(rec));
    },
  );

  app.openapi(
    createRoute({
      method: 'patch', path: '/api/v1/patients/{id}', summary: "Change a patient's time zone, name, birth date, sex or MRN",
      description: `${ACCESS} A new time_zone re-plans the patient's pending reminders in the same write: fixed clock times (09:00, before breakfast) stay at the same local time in the new zone; every-N-hours doses stay N real hours apart.`,
      security: [{ bearerAuth: [] }], middleware: [auth] as const,
      request: { params: PatientIdParam, body: { required: true, content: { 'application/json': { schema: PatientPatchBodySchema } } } },
      responses: { 200: { description: 'The changed patient', ...json(PatientViewSchema) }, ...errorResponses(400, 401, 404, 409) },
    }),
    async (c) => ok(c, patientView(await updatePatient(deps, c.get('principal'), c.req.valid('param').id, c.req.valid('json')))),
  );

  app.openapi(
    createRoute({
      method: 'post', path: '/api/v1/patients/lookup', summary: 'Find a patient by MRN',
      description: `The MRN goes in the body (it is PHI: never in a URL) and is matched through a blind index. ${ACCESS}`,
      security: [{ bearerAuth: [] }], middleware: [auth] as const,
      request: { body: { required: true, content: { 'application/json': { schema: z.object({ mrn: z.string().min(1).max(64) }).openapi('PatientLookup') } } } },
      responses: { 200: { description: 'The patient', ...json(PatientViewSchema) }, ...errorResponses(400, 401, 404) },
    }),
    async (c) => ok(c, patientView(await findPatientByMrn(deps, c.get('principal'), c.req.valid('json').mrn))),
  );

  app.openapi(
    createRoute({
      method: 'get', path: '/api/v1/me/patient', summary: "The signed-in patient's own Patient record",
      description: 'Created on first use for a patient who signed up (time zone UTC until changed with PATCH /api/v1/patients/{id}).',
      security: [{ bearerAuth: [] }], middleware: [auth, requireUser('patient')] as const,
      responses: { 200: { description: 'Your patient record', ...json(PatientViewSchema) }, ...errorResponses(401, 403, 404) },
    }),
    async (c) => ok(c, patientView(await myPatient(deps, c.get('principal')))),
  );
}
