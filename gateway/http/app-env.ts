/**
 * Per-request identity and tools as typed Hono context variables. Set by middleware in app.ts and
 * auth; read by handlers. Tenant always comes from the credential, never from a parameter.
 */
import type { Logger } from '../../core/logger.js';

/** Who is calling: the operator (appliance admin) or a tenant's API client. */
export type Principal =
  | { kind: 'operator'; sub: string; scopes: string[] }
  | { kind: 'client'; sub: string; tenantId: string; scopes: string[] };

export interface AppEnv {
  Variables: {
    requestId: string;
    log: Logger;
    principal: Principal;
    /** A request body already read and checked by a route middleware (shape depends on the route). */
    input: unknown;
  };
}
