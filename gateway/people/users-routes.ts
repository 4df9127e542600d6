/** Registers every route of people's accounts and sign-in (issue 8) beside the auth routes. */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AuthThrottle } from '../auth/routes.js';
import type { AppEnv } from '../http/app-env.js';
import { registerInvitationRoutes } from './invitations-routes.js';
import type { PeopleDeps } from './sessions-service.js';
import { registerSessionRoutes } from './sessions-routes.js';
import { registerSignupRoutes } from './signup-routes.js';
import { registerUsersAdminRoutes } from './users-admin-routes.js';

/** Sign-up, refresh, logout, password change, /me, invitations, people settings and user admin. */
export function registerUserRoutes(app: OpenAPIHono<AppEnv>, deps: PeopleDeps, throttle: AuthThrottle): void {
  registerSignupRoutes(app, deps, throttle);
  registerSessionRoutes(app, deps, throttle);
  registerInvitationRoutes(app, deps);
  registerUsersAdminRoutes(app, deps);
}
