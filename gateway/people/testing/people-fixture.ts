/**
 * Test fixture for the people routes: the real encrypted store in a temp dir, the real token
 * service and in-memory session keys, a small OpenAPIHono app with the patient, doctor,
 * assignment (and, given an event publisher, message) routes and the gateway's error envelope,
 * and a logger whose lines are captured for PHI checks. Users are stored through the real users
 * repository with real X25519 keypairs; their private keys sit in `sessionKeys` as after a
 * sign-in. Dispose with `await using`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { OpenAPIHono } from '@hono/zod-openapi';
import { loadConfig } from '../../../core/config.js';
import { newId, randomKey } from '../../../core/crypto.js';
import { createLogger } from '../../../core/logger.js';
import { newKeypair } from '../../auth/key-sealing.js';
import { SessionKeys } from '../../auth/session-keys.js';
import { createTokenService, type TokenService } from '../../auth/token-service.js';
import type { EventPublisher } from '../../events/publisher.js';
import { errorResponse } from '../../http/app.js';
import { createOpenApiApp } from '../../http/openapi-app.js';
import type { AppEnv, UserRole } from '../../http/app-env.js';
import { openStore, type Store } from '../../store/store.js';
import type { UserRecord } from '../../store/user-records.js';
import { registerAssignmentRoutes } from '../assignments-routes.js';
import { registerDoctorRoutes } from '../doctors-routes.js';
import { registerMessageRoutes } from '../messages-routes.js';
import { registerPatientRoutes } from '../patients-routes.js';

export interface TestPerson {
  user: UserRecord;
  sid: string;
  headers: Record<string, string>;
}

export interface PeopleFixture extends AsyncDisposable {
  dir: string;
  storeDir: string;
  masterKey: Uint8Array;
  store: Store;
  tokens: TokenService;
  sessionKeys: SessionKeys;
  app: OpenAPIHono<AppEnv>;
  /** Every log line written so far (JSON text). */
  logLines: string[];
  tenant(name?: string): Promise<string>;
  /** A signed-in person: user record stored, private key in session keys, a Bearer token. */
  person(tenantId: string, role: UserRole, displayName?: string): Promise<TestPerson>;
  client(tenantId: string, scopes: string[]): Promise<Record<string, string>>;
  call(method: string, path: string, headers: Record<string, string>, body?: unknown): Promise<{ status: number; body: any; text: string }>;
}

export interface PeopleFixtureOptions {
  /** Builds the event publisher (over the fixture's store outbox); without it no message routes. */
  events?: (store: Store) => EventPublisher;
}

export async function createPeopleFixture(options: PeopleFixtureOptions = {}): Promise<PeopleFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'wc-people-'));
  const storeDir = join(dir, 'store');
  const masterKey = randomKey();
  const config = loadConfig({ WARDCLERK_DATA_DIR: dir });
  const store = await openStore({ dir: storeDir, masterKey });
  const tokens = await createTokenService({ store, config });
  const sessionKeys = new SessionKeys();
  const logLines: string[] = [];
  const sink = new Writable({ write(chunk, _enc, cb) { logLines.push(String(chunk)); cb(); } });
  const log = createLogger({ level: 'trace', role: 'test', destination: sink });

  const app = createOpenApiApp();
  app.use('*', async (c, next) => {
    c.set('requestId', 'test-request');
    c.set('log', log);
    await next();
    log.debug({ method: c.req.method, status: c.res.status }, 'request');
  });
  // The gateway's own error mapping (coded errors, malformed JSON, unhandled errors logged PHI-free).
  app.onError((err, c) => errorResponse(c, err));
  const deps = { store, tokens };
  registerPatientRoutes(app, deps);
  registerDoctorRoutes(app, deps);
  registerAssignmentRoutes(app, deps);
  const events = options.events?.(store);
  if (events) registerMessageRoutes(app, { ...deps, events, sessionKeys });

  const json = { 'content-type': 'application/json' };
  return {
    dir, storeDir, masterKey, store, tokens, sessionKeys, app, logLines,
    async tenant(name = 'Clinic') {
      return (await store.tenants.create({ name })).id;
    },
    async person(tenantId, role, displayName = `${role} ${Math.random().toString(36).slice(2, 8)}`) {
      const kp = newKeypair();
      const now = new Date().toISOString();
      const user = await store.users.create(tenantId, {
        user_id: newId('usr'), tenant_id: tenantId, email: `${newId('e').toLowerCase()}@example.test`, role, status: 'active',
        display_name: displayName, password_hash: '$argon2id$not-used-by-these-tests', password_changed_at: now,
        must_change_password: false, public_key: kp.publicKey,
        // These tests never sign in with a password: the key goes straight into the session below.
        sealed_private_key: { alg: 'argon2id+xchacha20poly1305', salt: 'unused', nonce: 'unused', ciphertext: 'unused', opslimit: 1, memlimit: 8192 },
        key_version: 1, patient_id: null, created_at: now,
      });
      const sid = newId('ses');
      sessionKeys.put(sid, user.user_id, kp.privateKey, Date.now() + 3_600_000);
      const token = (await tokens.issueUserToken({ user_id: user.user_id, tenant_id: tenantId, role, sid })).access_token;
      return { user, sid, headers: { ...json, authorization: `Bearer ${token}` } };
    },
    async client(tenantId, scopes) {
      const token = (await tokens.issueClientToken({ client_id: newId('cl'), tenant_id: tenantId, scopes })).access_token;
      return { ...json, authorization: `Bearer ${token}` };
    },
    async call(method, path, headers, body) {
      const res = await app.request(path, { method, headers, ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }) });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : null, text };
    },
    async [Symbol.asyncDispose]() {
      await events?.close();
      sessionKeys.clear();
      await store.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
