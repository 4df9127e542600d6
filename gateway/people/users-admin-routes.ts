/**
 * A tenant admin's user management (issue 8): list by role, disable/enable, reset a password. The
 * operator may also reset a password in a named tenant (a tenant whose only admin is locked out).
 * A reset makes a new keypair: the answer says that earlier messages are now unreadable.
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { requireAuth, requireOperator, requireUser } from '../auth/middleware.js';
import { USER_ROLES, type AppEnv } from '../http/app-env.js';
import { errorResponses, metadata, successEnvelope } from '../http/envelope.js';
import type { PeopleDeps } from './sessions-service.js';
import { listUsers, resetPassword, setUserStatus } from './users-service.js';

const security = [{ bearerAuth: [] }];

const User = z
  .object({
    user_id: z.string(), tenant_id: z.string(), email: z.string(), role: z.enum(USER_ROLES), status: z.enum(['active', 'disabled']), display_name: z.string(),
    must_change_password: z.boolean(), public_key: z.string(), key_version: z.number().int(), patient_id: z.string().nullable(), created_at: z.string(),
  })
  .openapi('User');

const Reset = z
  .object({
    user_id: z.string(),
    temporary_password: z.string().openapi({ description: 'Shown once; the user must change it at their next sign-in' }),
    must_change_password: z.literal(true),
    key_version: z.number().int(),
    previous_messages_readable: z.literal(false).openapi({ description: 'A reset makes a new keypair: messages sealed to the old key can no longer be read' }),
    notice: z.string(),
  })
  .openapi('PasswordReset');

const UserParams = z.object({ id: z.string().min(1).max(64) });
const resetDescription =
  'Sets a one-time temporary password and must_change_password, ends every session of the user at once (their access tokens answer 401 SESSION_REVOKED from the next request), ' +
  'and makes a NEW keypair (key_version + 1): messages sealed to the user before the reset become unreadable for good. ' +
  'After signing in with the temporary password, every route but POST /api/v1/auth/password, /auth/logout, /auth/refresh and GET /api/v1/me answers 403 PASSWORD_CHANGE_REQUIRED until they choose a new one.';

export function registerUsersAdminRoutes(app: OpenAPIHono<AppEnv>, deps: PeopleDeps): void {
  const auth = requireAuth(deps.tokens);
  const admin = requireUser('tenant_admin');

  app.openapi(
    createRoute({
      method: 'get', path: '/api/v1/admin/users', tags: ['people'], summary: "List your tenant's users (tenant admins)", security, middleware: [auth, admin] as const,
      request: { query: z.object({ role: z.enum(USER_ROLES).optional(), cursor: z.string().max(100).optional(), limit: z.coerce.number().int().min(1).max(100).optional() }) },
      responses: {
        200: { description: 'A page', content: { 'application/json': { schema: successEnvelope(z.object({ items: z.array(User), next_cursor: z.string().nullable() })) } } },
        ...errorResponses(400, 401, 403),
      },
    }),
    async (c) => c.json({ status: 'success' as const, data: await listUsers(deps, c.get('principal'), c.req.valid('query')), metadata: metadata(c) }, 200),
  );

  for (const [action, status] of [['disable', 'disabled'], ['enable', 'active']] as const) {
    app.openapi(
      createRoute({
        method: 'post', path: `/api/v1/admin/users/{id}/${action}`, tags: ['people'],
        summary: action === 'disable' ? 'Disable a user: they cannot sign in or refresh, and every session ends at once' : 'Re-enable a disabled user',
        ...(action === 'disable' ? { description: "The user's access tokens answer 401 SESSION_REVOKED from the next request, and their open WebSockets are closed (4401)." } : {}),
        security, middleware: [auth, admin] as const, request: { params: UserParams },
        responses: { 200: { description: 'Done', content: { 'application/json': { schema: successEnvelope(User) } } }, ...errorResponses(401, 403, 404, 409) },
      }),
      async (c) => c.json({ status: 'success' as const, data: await setUserStatus(deps, c.get('principal'), c.req.valid('param').id, status), metadata: metadata(c) }, 200),
    );
  }

  app.openapi(
    createRoute({
      method: 'post', path: '/api/v1/admin/users/{id}/reset-password', tags: ['people'], summary: "Reset a user's password (tenant admins)", description: resetDescription,
      security, middleware: [auth, admin] as const, request: { params: UserParams },
      responses: { 200: { description: 'Reset', content: { 'application/json': { schema: successEnvelope(Reset) } } }, ...errorResponses(401, 403, 404) },
    }),
    async (c) => {
      c.header('Cache-Control', 'no-store');
      return c.json({ status: 'success' as const, data: await resetPassword(deps, c.get('principal'), c.req.valid('param').id), metadata: metadata(c) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'post', path: '/api/v1/admin/tenants/{id}/users/{user_id}/reset-password', tags: ['admin'], summary: "Reset a user's password in a tenant (operator)",
      description: resetDescription, security, middleware: [auth, requireOperator()] as const,
      request: { params: z.object({ id: z.string().min(1).max(128), user_id: z.string().min(1).max(64) }) },
      responses: { 200: { description: 'Reset', content: { 'application/json': { schema: successEnvelope(Reset) } } }, ...errorResponses(401, 403, 404) },
    }),
    async (c) => {
      const { id, user_id } = c.req.valid('param');
      c.header('Cache-Control', 'no-store');
      return c.json({ status: 'success' as const, data: await resetPassword(deps, c.get('principal'), user_id, id), metadata: metadata(c) }, 200);
    },
  );
}
