/**
 * Authentication routes: operator login (envelope), the OAuth 2.0 client-credentials token endpoint
 * (RFC 6749 shapes, as OAuth clients expect), and the public JWKS.
 */
import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { WardClerkError } from '../../core/errors.js';
import type { AppEnv } from '../http/app-env.js';
import { errorResponses, metadata, successEnvelope } from '../http/envelope.js';
import { join } from 'node:path';
import type { Config } from '../../core/config.js';
import type { Logger } from '../../core/logger.js';
import { remoteAddress } from '../http/client-address.js';
import type { GatewayMetrics } from '../metrics.js';
import { createAttemptLimiter, type AttemptLimiter } from './attempt-limiter.js';
import { createLimiterSaver, loadLimiterState, type LimiterSaver } from './attempt-limiter-file.js';
import { normalizeIdentity } from './identity.js';
import { registerClientCredentialsRoute } from './client-credentials.js';
import { createCredentialChecker } from './credential-checker.js';
import type { AuthStore } from './store-port.js';
import type { TokenService } from './token-service.js';

export interface AuthRouteDeps {
  store: Pick<AuthStore, 'system' | 'clients'>;
  tokens: TokenService;
  /** Failed-attempt limiter shared by login and the token endpoint; one is created when absent. */
  limiter?: AttemptLimiter;
  /** Lockout events are logged here (PHI-free) … */
  log?: Logger;
  /** … and counted here. */
  metrics?: Pick<GatewayMetrics, 'authLockouts'>;
  /** With a data dir, the limiter's state is kept in `<dataDir>/auth-throttle.json` across restarts. */
  config?: Pick<Config, 'dataDir'>;
}

/** The limiter the gateway uses: lockouts logged and counted, state saved under the data dir. */
function defaultLimiter(deps: AuthRouteDeps): { limiter: AttemptLimiter; ready: Promise<unknown> } {
  let saver: LimiterSaver | null = null;
  const limiter = createAttemptLimiter({
    onLockout(event) {
      deps.log?.warn({ event: 'auth.lockout', ...event }, 'credential attempts blocked');
      deps.metrics?.authLockouts.inc({ kind: event.kind, scope: event.scope });
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

const LoginBody = z
  .object({
    email: z.string().min(1).max(320).openapi({ example: 'admin' }),
    password: z.string().min(1).max(1024),
  })
  .openapi('LoginRequest');

const loginRoute = createRoute({
  method: 'post',
  path: '/api/v1/auth/login',
  tags: ['auth'],
  summary: 'Operator login',
  request: { body: { required: true, content: { 'application/json': { schema: LoginBody } } } },
  responses: {
    200: { description: 'An operator access token', content: { 'application/json': { schema: successEnvelope(TokenResponseSchema) } } },
    ...errorResponses(400, 401, 429),
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
export function registerAuthRoutes(app: OpenAPIHono<AppEnv>, deps: AuthRouteDeps): void {
  const { limiter, ready } = deps.limiter ? { limiter: deps.limiter, ready: Promise.resolve() } : defaultLimiter(deps);
  const checker = createCredentialChecker();

  app.openapi(loginRoute, async (c) => {
    const { email, password } = c.req.valid('json');
    // One normal form for both the limiter and the lookup (" admin" and "ADMIN" are one account).
    const attempt = { kind: 'login' as const, identity: normalizeIdentity(email), ip: remoteAddress(c) ?? 'unknown' };
    await ready;
    limiter.check(attempt);
    const operator = await deps.store.system.getOperatorByEmail(attempt.identity);
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
}
