/**
 * Hono middleware that turns a Bearer token into `c.get('principal')` and gates routes by role and
 * scope. Failures throw coded errors; the app's one onError renders them. The WWW-Authenticate
 * header is set on the context first so the error response carries it (RFC 6750 §3).
 */
import type { Context, MiddlewareHandler } from 'hono';
import { WardClerkError } from '../../core/errors.js';
import type { AppEnv, Principal, UserRole } from '../http/app-env.js';
import { enforceOrigin } from '../http/cors.js';
import type { TokenService } from './token-service.js';

const BEARER = /^Bearer[ ]+([A-Za-z0-9\-._~+/]+=*)[ ]*$/i;

/** Returns the raw token of an `Authorization: Bearer …` header, or null when absent. */
export function bearerToken(header: string | undefined): string | null {
  if (!header) return null;
  return BEARER.exec(header)?.[1] ?? null;
}

function challenge(c: Context<AppEnv>, error?: 'invalid_token' | 'insufficient_scope'): void {
  c.header('WWW-Authenticate', error ? `Bearer error="${error}"` : 'Bearer');
}

export interface RequireAuthOptions {
  /**
   * Lets a person whose account must change its password through (only the password change,
   * logout and who-am-I routes set it). Everyone else in that state gets PASSWORD_CHANGE_REQUIRED.
   */
  allowPasswordChangePending?: boolean;
}

/**
 * Requires a valid Bearer token. No Authorization header (or not a Bearer one) → UNAUTHENTICATED
 * 401; a token that fails verification → INVALID_TOKEN 401 (in the gateway, `tokens` is wrapped by
 * the session gate: a person's token whose session has ended → SESSION_REVOKED 401). A person who
 * must change their password → PASSWORD_CHANGE_REQUIRED 403 unless `allowPasswordChangePending`.
 * Sets `principal` on success.
 */
export function requireAuth(tokens: Pick<TokenService, 'verify'>, options: RequireAuthOptions = {}): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization');
    const token = bearerToken(header);
    if (token === null) {
      challenge(c);
      if (header) throw new WardClerkError('INVALID_TOKEN', 'The Authorization header is not a Bearer token');
      throw new WardClerkError('UNAUTHENTICATED', 'This route needs an Authorization: Bearer token');
    }
    let principal: Principal;
    try {
      principal = await tokens.verify(token);
    } catch (e) {
      if (e instanceof WardClerkError) challenge(c, 'invalid_token');
      throw e;
    }
    c.set('principal', principal);
    // A cross-origin browser request may use only a token whose tenant lists its Origin.
    await enforceOrigin(c, principal);
    if (principal.kind === 'user' && principal.mustChangePassword && !options.allowPasswordChangePending) {
      throw new WardClerkError('PASSWORD_CHANGE_REQUIRED', 'Choose a new password first (POST /api/v1/auth/password)', {
        details: { allowed: ['POST /api/v1/auth/password', 'POST /api/v1/auth/logout', 'POST /api/v1/auth/refresh', 'GET /api/v1/me'] },
      });
    }
    await next();
  };
}

function principalOf(c: Context<AppEnv>) {
  const p = c.get('principal') as AppEnv['Variables']['principal'] | undefined;
  if (!p) {
    challenge(c);
    throw new WardClerkError('UNAUTHENTICATED', 'This route needs an Authorization: Bearer token');
  }
  return p;
}

/** Only the operator passes (run after requireAuth); a client token → FORBIDDEN 403. */
export function requireOperator(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (principalOf(c).kind !== 'operator') throw new WardClerkError('FORBIDDEN', 'This route is for the operator only');
    await next();
  };
}

/**
 * Only a signed-in person of a tenant passes (run after requireAuth), and only with one of
 * `roles` when given. Operator and client tokens, and other roles → FORBIDDEN 403. The person's
 * session and account were already checked by requireAuth's token service (the session gate).
 */
export function requireUser(...roles: UserRole[]): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const p = principalOf(c);
    if (p.kind !== 'user') throw new WardClerkError('FORBIDDEN', 'This route is for signed-in users of a tenant');
    if (roles.length > 0 && !roles.includes(p.role)) {
      throw new WardClerkError('FORBIDDEN', 'Your role cannot use this route', { details: { allowed_roles: roles } });
    }
    await next();
  };
}

/**
 * Only a tenant's API client passes (run after requireAuth); with `scope`, the client's token must
 * carry it. Operator tokens and missing scopes → FORBIDDEN 403.
 */
export function requireClient(scope?: string): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const p = principalOf(c);
    if (p.kind !== 'client') throw new WardClerkError('FORBIDDEN', 'This route is for API clients of a tenant');
    if (scope !== undefined && !p.scopes.includes(scope)) {
      challenge(c, 'insufficient_scope');
      throw new WardClerkError('FORBIDDEN', 'The token lacks the scope this route needs', { details: { required_scope: scope } });
    }
    await next();
  };
}
