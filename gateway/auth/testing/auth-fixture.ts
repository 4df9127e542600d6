/**
 * Test fixture: the real encrypted LevelDB store in a temp dir, a token service, and a small OpenAPIHono app with the auth
 * and admin routes plus the same error mapping as the gateway. Dispose with `await using`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OpenAPIHono } from '@hono/zod-openapi';
import { loadConfig, type Config } from '../../../core/config.js';
import { randomKey } from '../../../core/crypto.js';
import { WardClerkError, isWardClerkError } from '../../../core/errors.js';
import { createLogger } from '../../../core/logger.js';
import { registerAdminRoutes } from '../../admin/routes.js';
import type { AppEnv } from '../../http/app-env.js';
import { createAttemptLimiter, type AttemptLimiterOptions } from '../attempt-limiter.js';
import { registerAuthRoutes } from '../routes.js';
import type { AuthStore } from '../store-port.js';
import { createTokenService, type TokenService } from '../token-service.js';
import { openStore, type Store } from '../../store/store.js';

export interface AuthFixture extends AsyncDisposable {
  dir: string;
  config: Config;
  store: Store;
  tokens: TokenService;
  app: OpenAPIHono<AppEnv>;
}

/** A minimal app: request id, the coded-error mapping, and our routes. */
export function buildTestApp(deps: { store: AuthStore; tokens: TokenService; limiter?: AttemptLimiterOptions }): OpenAPIHono<AppEnv> {
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw new WardClerkError('VALIDATION_FAILED', 'Request failed validation');
      return undefined;
    },
  });
  const log = createLogger({ level: 'silent', role: 'test' });
  app.use('*', async (c, next) => {
    c.set('requestId', 'test-request');
    c.set('log', log);
    await next();
  });
  app.onError((err, c) => {
    const e = isWardClerkError(err) ? err : new WardClerkError('INTERNAL', 'Internal error');
    if (!isWardClerkError(err)) console.error(err);
    if (e.retryAfter !== undefined) c.header('Retry-After', String(e.retryAfter));
    return c.json({ status: 'error', error: e.toJSON(), metadata: { timestamp: '', request_id: 'test-request' } }, e.status as 400);
  });
  const limiter = createAttemptLimiter(deps.limiter);
  registerAuthRoutes(app, { store: deps.store, tokens: deps.tokens, limiter });
  registerAdminRoutes(app, { store: deps.store, tokens: deps.tokens });
  return app;
}

export async function createAuthFixture(options: { env?: Record<string, string>; limiter?: AttemptLimiterOptions } = {}): Promise<AuthFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'wc-auth-'));
  const config = loadConfig({ WARDCLERK_DATA_DIR: dir, ...options.env });
  const store = await openStore({ dir: join(dir, 'store'), masterKey: randomKey() });
  const tokens = await createTokenService({ store, config });
  const app = buildTestApp({ store, tokens, limiter: options.limiter });
  return {
    dir,
    config,
    store,
    tokens,
    app,
    async [Symbol.asyncDispose]() {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
