/**
 * CORS, closed by default: a cross-origin browser request gets no Access-Control-Allow-Origin unless
 * a tenant listed that origin (`cors_origins`, set by the operator with PATCH
 * /api/v1/admin/tenants/{id}). Same-origin requests (the admin UI) are not CORS and pass untouched.
 *
 * The tenant comes from the token, and a preflight carries no token, so the check has two steps:
 * - a preflight (OPTIONS + Access-Control-Request-Method) is answered 204 with the CORS headers when
 *   ANY tenant lists the origin, else 403 ORIGIN_NOT_ALLOWED;
 * - the actual request is enforced once its token is known (requireAuth calls {@link enforceOrigin}):
 *   a client token whose tenant does not list the Origin, or an operator token from a foreign
 *   origin, is refused with 403 ORIGIN_NOT_ALLOWED before the handler runs. Unauthenticated answers
 *   (login errors, 401s) carry the allow header only for an origin some tenant lists.
 * Tokens travel in the Authorization header, never cookies, so credentials mode is never allowed.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { WardClerkError } from '../../core/errors.js';
import type { TenantRecord } from '../store/records.js';
import type { AppEnv, Principal } from './app-env.js';

/** Where tenants' origins come from; `revision` changes whenever a tenant is written. */
export interface TenantOriginSource {
  list(): Promise<TenantRecord[]>;
  readonly revision?: number;
}

const ALLOW_METHODS = 'GET, POST, PUT, PATCH, DELETE';
const ALLOW_HEADERS = 'Authorization, Content-Type, Accept, X-Request-Id, X-Patient-Ref, X-Doctor, Idempotency-Key';
const EXPOSE_HEADERS = 'X-Request-Id, Retry-After, Location, WWW-Authenticate';

/** The canonical `scheme://host[:port]` of an http(s) origin, or null when `value` is not one. */
export function normalizeOrigin(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  if (url.username || url.password || url.search || url.hash || (url.pathname !== '/' && url.pathname !== '')) return null;
  if (value.replace(/\/$/, '').toLowerCase() !== url.origin.toLowerCase()) return null;
  return url.origin;
}

export interface CorsPolicy {
  anyTenantAllows(origin: string): Promise<boolean>;
  tenantAllows(tenantId: string, origin: string): Promise<boolean>;
}

/** Origins per tenant, cached in memory and reloaded when the tenants' revision changes. */
export function createCorsPolicy(tenants: TenantOriginSource): CorsPolicy {
  let cache: { revision: number | undefined; byTenant: Map<string, Set<string>>; any: Set<string>; at: number } | null = null;
  async function snapshot() {
    // Without a revision counter (another store implementation), reload every few seconds.
    if (cache && cache.revision === tenants.revision && (tenants.revision !== undefined || Date.now() - cache.at < 5000)) return cache;
    const revision = tenants.revision;
    const byTenant = new Map<string, Set<string>>();
    const any = new Set<string>();
    for (const t of await tenants.list()) {
      const set = new Set(t.cors_origins ?? []);
      byTenant.set(t.id, set);
      for (const o of set) any.add(o);
    }
    cache = { revision, byTenant, any, at: Date.now() };
    return cache;
  }
  return {
    async anyTenantAllows(origin) {
      return (await snapshot()).any.has(origin);
    },
    async tenantAllows(tenantId, origin) {
      return (await snapshot()).byTenant.get(tenantId)?.has(origin) ?? false;
    },
  };
}

const pending = new WeakMap<Context, { policy: CorsPolicy; origin: string }>();

/**
 * Refuses a cross-origin request whose token may not be used from its Origin (see the file
 * comment). Called by requireAuth once the principal is known; a no-op for same-origin requests
 * and for apps built without the CORS middleware.
 */
export async function enforceOrigin(c: Context, principal: Principal): Promise<void> {
  const entry = pending.get(c);
  if (!entry) return;
  const ok = principal.kind !== 'operator' && (await entry.policy.tenantAllows(principal.tenantId, entry.origin));
  if (!ok) throw new WardClerkError('ORIGIN_NOT_ALLOWED', 'This origin may not use this credential', { details: { header: 'Origin' } });
}

function isSameOrigin(c: Context, origin: string, publicUrl: string | undefined): boolean {
  if (origin === new URL(c.req.url).origin) return true;
  return publicUrl !== undefined && origin === new URL(publicUrl).origin;
}

/** The middleware; register once on every route. */
export function corsMiddleware(policy: CorsPolicy, options: { publicUrl?: string | undefined } = {}): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const origin = c.req.header('origin');
    if (!origin || isSameOrigin(c, origin, options.publicUrl)) return next();
    c.header('Vary', 'Origin');
    if (c.req.method === 'OPTIONS' && c.req.header('access-control-request-method')) {
      if (!(await policy.anyTenantAllows(origin))) throw new WardClerkError('ORIGIN_NOT_ALLOWED', 'This origin is not allowed', { details: { header: 'Origin' } });
      return c.body(null, 204, {
        'Access-Control-Allow-Origin': origin,
        'Access-Control-Allow-Methods': ALLOW_METHODS,
        'Access-Control-Allow-Headers': ALLOW_HEADERS,
        'Access-Control-Max-Age': '600',
        Vary: 'Origin',
      });
    }
    pending.set(c, { policy, origin });
    await next();
    const p = c.get('principal') as Principal | undefined;
    const allowed = p ? p.kind !== 'operator' && (await policy.tenantAllows(p.tenantId, origin)) : await policy.anyTenantAllows(origin);
    if (allowed) {
      c.header('Access-Control-Allow-Origin', origin);
      c.header('Access-Control-Expose-Headers', EXPOSE_HEADERS);
    }
  };
}
