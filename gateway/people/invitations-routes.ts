/**
 * Invitations and the tenant's `people` settings (issue 8). A tenant admin invites into their own
 * tenant (`POST /api/v1/admin/invitations`); the operator invites into a named tenant
 * (`POST /api/v1/admin/tenants/{id}/invitations`), which is how a tenant gets its first admin.
 * Doctors, nurses and tenant admins always need an invitation; patients too unless the tenant
 * opened sign-up (`PUT /api/v1/admin/settings/people {"signup":"open"}`).
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { requireAuth, requireOperator, requireUser } from '../auth/middleware.js';
import { USER_ROLES, type AppEnv } from '../http/app-env.js';
import { errorResponses, metadata, successEnvelope } from '../http/envelope.js';
import type { InvitationRecord } from '../store/invitations-repo.js';
import type { PeopleDeps } from './sessions-service.js';
import { createInvitation, getPeopleSettings, PeopleSettingsSchema, putPeopleSettings } from './signup-service.js';

const security = [{ bearerAuth: [] }];

const InvitationBody = z
  .object({
    role: z.enum(USER_ROLES),
    patient_id: z.string().max(64).optional().openapi({ description: 'Patient invitations: the existing Patient record the account becomes' }),
  })
  .openapi('InvitationRequest');

const CreatedInvitation = z
  .object({
    invitation_id: z.string(),
    code: z.string().openapi({ description: 'Shown once; give it to the invitee (POST /api/v1/auth/signup invitation_code)' }),
    tenant_id: z.string(),
    role: z.enum(USER_ROLES),
    patient_id: z.string().nullable(),
    expires_at: z.string(),
  })
  .openapi('CreatedInvitation');

const view = (code: string, inv: InvitationRecord) => ({
  invitation_id: inv.invitation_id, code, tenant_id: inv.tenant_id, role: inv.role, patient_id: inv.patient_id, expires_at: inv.expires_at,
});

const created = { 201: { description: 'Created', content: { 'application/json': { schema: successEnvelope(CreatedInvitation) } } }, ...errorResponses(400, 401, 403, 404, 409) };
const Settings = PeopleSettingsSchema.openapi('PeopleSettings');

export function registerInvitationRoutes(app: OpenAPIHono<AppEnv>, deps: PeopleDeps): void {
  const auth = requireAuth(deps.tokens);
  const admin = requireUser('tenant_admin');

  app.openapi(
    createRoute({
      method: 'post', path: '/api/v1/admin/invitations', tags: ['people'], summary: 'Invite a person into your tenant (tenant admins; single use, expiring)',
      security, middleware: [auth, admin] as const, request: { body: { required: true, content: { 'application/json': { schema: InvitationBody } } } }, responses: created,
    }),
    async (c) => {
      const { code, invitation } = await createInvitation(deps, c.get('principal'), c.req.valid('json'));
      c.header('Cache-Control', 'no-store');
      return c.json({ status: 'success' as const, data: view(code, invitation), metadata: metadata(c) }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'post', path: '/api/v1/admin/tenants/{id}/invitations', tags: ['admin'], summary: "Invite a person into a tenant (operator; e.g. the tenant's first admin)",
      security, middleware: [auth, requireOperator()] as const,
      request: { params: z.object({ id: z.string().min(1).max(128) }), body: { required: true, content: { 'application/json': { schema: InvitationBody } } } },
      responses: created,
    }),
    async (c) => {
      const { code, invitation } = await createInvitation(deps, c.get('principal'), { ...c.req.valid('json'), tenant_id: c.req.valid('param').id });
      c.header('Cache-Control', 'no-store');
      return c.json({ status: 'success' as const, data: view(code, invitation), metadata: metadata(c) }, 201);
    },
  );

  app.openapi(
    createRoute({
      method: 'get', path: '/api/v1/admin/settings/people', tags: ['people'], summary: "Your tenant's sign-up policy (tenant admins)", security, middleware: [auth, admin] as const,
      responses: { 200: { description: 'Settings', content: { 'application/json': { schema: successEnvelope(Settings) } } }, ...errorResponses(401, 403) },
    }),
    async (c) => c.json({ status: 'success' as const, data: await getPeopleSettings(deps, c.get('principal')), metadata: metadata(c) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'put', path: '/api/v1/admin/settings/people', tags: ['people'], summary: 'Set whether patients may sign up without an invitation (tenant admins)',
      description: 'signup: "open" lets patients self-register with tenant_id; "invitation" (the default) needs a code. Doctors, nurses and admins are always invited.',
      security, middleware: [auth, admin] as const, request: { body: { required: true, content: { 'application/json': { schema: Settings } } } },
      responses: { 200: { description: 'Saved', content: { 'application/json': { schema: successEnvelope(Settings) } } }, ...errorResponses(400, 401, 403) },
    }),
    async (c) => c.json({ status: 'success' as const, data: await putPeopleSettings(deps, c.get('principal'), c.req.valid('json')), metadata: metadata(c) }, 200),
  );
}
