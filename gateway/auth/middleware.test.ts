import { OpenAPIHono } from '@hono/zod-openapi';
import { describe, expect, it } from 'vitest';
import { newId } from '../../core/crypto.js';
import { WardClerkError, isWardClerkError } from '../../core/errors.js';
import type { AppEnv } from '../http/app-env.js';
import { bearerToken, requireAuth, requireClient, requireOperator, requireUser } from './middleware.js';
import { SessionGate, withSessionGate } from './session-gate.js';
import { createAuthFixture } from './testing/auth-fixture.js';
import type { TokenService } from './token-service.js';

function appWith(tokens: TokenService) {
  const app = new OpenAPIHono<AppEnv>();
  app.onError((err, c) => {
    const e = isWardClerkError(err) ? err : new WardClerkError('INTERNAL', 'Internal error');
    return c.json({ code: e.code }, e.status as 400);
  });
  app.use('/x/*', requireAuth(tokens));
  app.get('/x/any', (c) => c.json(c.get('principal')));
  app.get('/x/op', requireOperator(), (c) => c.json({ ok: true }));
  app.get('/x/client', requireClient(), (c) => c.json({ ok: true }));
  app.get('/x/jobs', requireClient('jobs:read'), (c) => c.json({ ok: true }));
  app.get('/unguarded-op', requireOperator(), (c) => c.json({ ok: true }));
  return app;
}

describe('auth middleware', () => {
  it('parses only Bearer headers', () => {
    expect(bearerToken('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(bearerToken('bearer   abc')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeNull();
    expect(bearerToken('Bearer')).toBeNull();
    expect(bearerToken('Bearer a b')).toBeNull();
    expect(bearerToken(undefined)).toBeNull();
  });

  it('no header → 401 UNAUTHENTICATED with a Bearer challenge; a bad token → 401 INVALID_TOKEN', async () => {
    await using f = await createAuthFixture();
    const app = appWith(f.tokens);
    const none = await app.request('/x/any');
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({ code: 'UNAUTHENTICATED' });
    expect(none.headers.get('www-authenticate')).toBe('Bearer');

    const bad = await app.request('/x/any', { headers: { authorization: 'Bearer not.a.token' } });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toEqual({ code: 'INVALID_TOKEN' });
    expect(bad.headers.get('www-authenticate')).toContain('invalid_token');

    const basic = await app.request('/x/any', { headers: { authorization: 'Basic Zm9vOmJhcg==' } });
    expect(basic.status).toBe(401);

    // A role check without requireAuth before it still refuses (never treats "no principal" as allowed).
    expect((await app.request('/unguarded-op')).status).toBe(401);
  });

  it('sets the principal and gates by role and scope', async () => {
    await using f = await createAuthFixture();
    const app = appWith(f.tokens);
    const op = { authorization: `Bearer ${(await f.tokens.issueOperatorToken('op_1')).access_token}` };
    const reader = { authorization: `Bearer ${(await f.tokens.issueClientToken({ client_id: 'cl_1', tenant_id: 'tn_1', scopes: ['jobs:read'] })).access_token}` };
    const writer = { authorization: `Bearer ${(await f.tokens.issueClientToken({ client_id: 'cl_2', tenant_id: 'tn_1', scopes: ['prescriptions:write'] })).access_token}` };

    expect(await (await app.request('/x/any', { headers: reader })).json()).toEqual({ kind: 'client', sub: 'cl_1', tenantId: 'tn_1', scopes: ['jobs:read'] });
    expect((await app.request('/x/op', { headers: op })).status).toBe(200);
    expect((await app.request('/x/op', { headers: reader })).status).toBe(403);
    expect((await app.request('/x/client', { headers: op })).status).toBe(403);
    expect((await app.request('/x/client', { headers: writer })).status).toBe(200);
    expect((await app.request('/x/jobs', { headers: reader })).status).toBe(200);
    const denied = await app.request('/x/jobs', { headers: writer });
    expect(denied.status).toBe(403);
    expect(await denied.json()).toEqual({ code: 'FORBIDDEN' });
  });

  it("through the session gate: a person's ended session → 401 SESSION_REVOKED, a pending password change → 403 except where allowed", async () => {
    await using f = await createAuthFixture();
    const gate = new SessionGate(f.store);
    const tokens = withSessionGate(f.tokens, gate);
    const app = appWith(tokens);
    app.use('/pending-ok/*', requireAuth(tokens, { allowPasswordChangePending: true }));
    app.get('/pending-ok/me', (c) => c.json({ ok: true }));
    app.get('/x/doctor', requireUser('doctor'), (c) => c.json({ ok: true }));

    const tenantId = (await f.store.tenants.create({ name: 'Gate' })).id;
    const at = new Date().toISOString();
    const user = await f.store.users.create(tenantId, {
      user_id: newId('usr'), tenant_id: tenantId, email: 'dr@example.test', role: 'doctor', status: 'active', display_name: 'Dr', password_hash: '$argon2id$unused',
      password_changed_at: at, must_change_password: true, public_key: 'AAAA', key_version: 1, patient_id: null, created_at: at,
      sealed_private_key: { alg: 'argon2id+xchacha20poly1305', salt: 'unused', nonce: 'unused', ciphertext: 'unused', opslimit: 1, memlimit: 8192 },
    });
    const { session } = await f.store.sessions.create(tenantId, user.user_id, { now: new Date(), ttlSeconds: 3600 });
    const token = await f.tokens.issueUserToken({ user_id: user.user_id, tenant_id: tenantId, role: 'doctor', sid: session.session_id });
    const headers = { authorization: `Bearer ${token.access_token}` };

    for (const path of ['/x/any', '/x/doctor']) {
      const r = await app.request(path, { headers });
      expect([r.status, await r.json()]).toEqual([403, { code: 'PASSWORD_CHANGE_REQUIRED' }]);
    }
    expect((await app.request('/pending-ok/me', { headers })).status).toBe(200);
    await f.store.users.update(tenantId, user.user_id, (u) => ({ rec: { ...u, must_change_password: false } }));
    expect((await app.request('/x/doctor', { headers })).status).toBe(200);

    await f.store.sessions.revoke(tenantId, session.session_id, 'logout');
    for (const path of ['/x/any', '/x/doctor', '/pending-ok/me']) {
      const r = await app.request(path, { headers });
      expect([r.status, await r.json()]).toEqual([401, { code: 'SESSION_REVOKED' }]);
      expect(r.headers.get('www-authenticate')).toContain('invalid_token');
    }
    // Operator and client tokens do not pass through the gate's store lookups.
    const op = { authorization: `Bearer ${(await f.tokens.issueOperatorToken('op_1')).access_token}` };
    expect((await app.request('/x/op', { headers: op })).status).toBe(200);
    gate.close();
  });
});
