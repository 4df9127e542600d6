/**
 * Test fixture for people's sign-in (issue 8): the real encrypted store in a temp dir, the real
 * token service, session keys and attempt limiter (state saved under the data dir, as in the
 * gateway), the auth, admin and user routes on a small app with the gateway's error mapping, an
 * injected clock, captured log lines and a recorder of published events. Argon2 runs at its
 * minimum cost (these tests are not about the cost). `reopen()` restarts everything on the same
 * data dir and master key. Dispose with `await using`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { OpenAPIHono } from '@hono/zod-openapi';
import { loadConfig, type Config } from '../../../core/config.js';
import { randomKey } from '../../../core/crypto.js';
import { WardClerkError } from '../../../core/errors.js';
import { createLogger } from '../../../core/logger.js';
import { registerAdminRoutes } from '../../admin/routes.js';
import type { EventPublisher } from '../../events/publisher.js';
import { errorResponse } from '../../http/app.js';
import type { AppEnv } from '../../http/app-env.js';
import { loginUser, type PeopleDeps } from '../../people/sessions-service.js';
import { registerUserRoutes } from '../../people/users-routes.js';
import { openStore, type Store } from '../../store/store.js';
import type { AttemptLimiterOptions } from '../attempt-limiter.js';
import { ensureOperator } from '../operator-bootstrap.js';
import { MIN_KDF_COST } from '../password-kdf.js';
import { registerAuthRoutes } from '../routes.js';
import { SessionKeys } from '../session-keys.js';
import { createTokenService, type TokenService } from '../token-service.js';

export const OPERATOR_PASSWORD = 'operator-password-for-tests';
const JSON_HEADERS = { 'content-type': 'application/json' };

export interface Reply {
  status: number;
  headers: Headers;
  body: any;
  text: string;
}

export interface SignInFixture extends AsyncDisposable {
  dir: string;
  config: Config;
  store: Store;
  tokens: TokenService;
  sessionKeys: SessionKeys;
  deps: PeopleDeps;
  app: OpenAPIHono<AppEnv>;
  /** The injected clock (ms); move it with `advance`. */
  now(): number;
  advance(ms: number): void;
  logLines: string[];
  events: Array<{ tenantId: string; type: string; data: Record<string, unknown> }>;
  call(method: string, path: string, body?: unknown, headers?: Record<string, string>): Promise<Reply>;
  bearer(token: string): Record<string, string>;
  /** The operator's Authorization header. */
  operator(): Promise<Record<string, string>>;
  tenant(name?: string): Promise<string>;
  /** Closes the store and opens everything again on the same dir (a gateway restart). */
  reopen(): Promise<void>;
}

export async function createSignInFixture(options: { limiter?: Omit<AttemptLimiterOptions, 'onLockout' | 'onChange' | 'now'>; env?: Record<string, string> } = {}): Promise<SignInFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'wc-signin-'));
  const masterKey = randomKey();
  const config = loadConfig({ WARDCLERK_DATA_DIR: dir, WARDCLERK_ADMIN_PASSWORD: OPERATOR_PASSWORD, ...options.env });
  let clock = Date.parse('2026-03-01T09:00:00Z');
  const logLines: string[] = [];
  const events: SignInFixture['events'] = [];
  const sink = new Writable({ write(chunk, _enc, cb) { logLines.push(String(chunk)); cb(); } });
  const log = createLogger({ level: 'trace', role: 'test', destination: sink });
  const recorder: Pick<EventPublisher, 'publish'> = {
    async publish(tenantId, type, data) {
      events.push({ tenantId, type, data });
      return { id: String(events.length), type, tenant_id: tenantId, created_at: new Date(clock).toISOString(), data };
    },
  };

  async function build() {
    const store = await openStore({ dir: join(dir, 'store'), masterKey });
    const tokens = await createTokenService({ store, config });
    await ensureOperator({ store, config, log });
    const sessionKeys = new SessionKeys({ now: () => clock });
    const deps: PeopleDeps = { config, store, tokens, sessionKeys, passwordCost: MIN_KDF_COST, clock: () => new Date(clock) };
    const app = new OpenAPIHono<AppEnv>({
      defaultHook: (result) => {
        if (!result.success) throw new WardClerkError('VALIDATION_FAILED', 'Request failed validation', { details: { issues: result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) } });
        return undefined;
      },
    });
    app.use('*', async (c, next) => {
      c.set('requestId', 'test-request');
      c.set('log', log);
      await next();
      log.info({ method: c.req.method, path: c.req.path, status: c.res.status }, 'request');
    });
    app.onError((err, c) => errorResponse(c, err));
    const throttle = registerAuthRoutes(app, {
      store, tokens, log, config, events: recorder, limiterOptions: { ...options.limiter, now: () => clock }, userLogin: (input) => loginUser(deps, input),
    });
    registerAdminRoutes(app, { store, tokens });
    registerUserRoutes(app, deps, throttle);
    await throttle.ready;
    return { store, tokens, sessionKeys, deps, app };
  }

  let parts = await build();
  const f: SignInFixture = {
    dir, config, logLines, events,
    get store() { return parts.store; },
    get tokens() { return parts.tokens; },
    get sessionKeys() { return parts.sessionKeys; },
    get deps() { return parts.deps; },
    get app() { return parts.app; },
    now: () => clock,
    advance(ms) { clock += ms; },
    async call(method, path, body, headers = {}) {
      const res = await parts.app.request(path, { method, headers: { ...JSON_HEADERS, ...headers }, ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }) });
      const text = await res.text();
      return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null, text };
    },
    bearer: (token) => ({ authorization: `Bearer ${token}` }),
    async operator() {
      const r = await f.call('POST', '/api/v1/auth/login', { email: 'admin', password: OPERATOR_PASSWORD });
      if (r.status !== 200) throw new Error(`operator login failed: ${r.status}`);
      return f.bearer(r.body.data.access_token);
    },
    async tenant(name = 'St Mary') {
      return (await parts.store.tenants.create({ name })).id;
    },
    async reopen() {
      parts.sessionKeys.clear();
      await parts.store.close();
      parts = await build();
    },
    async [Symbol.asyncDispose]() {
      parts.sessionKeys.clear();
      await parts.store.close();
      await rm(dir, { recursive: true, force: true });
    },
  } as SignInFixture;
  return f;
}
