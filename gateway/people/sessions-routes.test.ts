/**
 * Sessions on the real store and routes: user login, refresh rotation and reuse detection (the
 * family is revoked), logout, password change (re-seals the same key; the operator's first
 * password too), disabled accounts, and an admin reset that replaces the keypair.
 */
import { describe, expect, it } from 'vitest';
import { openPrivateKey } from '../auth/key-sealing.js';
import { createSignInFixture, OPERATOR_PASSWORD, type SignInFixture } from '../auth/testing/sign-in-fixture.js';

const PASSWORD = 'tulip-Granite-47-orbit';
const NEW_PASSWORD = 'harbour-Lantern-93-quiet';

/** Signs a person up through an operator invitation; returns their tokens and ids. */
async function signUp(f: SignInFixture, tenantId: string, role: string, email: string, password = PASSWORD) {
  const inv = await f.call('POST', `/api/v1/admin/tenants/${tenantId}/invitations`, { role }, await f.operator());
  const r = await f.call('POST', '/api/v1/auth/signup', { email, password, display_name: 'Sam Person', invitation_code: inv.body.data.code });
  expect(r.status).toBe(201);
  return { userId: r.body.data.user.user_id as string, access: r.body.data.access_token as string, refresh: r.body.data.refresh_token as string };
}

const login = (f: SignInFixture, email: string, password: string, extra: Record<string, string> = {}) => f.call('POST', '/api/v1/auth/login', { email, password, ...extra });

describe('user sessions', () => {
  it('logs a user in by email, rotates refresh tokens, and revokes the family when one is reused', async () => {
    await using f = await createSignInFixture();
    const t = await f.tenant();
    const { userId } = await signUp(f, t, 'doctor', 'doc@hospital.example');
    const first = await login(f, '  DOC@Hospital.Example ', PASSWORD);
    expect(first.status).toBe(200);
    expect(first.headers.get('cache-control')).toBe('no-store');
    expect(first.body.data).toMatchObject({ token_type: 'Bearer', expires_in: 900, user: { user_id: userId, role: 'doctor', tenant_id: t, must_change_password: false } });
    const principal = await f.tokens.verify(first.body.data.access_token);
    expect(principal).toMatchObject({ kind: 'user', sub: userId, tenantId: t, role: 'doctor' });
    const sid = (principal as { sid: string }).sid;
    expect(f.sessionKeys.get(sid)?.userId).toBe(userId);

    const r1 = await f.call('POST', '/api/v1/auth/refresh', { refresh_token: first.body.data.refresh_token });
    expect(r1.status).toBe(200);
    expect(r1.body.data.refresh_token).not.toBe(first.body.data.refresh_token);
    expect(((await f.tokens.verify(r1.body.data.access_token)) as { sid: string }).sid).toBe(sid);
    const r2 = await f.call('POST', '/api/v1/auth/refresh', { refresh_token: r1.body.data.refresh_token });
    expect(r2.status).toBe(200);

    // The first token again: a copy exists somewhere, so the whole session ends.
    const reuse = await f.call('POST', '/api/v1/auth/refresh', { refresh_token: first.body.data.refresh_token });
    expect(reuse.status).toBe(401);
    expect(reuse.body.error.code).toBe('REFRESH_TOKEN_REUSED');
    expect(f.sessionKeys.get(sid)).toBeNull();
    const latest = await f.call('POST', '/api/v1/auth/refresh', { refresh_token: r2.body.data.refresh_token });
    expect(latest.status).toBe(401);
    expect(latest.body.error).toMatchObject({ code: 'REFRESH_TOKEN_INVALID', details: { reason: 'revoked' } });
    expect((await f.call('GET', '/api/v1/me', undefined, f.bearer(r2.body.data.access_token))).status).toBe(401);
    expect((await f.store.sessions.get(t, sid))?.revoked_reason).toBe('reuse');

    for (const bad of ['nonsense', `${t}.${'A'.repeat(43)}`]) {
      const r = await f.call('POST', '/api/v1/auth/refresh', { refresh_token: bad });
      expect(r.body.error).toMatchObject({ code: 'REFRESH_TOKEN_INVALID', details: { reason: 'invalid' } });
    }
    // The session's absolute end: refreshing does not extend it.
    const s2 = await login(f, 'doc@hospital.example', PASSWORD);
    f.advance(f.config.refreshTtlSeconds * 1000 + 1);
    expect((await f.call('POST', '/api/v1/auth/refresh', { refresh_token: s2.body.data.refresh_token })).body.error.details.reason).toBe('expired');
  });

  it('answers a wrong password like an unknown email, keeps the operator login, and logs out', async () => {
    await using f = await createSignInFixture();
    const t = await f.tenant();
    await signUp(f, t, 'nurse', 'nurse@hospital.example');
    for (const r of [await login(f, 'nurse@hospital.example', 'wrong-password-here'), await login(f, 'ghost@hospital.example', PASSWORD)]) {
      expect(r.status).toBe(401);
      expect(r.body.error.code).toBe('INVALID_CREDENTIALS');
    }
    const op = await login(f, 'admin', OPERATOR_PASSWORD);
    expect(op.body.data).toEqual({ access_token: expect.any(String), token_type: 'Bearer', expires_in: 3600 });
    expect((await f.tokens.verify(op.body.data.access_token)).kind).toBe('operator');

    const s = await login(f, 'nurse@hospital.example', PASSWORD);
    const auth = f.bearer(s.body.data.access_token);
    const out = await f.call('POST', '/api/v1/auth/logout', undefined, auth);
    expect(out.body.data.revoked).toBe(true);
    expect((await f.call('POST', '/api/v1/auth/refresh', { refresh_token: s.body.data.refresh_token })).body.error.details.reason).toBe('revoked');
    expect((await f.call('GET', '/api/v1/me', undefined, auth)).status).toBe(401);
    expect(f.sessionKeys.size).toBe(1); // only the sign-up's session still holds a key

    // One email in two tenants with one password: the caller must say which tenant.
    const t2 = await f.tenant('Other');
    await signUp(f, t2, 'nurse', 'nurse@hospital.example');
    expect((await login(f, 'nurse@hospital.example', PASSWORD)).body.error.code).toBe('TENANT_REQUIRED');
    expect((await login(f, 'nurse@hospital.example', PASSWORD, { tenant_id: t2 })).body.data.user.tenant_id).toBe(t2);
  });

  it('changes a password: the same key re-sealed (opens with the new password only), other sessions revoked', async () => {
    await using f = await createSignInFixture();
    const t = await f.tenant();
    const { userId, refresh: signupRefresh } = await signUp(f, t, 'patient', 'pat@mail.example');
    const before = (await f.store.users.get(t, userId))!;
    const key = openPrivateKey(before.sealed_private_key, PASSWORD, userId)!;
    const s = await login(f, 'pat@mail.example', PASSWORD);
    const auth = f.bearer(s.body.data.access_token);

    const wrong = await f.call('POST', '/api/v1/auth/password', { current_password: 'not-my-password', new_password: NEW_PASSWORD }, auth);
    expect(wrong.body.error.code).toBe('INVALID_CREDENTIALS');
    const weak = await f.call('POST', '/api/v1/auth/password', { current_password: PASSWORD, new_password: 'password12345' }, auth);
    expect(weak.body.error.code).toBe('WEAK_PASSWORD');
    const huge = await f.call('POST', '/api/v1/auth/password', { current_password: PASSWORD, new_password: 'y'.repeat(10 * 1024) }, auth);
    expect(huge.body.error.code).toBe('PASSWORD_TOO_LONG');
    expect((await f.store.users.get(t, userId))!.password_hash).toBe(before.password_hash);

    const ok = await f.call('POST', '/api/v1/auth/password', { current_password: PASSWORD, new_password: NEW_PASSWORD }, auth);
    expect(ok.status).toBe(200);
    expect(ok.body.data.other_sessions_revoked).toBe(1);
    const after = (await f.store.users.get(t, userId))!;
    expect(after.public_key).toBe(before.public_key);
    expect(after.key_version).toBe(1);
    expect(openPrivateKey(after.sealed_private_key, NEW_PASSWORD, userId)).toEqual(key);
    expect(openPrivateKey(after.sealed_private_key, PASSWORD, userId)).toBeNull();
    expect((await f.call('POST', '/api/v1/auth/refresh', { refresh_token: signupRefresh })).body.error.details.reason).toBe('revoked');
    expect((await f.call('POST', '/api/v1/auth/refresh', { refresh_token: s.body.data.refresh_token })).status).toBe(200);
    expect((await login(f, 'pat@mail.example', PASSWORD)).status).toBe(401);
    expect((await login(f, 'pat@mail.example', NEW_PASSWORD)).status).toBe(200);
  });

  it("changes the operator's password (the current one required)", async () => {
    await using f = await createSignInFixture();
    const op = await f.operator();
    const wrong = await f.call('POST', '/api/v1/auth/password', { current_password: 'not-the-operator-pw', new_password: NEW_PASSWORD }, op);
    expect(wrong.body.error.code).toBe('INVALID_CREDENTIALS');
    const ok = await f.call('POST', '/api/v1/auth/password', { current_password: OPERATOR_PASSWORD, new_password: NEW_PASSWORD }, op);
    expect(ok.status).toBe(200);
    expect((await login(f, 'admin', OPERATOR_PASSWORD)).status).toBe(401);
    expect((await login(f, 'admin', NEW_PASSWORD)).status).toBe(200);
  });

  it('a disabled user can neither log in nor refresh; an admin reset makes a new keypair and says so', async () => {
    await using f = await createSignInFixture();
    const t = await f.tenant();
    const admin = await signUp(f, t, 'tenant_admin', 'boss@hospital.example');
    const doc = await signUp(f, t, 'doctor', 'doc@hospital.example');
    const adminAuth = f.bearer(admin.access);
    const listed = await f.call('GET', '/api/v1/admin/users?role=doctor', undefined, adminAuth);
    expect(listed.body.data.items.map((u: { user_id: string }) => u.user_id)).toEqual([doc.userId]);
    expect(JSON.stringify(listed.body)).not.toMatch(/password_hash|sealed_private_key/);
    expect((await f.call('GET', '/api/v1/admin/users', undefined, f.bearer(doc.access))).status).toBe(403);
    // All roles, one at a time: the cursor walks across roles.
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page = await f.call('GET', `/api/v1/admin/users?limit=1${cursor ? `&cursor=${cursor}` : ''}`, undefined, adminAuth);
      seen.push(...page.body.data.items.map((u: { user_id: string }) => u.user_id));
      cursor = page.body.data.next_cursor;
    } while (cursor);
    expect(seen.sort()).toEqual([admin.userId, doc.userId].sort());
    expect((await f.call('GET', '/api/v1/admin/users?cursor=bogus', undefined, adminAuth)).status).toBe(400);

    expect((await f.call('POST', `/api/v1/admin/users/${doc.userId}/disable`, undefined, adminAuth)).body.data.status).toBe('disabled');
    expect((await login(f, 'doc@hospital.example', PASSWORD)).body.error.code).toBe('ACCOUNT_DISABLED');
    expect((await f.call('POST', '/api/v1/auth/refresh', { refresh_token: doc.refresh })).status).toBe(401);
    expect((await f.call('POST', `/api/v1/admin/users/${admin.userId}/disable`, undefined, adminAuth)).status).toBe(409);
    await f.call('POST', `/api/v1/admin/users/${doc.userId}/enable`, undefined, adminAuth);

    const before = (await f.store.users.get(t, doc.userId))!;
    const reset = await f.call('POST', `/api/v1/admin/users/${doc.userId}/reset-password`, undefined, adminAuth);
    expect(reset.status).toBe(200);
    expect(reset.body.data).toMatchObject({ user_id: doc.userId, must_change_password: true, key_version: 2, previous_messages_readable: false });
    expect(reset.body.data.notice).toMatch(/can no longer be read/);
    const after = (await f.store.users.get(t, doc.userId))!;
    expect(after.public_key).not.toBe(before.public_key);
    expect((await login(f, 'doc@hospital.example', PASSWORD)).status).toBe(401);
    const temp = await login(f, 'doc@hospital.example', reset.body.data.temporary_password);
    expect(temp.body.data.user.must_change_password).toBe(true);
    const changed = await f.call('POST', '/api/v1/auth/password', { current_password: reset.body.data.temporary_password, new_password: NEW_PASSWORD }, f.bearer(temp.body.data.access_token));
    expect(changed.status).toBe(200);
    expect((await f.store.users.get(t, doc.userId))!.must_change_password).toBe(false);
    // The operator may reset too (a tenant whose only admin is locked out).
    const opReset = await f.call('POST', `/api/v1/admin/tenants/${t}/users/${admin.userId}/reset-password`, undefined, await f.operator());
    expect(opReset.body.data.key_version).toBe(2);
    expect(f.logLines.join('\n')).not.toContain(reset.body.data.temporary_password);
  });
});
