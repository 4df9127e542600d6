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
import { randomKey } from '../../../core/crypto.js';
import { createLogger } from '../../../core/logger.js';
import { createTokenService, type TokenService } from '../../auth/token-service.js';
import type { AppEnv } from '../../http/app-env.js';
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
  /** POSTs a GraphQL request with `token` (none when null) and returns status and parsed body. */
  gql(token: string | null, query: string, variables?: Record<string, unknown>): Promise<{ status: number; body: GqlBody }>;
}

export interface GqlBody {
  data?: Record<string, any> | null;
  errors?: Array<{ message: string; path?: Array<string | number>; extensions: { code: string; status: number; details: Record<string, unknown> } }>;
  status?: string;
  error?: { code: string; message: string };
}

export async function createGraphqlFixture(options: { limits?: QueryLimits; extend?: (deps: GatewayDeps) => void } = {}): Promise<GraphqlFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'wc-gql-'));
  const config = loadConfig({ WARDCLERK_DATA_DIR: dir });
  const store = await openStore({ dir: join(dir, 'store'), masterKey: randomKey() });
  const tokens = await createTokenService({ store, config });
  const lines: string[] = [];
  const sink = new Writable({ write: (chunk, _e, cb) => (lines.push(String(chunk)), cb()) });
  const log = createLogger({ level: 'debug', role: 'gateway', destination: sink });
  const deps = { config, log, store, tokens } as Partial<GatewayDeps> as GatewayDeps;
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
  return {
    store,
    tokens,
    app,
    logs: () => lines.join(''),
    async gql(token, query, variables) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (token) headers.authorization = `Bearer ${token}`;
      const res = await app.request('/api/v1/graphql', { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
      return { status: res.status, body: (await res.json()) as GqlBody };
    },
    async [Symbol.asyncDispose]() {
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
