/**
 * The signed-in session's routes (issue 8): refresh (rotating; a reused token revokes the session),
 * logout, change password (every user and the operator) and who-am-I. Thin: the logic is in
 * sessions-service.ts and users-service.ts. Refresh and password change are rate-limited per IP
 * and per account (429 + Retry-After).
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { requireAuth } from '../auth/middleware.js';
import { UserTokensSchema, type AuthThrottle } from '../auth/routes.js';
import type { AppEnv } from '../http/app-env.js';
import { remoteAddress } from '../http/client-address.js';
import { errorResponses, metadata, successEnvelope } from '../http/envelope.js';
import { logout, refreshSession, type PeopleDeps } from './sessions-service.js';
import { changePassword, whoAmI } from './users-service.js';

const security = [{ bearerAuth: [] }];

const refreshRoute = createRoute({
  method: 'post',
  path: '/api/v1/auth/refresh',
  tags: ['auth'],
  summary: 'Exchange a refresh token for new tokens (the old refresh token stops working)',
  description: 'A refresh token used twice revokes its whole session (401 REFRESH_TOKEN_REUSED): sign in again. Unknown, expired or revoked: 401 REFRESH_TOKEN_INVALID.',
  request: { body: { required: true, content: { 'application/json': { schema: z.object({ refresh_token: z.string().min(1).max(200) }).openapi('RefreshRequest') } } } },
  responses: {
    200: { description: 'New tokens', content: { 'application/json': { schema: successEnvelope(UserTokensSchema) } } },
    ...errorResponses(400, 401, 403, 429),
  },
});

const PasswordBody = z
  .object({ current_password: z.string().min(1).max(1024), new_password: z.string().min(1).max(16 * 1024).openapi({ description: '12–256 characters, not a common password' }) })
  .openapi('PasswordChange');

export function registerSessionRoutes(app: OpenAPIHono<AppEnv>, deps: PeopleDeps, throttle: AuthThrottle): void {
  // These three (and refresh, which takes no access token) stay open while a password change is pending.
  const auth = requireAuth(deps.tokens, { allowPasswordChangePending: true });
  const { limiter, ready } = throttle;

  app.openapi(refreshRoute, async (c) => {
    const { refresh_token } = c.req.valid('json');
    const ip = remoteAddress(c) ?? 'unknown';
    await ready;
    limiter.check({ kind: 'refresh', identity: null, ip });
    const tokens = await refreshSession(
      deps,
      refresh_token,
      (who) => limiter.recordFailure({ kind: 'refresh', identity: who.userId ?? null, ip, ...(who.tenantId ? { tenantId: who.tenantId, userId: who.userId } : {}) }),
      (s) => limiter.check({ kind: 'refresh', identity: s.user_id, ip }),
    );
    c.header('Cache-Control', 'no-store');
    return c.json({ status: 'success' as const, data: tokens, metadata: metadata(c) }, 200);
  });

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/auth/logout',
      tags: ['auth'],
      summary: "End the caller's session (its refresh tokens stop working)",
      description:
        "The session's access tokens stop working at once too: the same token then answers 401 SESSION_REVOKED everywhere, and the session's open WebSockets are closed (4401). " +
        'Allowed while a password change is pending.',
      security,
      middleware: [auth] as const,
      responses: {
        200: { description: 'Ended', content: { 'application/json': { schema: successEnvelope(z.object({ session_id: z.string(), revoked: z.boolean() })) } } },
        ...errorResponses(401, 403),
      },
    }),
    async (c) => c.json({ status: 'success' as const, data: await logout(deps, c.get('principal')), metadata: metadata(c) }, 200),
  );

  app.openapi(
    createRoute({
      method: 'post',
      path: '/api/v1/auth/password',
      tags: ['auth'],
      summary: 'Change your password (users and the operator)',
      description:
        "The current password is required. A user's private key is re-sealed under the new password (messages stay readable) and their other sessions are revoked at once " +
        '(their access tokens answer 401 SESSION_REVOKED from the next request); this session keeps working and must_change_password is cleared. ' +
        'This is the route a user with must_change_password (after an admin reset) uses; every other route answers them 403 PASSWORD_CHANGE_REQUIRED until then. ' +
        'Errors: 400 WEAK_PASSWORD / PASSWORD_TOO_LONG, 401 INVALID_CREDENTIALS (wrong current password), 401 SESSION_REVOKED, 429 RATE_LIMITED.',
      security,
      middleware: [auth] as const,
      request: { body: { required: true, content: { 'application/json': { schema: PasswordBody } } } },
      responses: {
        200: { description: 'Changed', content: { 'application/json': { schema: successEnvelope(z.object({ password_changed_at: z.string(), other_sessions_revoked: z.number().int() })) } } },
        ...errorResponses(400, 401, 403, 429),
      },
    }),
    async (c) => {
      const principal = c.get('principal');
      const attempt = { kind: 'password' as const, identity: principal.sub, ip: remoteAddress(c) ?? 'unknown', ...(principal.kind === 'user' ? { tenantId: principal.tenantId, userId: principal.sub } : {}) };
      await ready;
      limiter.check(attempt);
      const out = await changePassword(deps, principal, c.req.valid('json'), () => limiter.recordFailure(attempt));
      limiter.recordSuccess(attempt);
      return c.json({ status: 'success' as const, data: out, metadata: metadata(c) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: 'get',
      path: '/api/v1/me',
      tags: ['people'],
      summary: 'Who am I: the signed-in user (or the operator, or an API client)',
      description: 'A user sees must_change_password here; this route stays allowed while it is set. A session that has ended: 401 SESSION_REVOKED.',
      security,
      middleware: [auth] as const,
      responses: {
        200: { description: 'The caller', content: { 'application/json': { schema: successEnvelope(z.object({ kind: z.enum(['user', 'operator', 'client']) }).passthrough()) } } },
        ...errorResponses(401),
      },
    }),
    async (c) => {
      c.header('Cache-Control', 'no-store');
      return c.json({ status: 'success' as const, data: await whoAmI(deps, c.get('principal')), metadata: metadata(c) }, 200);
    },
  );
}
