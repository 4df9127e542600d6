/**
 * Per-request identity and tools as typed Hono context variables. Set by middleware in app.ts and
 * auth; read by handlers. Tenant always comes from the credential, never from a parameter.
 */
import type { Logger } from '../../core/logger.js';

/** A person's role within a tenant (issue 8). Doctors and nurses form the care team. */
export const USER_ROLES = ['patient', 'doctor', 'nurse', 'tenant_admin'] as const;
export type UserRole = (typeof USER_ROLES)[number];

/**
 * Who is calling: the operator (appliance admin), a tenant's API client, or a person of a tenant
 * (a user signed in with email and password; `sid` names the session, whose refresh-token family
 * and unsealed private key live server-side).
 */
export type Principal =
  | { kind: 'operator'; sub: string; scopes: string[] }
  | { kind: 'client'; sub: string; tenantId: string; scopes: string[] }
  | {
      kind: 'user'; sub: string; tenantId: string; role: UserRole; sid: string; scopes: string[];
      /** Set (by the gateway's session gate) while the account must choose a new password. */
      mustChangePassword?: true;
    };

export interface AppEnv {
  Variables: {
    requestId: string;
    log: Logger;
    principal: Principal;
    /** A request body already read and checked by a route middleware (shape depends on the route). */
    input: unknown;
  };
}
