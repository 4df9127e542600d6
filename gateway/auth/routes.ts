/**
 * Authentication routes: operator login (envelope), the OAuth 2.0 client-credentials token endpoint
 * (RFC 6749 shapes, as OAuth clients expect), and the public JWKS.
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { WardClerkError } from '../../core/errors.js';
import { USER_ROLES, type AppEnv } from '../http/app-env.js';
import { errorResponses, metadata, successEnvelope } from '../http/envelope.js';
import { join } from 'node:path';
import type { Config } from '../../core/config.js';
import type { Logger } from '../../core/logger.js';
import { remoteAddress } from '../http/client-address.js';
import type { GatewayMetrics } from '../metrics.js';
import { createAttemptLimiter, type AttemptLimiter, type AttemptLimiterOptions } from './attempt-limiter.js';
import { createLimiterSaver, loadLimiterState, type LimiterSaver } from './attempt-limiter-file.js';
import { normalizeIdentity } from './identity.js';
import { registerClientCredentialsRoute } from './client-credentials.js';
import { createCredentialChecker } from './credential-checker.js';
import type { AuthStore } from './store-port.js';
import type { TokenService } from './token-service.js';
import type { EventPublisher } from '../events/publisher.js';

export interface AuthRouteDeps {
  store: Pick<AuthStore, 'system' | 'clients'>;
  tokens: TokenService;
  /** Failed-attempt limiter shared by login and the token endpoint; one is created when absent. */
  limiter?: AttemptLimiter;
  /** Policies (and, in tests, the clock) of the limiter created when `limiter` is absent. */
  limiterOptions?: Omit<AttemptLimiterOptions, 'onLockout' | 'onChange'>;
  /** Lockout events are logged here (PHI-free) … */
  log?: Logger;
  /** … and counted here. */
  metrics?: Pick<GatewayMetrics, 'authLockouts'>;
  /** With a data dir, the limiter's state is kept in `<dataDir>/auth-throttle.json` across restarts. */
  config?: Pick<Config, 'dataDir'>;
  /** Lockouts that concern a tenant's user are also published as `auth.lockout` events (ids only). */
  events?: Pick<EventPublisher, 'publish'>;
  /** Logs a tenant's user in by email (gateway/people/sessions-service.ts loginUser); absent: operator only. */
  userLogin?: (input: { email: string; password: string; tenant_id?: string }) => Promise<
    { ok: true; tokens: z.infer<typeof UserTokensSchema> } | { ok: false; tenantId?: string; userId?: string }
  >;
}

/** The attempt limiter the auth routes use, for the other sign-in routes (sign-up, refresh, password). */
export interface AuthThrottle {
  limiter: AttemptLimiter;
  /** Resolves once the limiter's saved state is loaded. */
  ready: Promise<unknown>;
}

/** The limiter the gateway uses: lockouts logged and counted, state saved under the data dir. */
function defaultLimiter(deps: AuthRouteDeps): { limiter: AttemptLimiter; ready: Promise<unknown> } {
  let saver: LimiterSaver | null = null;
  const limiter = createAttemptLimiter({
    ...deps.limiterOptions,
    onLockout(event) {
      deps.log?.warn({ event: 'auth.lockout', ...event }, 'credential attempts blocked');
      deps.metrics?.authLockouts.inc({ kind: event.kind, scope: event.scope });
      if (event.tenant_id && deps.events) {
        const data = { kind: event.kind, scope: event.scope, key_hash: event.key_hash, retry_after_s: event.retry_after_s, ...(event.user_id ? { user_id: event.user_id } : {}) };
        deps.events.publish(event.tenant_id, 'auth.lockout', data).catch(() => deps.log?.warn({ event: 'auth.lockout' }, 'lockout event not published'));
      }
    },
    onChange: () => saver?.schedule(),
  });
  if (!deps.config) return { limiter, ready: Promise.resolve() };
  const file = join(deps.config.dataDir, 'auth-throttle.json');
  saver = createLimiterSaver(file, limiter, (e) => deps.log?.warn({ err: { code: (e as { code?: string }).code } }, 'could not save the attempt limiter state'));
  return { limiter, ready: loadLimiterState(file, limiter) };
}

export const TokenResponseSchema = z
  .object({
    access_token: z.string(),
    token_type: z.literal('Bearer'),
    expires_in: z.number().int().openapi({ description: 'Seconds until the token expires' }),
  })
  .openapi('TokenResponse');

/** A person's sign-in answer (issue 8): the access token plus the session's refresh token. */
export const UserTokensSchema = TokenResponseSchema.extend({
  refresh_token: z.string().openapi({ description: 'Exchange at POST /api/v1/auth/refresh; single use (a reused one revokes the session)' }),
  refresh_expires_at: z.string().openapi({ description: 'When the session ends; refreshing does not extend it' }),
  user: z.object({ user_id: z.string(), role: z.enum(USER_ROLES), tenant_id: z.string(), must_change_password: z.boolean() }),
}).openapi('UserTokens');

const LoginBody = z
  .object({
    email: z.string().min(1).max(320).openapi({ example: 'admin', description: 'The operator\'s login name ("admin") or a user\'s email' }),
    password: z.string().min(1).max(1024),
    tenant_id: z.string().max(64).optional().openapi({ description: 'Users only: needed when the email has accounts in several tenants' }),
  })
  .openapi('LoginRequest');

const loginRoute = createRoute({
  method: 'post',
  path: '/api/v1/auth/login',
  tags: ['auth'],
  summary: 'Sign in: the operator, or a user of a tenant by email',
  description:
    'The operator gets an access token. A user gets a short-lived access token, a refresh token and who they are; a disabled account is 403 ACCOUNT_DISABLED. Too many failures per IP or account: 429 with Retry-After.',
  request: { body: { required: true, content: { 'application/json': { schema: LoginBody } } } },
  responses: {
    200: {
      description: 'An operator access token, or a user\'s tokens',
      content: { 'application/json': { schema: successEnvelope(z.union([UserTokensSchema, TokenResponseSchema])) } },
    },
    ...errorResponses(400, 401, 403, 429),
  },
});

const JwkSchema = z.object({ kty: z.string().optional(), crv: z.string().optional(), x: z.string().optional(), kid: z.string().optional(), alg: z.string().optional(), use: z.string().optional() });

const jwksRoute = createRoute({
  method: 'get',
  path: '/.well-known/jwks.json',
  tags: ['auth'],
  summary: 'Public keys that verify access tokens (RFC 7517)',
  responses: { 200: { description: 'JWK set', content: { 'application/json': { schema: z.object({ keys: z.array(JwkSchema) }).openapi('Jwks') } } } },
});

/** Registers login, the client-credentials token endpoint and the JWKS on `app`. */
export function registerAuthRoutes(app: OpenAPIHono<AppEnv>, deps: AuthRouteDeps): AuthThrottle {
  const { limiter, ready } = deps.limiter ? { limiter: deps.limiter, ready: Promise.resolve() } : defaultLimiter(deps);
  const checker = createCredentialChecker();

  app.openapi(loginRoute, async (c) => {
    const { email, password, tenant_id } = c.req.valid('json');
    // One normal form for both the limiter and the lookup (" admin" and "ADMIN" are one account).
    const attempt = { kind: 'login' as const, identity: normalizeIdentity(email), ip: remoteAddress(c) ?? 'unknown' };
    await ready;
    limiter.check(attempt);
    const operator = await deps.store.system.getOperatorByEmail(attempt.identity);
    if (!operator && deps.userLogin) {
      const out = await deps.userLogin({ email: attempt.identity, password, ...(tenant_id !== undefined ? { tenant_id } : {}) });
      if (!out.ok) {
        limiter.recordFailure({ ...attempt, ...(out.tenantId ? { tenantId: out.tenantId } : {}), ...(out.userId ? { userId: out.userId } : {}) });
        throw new WardClerkError('INVALID_CREDENTIALS', 'The email or password is wrong');
      }
      limiter.recordSuccess(attempt);
      c.header('Cache-Control', 'no-store');
      return c.json({ status: 'success' as const, data: out.tokens, metadata: metadata(c) }, 200);
    }
    if (!(await checker.verify(operator?.password_hash ?? null, password)) || !operator) {
      limiter.recordFailure(attempt);
      throw new WardClerkError('INVALID_CREDENTIALS', 'The email or password is wrong');
    }
    limiter.recordSuccess(attempt);
    c.header('Cache-Control', 'no-store');
    return c.json({ status: 'success' as const, data: await deps.tokens.issueOperatorToken(operator.id), metadata: metadata(c) }, 200);
  });

  registerClientCredentialsRoute(app, { ...deps, limiter, checker, ready });

  app.openapi(jwksRoute, (c) => {
    c.header('Cache-Control', 'public, max-age=300');
    return c.json(deps.tokens.jwks(), 200);
  });
  return { limiter, ready };
}
