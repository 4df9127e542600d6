/**
 * Test fixture: the real encrypted LevelDB store in a temp dir, the real token service, and an
 * OpenAPIHono app with the gateway's own request-id, body-limit and error-mapping layers plus the
 * GraphQL routes. Deps the GraphQL layer itself never touches (bus, engines) are absent: a test
 * that needs the whole gateway uses test/appliance.ts. Dispose with `await using`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { OpenAPIHono } from '@hono/zod-openapi';
import { loadConfig } from '../../../core/config.js';
import { newId, randomKey } from '../../../core/crypto.js';
import { createLogger } from '../../../core/logger.js';
import { newKeypair } from '../../auth/key-sealing.js';
import { SessionKeys } from '../../auth/session-keys.js';
import { createTokenService, type TokenService } from '../../auth/token-service.js';
import type { AppEnv, UserRole } from '../../http/app-env.js';
import { errorResponse } from '../../http/app.js';
import { limitBodies } from '../../http/body-limit.js';
import type { GatewayDeps } from '../../http/deps.js';
import { openStore, type Store } from '../../store/store.js';
import type { QueryLimits } from '../limits.js';
import { registerGraphqlRoutes } from '../routes.js';

export interface GraphqlFixture extends AsyncDisposable {
  store: Store;
  tokens: TokenService;
  app: OpenAPIHono<AppEnv>;
  /** Every log line written so far. */
  logs(): string;
  /**
   * A signed-in person of a new tenant: the user stored by the real users repo, a live session in
   * the sessions repo, its private key in session memory, and a Bearer token for that session.
   */
  person(role: UserRole): Promise<{ userId: string; tenantId: string; sid: string; token: string }>;
  /** POSTs a GraphQL request with `token` (none when null) and returns status and parsed body. */
  gql(token: string | null, query: string, variables?: Record<string, unknown>): Promise<GqlResponse>;
}

export interface GqlBody {
  data?: Record<string, any> | null;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions: { code: string; status: number; details: Record<string, unknown> } }>;
  status?: string;
  error?: { code: string; message: string };
}

/** What a GraphQL call answered: the HTTP status and the parsed body. */
export interface GqlResponse {
  status: number;
  body: GqlBody;
}

/** One GraphQL POST with these headers (content type and token included). */
export type GqlCall = (headers: Record<string, string>, query: string, variables?: Record<string, unknown>) => Promise<GqlResponse>;

/** GraphQL POSTs to `app`'s /api/v1/graphql. */
export function graphqlCaller(app: Pick<OpenAPIHono<AppEnv>, 'request'>): GqlCall {
  return async (headers, query, variables) => {
    const res = await app.request('/api/v1/graphql', { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
    return { status: res.status, body: (await res.json()) as GqlBody };
  };
}

export async function createGraphqlFixture(options: { limits?: QueryLimits; extend?: (deps: GatewayDeps) => void } = {}): Promise<GraphqlFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'wc-gql-'));
  const config = loadConfig({ WARDCLERK_DATA_DIR: dir });
  const store = await openStore({ dir: join(dir, 'store'), masterKey: randomKey() });
  const tokens = await createTokenService({ store, config });
  const lines: string[] = [];
  const sink = new Writable({ write: (chunk, _e, cb) => (lines.push(String(chunk)), cb()) });
  const log = createLogger({ level: 'debug', role: 'gateway', destination: sink });
  const sessionKeys = new SessionKeys();
  const deps = { config, log, store, tokens, sessionKeys } as Partial<GatewayDeps> as GatewayDeps;
  options.extend?.(deps);
  const app = new OpenAPIHono<AppEnv>();
  app.use('*', async (c, next) => {
    c.set('requestId', 'test-request-id');
    c.set('log', log.child({ request_id: 'test-request-id' }));
    await next();
  });
  app.use('*', limitBodies());
  app.onError((err, c) => errorResponse(c, err));
  registerGraphqlRoutes(app, deps, options.limits);
  const post = graphqlCaller(app);
  return {
    store,
    tokens,
    app,
    logs: () => lines.join(''),
    async person(role) {
      const tenantId = (await store.tenants.create({ name: 'GraphQL test' })).id;
      const kp = newKeypair();
      const now = new Date();
      const user = await store.users.create(tenantId, {
        user_id: newId('usr'), tenant_id: tenantId, email: `${newId('e').toLowerCase()}@example.test`, role, status: 'active', display_name: `${role} user`,
        password_hash: '$argon2id$not-used-by-these-tests', password_changed_at: now.toISOString(), must_change_password: false, public_key: kp.publicKey,
        // Never signed in with a password here: the key goes straight into the session below.
        sealed_private_key: { alg: 'argon2id+xchacha20poly1305', salt: 'unused', nonce: 'unused', ciphertext: 'unused', opslimit: 1, memlimit: 8192 },
        key_version: 1, patient_id: null, created_at: now.toISOString(),
      });
      const { session } = await store.sessions.create(tenantId, user.user_id, { now, ttlSeconds: 3600 });
      sessionKeys.put(session.session_id, user.user_id, kp.privateKey, Date.now() + 3_600_000);
      const token = (await tokens.issueUserToken({ user_id: user.user_id, tenant_id: tenantId, role, sid: session.session_id })).access_token;
      return { userId: user.user_id, tenantId, sid: session.session_id, token };
    },
    gql(token, query, variables) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (token) headers.authorization = `Bearer ${token}`;
      return post(headers, query, variables);
    },
    async [Symbol.asyncDispose]() {
      sessionKeys.clear();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
