/**
 * Sign-up and invitations on the real store and routes: the operator invites a tenant's first
 * admin, the admin invites staff and opens or closes patient sign-up; weak, common and 10 kB
 * passwords, duplicate emails, expired and reused codes are coded 4xx that store nothing.
 */
import { describe, expect, it } from 'vitest';
import { createSignInFixture, type SignInFixture } from '../auth/testing/sign-in-fixture.js';

const PASSWORD = 'tulip-Granite-47-orbit';

async function firstAdmin(f: SignInFixture) {
  const tenantId = await f.tenant();
  const inv = await f.call('POST', `/api/v1/admin/tenants/${tenantId}/invitations`, { role: 'tenant_admin' }, await f.operator());
  expect(inv.status).toBe(201);
  expect(inv.body.data).toMatchObject({ tenant_id: tenantId, role: 'tenant_admin', patient_id: null });
  const signed = await f.call('POST', '/api/v1/auth/signup', { email: 'Admin@Hospital.example', password: PASSWORD, display_name: 'Ada Admin', invitation_code: inv.body.data.code });
  expect(signed.status).toBe(201);
  expect(signed.body.data.user).toMatchObject({ role: 'tenant_admin', tenant_id: tenantId, must_change_password: false });
  return { tenantId, admin: f.bearer(signed.body.data.access_token) };
}

/** How many users the tenant has, of every role. */
async function userCount(f: SignInFixture, tenantId: string): Promise<number> {
  let n = 0;
  for (const role of ['patient', 'doctor', 'nurse', 'tenant_admin'] as const) n += (await f.store.users.listByRole(tenantId, role)).items.length;
  return n;
}

describe('POST /api/v1/auth/signup', () => {
  it('signs up staff by invitation only; a code is single use and names tenant and role', async () => {
    await using f = await createSignInFixture();
    const { tenantId, admin } = await firstAdmin(f);
    const inv = await f.call('POST', '/api/v1/admin/invitations', { role: 'doctor' }, admin);
    expect(inv.status).toBe(201);
    const code = inv.body.data.code as string;
    expect(code.startsWith(`${tenantId}.`)).toBe(true);
    const body = { email: 'dr.who@hospital.example', password: PASSWORD, display_name: 'Dr Who', invitation_code: code };
    const ok = await f.call('POST', '/api/v1/auth/signup', body);
    expect(ok.status).toBe(201);
    expect(ok.body.data).toMatchObject({ token_type: 'Bearer', expires_in: 900, user: { role: 'doctor', tenant_id: tenantId } });
    expect(ok.body.data.refresh_token).toEqual(expect.any(String));
    const me = await f.call('GET', '/api/v1/me', undefined, f.bearer(ok.body.data.access_token));
    expect(me.body.data).toMatchObject({ kind: 'user', role: 'doctor', email: 'dr.who@hospital.example', key_version: 1, private_key_available: true });

    const reused = await f.call('POST', '/api/v1/auth/signup', { ...body, email: 'someone.else@hospital.example' });
    expect(reused.status).toBe(400);
    expect(reused.body.error).toMatchObject({ code: 'INVITATION_INVALID', details: { reason: 'used' } });
    const bogus = await f.call('POST', '/api/v1/auth/signup', { ...body, email: 'x@hospital.example', invitation_code: `${tenantId}.${'A'.repeat(32)}` });
    expect(bogus.body.error).toMatchObject({ code: 'INVITATION_INVALID', details: { reason: 'unknown' } });
    expect(await userCount(f, tenantId)).toBe(2);

    // Only a tenant admin (or the operator, for a named tenant) invites.
    expect((await f.call('POST', '/api/v1/admin/invitations', { role: 'doctor' }, f.bearer(ok.body.data.access_token))).status).toBe(403);
    expect((await f.call('POST', '/api/v1/admin/invitations', { role: 'doctor' }, await f.operator())).status).toBe(403);
    expect((await f.call('POST', `/api/v1/admin/tenants/${tenantId}/invitations`, { role: 'doctor' }, admin)).status).toBe(403);
  });

  it('refuses an expired code, and a code whose account failed, stays usable', async () => {
    await using f = await createSignInFixture();
    const { tenantId, admin } = await firstAdmin(f);
    const code = (await f.call('POST', '/api/v1/admin/invitations', { role: 'nurse' }, admin)).body.data.code as string;
    const weak = await f.call('POST', '/api/v1/auth/signup', { email: 'n@hospital.example', password: 'password1234', display_name: 'N', invitation_code: code });
    expect(weak.body.error).toMatchObject({ code: 'WEAK_PASSWORD', details: { reason: 'common' } });
    const dup = await f.call('POST', '/api/v1/auth/signup', { email: 'ADMIN@hospital.example', password: PASSWORD, display_name: 'N', invitation_code: code });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('EMAIL_TAKEN');
    expect(await userCount(f, tenantId)).toBe(1);

    f.advance(f.config.invitationTtlSeconds * 1000 + 1);
    const late = await f.call('POST', '/api/v1/auth/signup', { email: 'n@hospital.example', password: PASSWORD, display_name: 'N', invitation_code: code });
    expect(late.status).toBe(400);
    expect(late.body.error).toMatchObject({ code: 'INVITATION_INVALID', details: { reason: 'expired' } });
    expect(await userCount(f, tenantId)).toBe(1);
  });

  it('lets patients self-register only where the tenant opened sign-up, with a Patient record', async () => {
    await using f = await createSignInFixture();
    const { tenantId, admin } = await firstAdmin(f);
    const body = { email: 'pat@mail.example', password: PASSWORD, display_name: 'Pat Jones', tenant_id: tenantId, time_zone: 'Europe/Berlin' };
    expect((await f.call('GET', '/api/v1/admin/settings/people', undefined, admin)).body.data).toEqual({ signup: 'invitation' });
    const closed = await f.call('POST', '/api/v1/auth/signup', body);
    expect(closed.status).toBe(403);
    expect(closed.body.error.code).toBe('SIGNUP_CLOSED');
    const unknownTenant = await f.call('POST', '/api/v1/auth/signup', { ...body, tenant_id: 'tn_00000000000000000000000000' });
    expect(unknownTenant.body.error.code).toBe('SIGNUP_CLOSED');

    expect((await f.call('PUT', '/api/v1/admin/settings/people', { signup: 'open' }, admin)).status).toBe(200);
    expect((await f.call('PUT', '/api/v1/admin/settings/people', { signup: 'sometimes' }, admin)).status).toBe(400);
    const badZone = await f.call('POST', '/api/v1/auth/signup', { ...body, time_zone: 'Mars/Olympus' });
    expect(badZone.body.error.code).toBe('INVALID_TIME_ZONE');
    expect(await userCount(f, tenantId)).toBe(1);

    const ok = await f.call('POST', '/api/v1/auth/signup', body);
    expect(ok.status).toBe(201);
    expect(ok.body.data.user.role).toBe('patient');
    const user = await f.store.users.get(tenantId, ok.body.data.user.user_id);
    const patient = await f.store.patients.findByUser(tenantId, user!.user_id);
    expect(patient).toMatchObject({ user_id: user!.user_id, time_zone: 'Europe/Berlin', name: { family: 'Jones', given: ['Pat'] } });
    expect(user!.patient_id).toBe(patient!.patient_id);
    // Staff are never self-registered: without a code the role is always patient, and the body cannot name one.
    const asDoctor = await f.call('POST', '/api/v1/auth/signup', { ...body, email: 'doc@mail.example', role: 'doctor' });
    expect(asDoctor.body.data.user.role).toBe('patient');
  });

  it('answers weak, common, patterned and 10 kB passwords with coded 400s and stores nothing', async () => {
    await using f = await createSignInFixture();
    const { tenantId, admin } = await firstAdmin(f);
    await f.call('PUT', '/api/v1/admin/settings/people', { signup: 'open' }, admin);
    const cases: Array<[string, string, string | undefined]> = [
      ['short-pw-1', 'WEAK_PASSWORD', 'too_short'],
      ['Password2024!', 'WEAK_PASSWORD', 'common'],
      ['qwertyuiop123', 'WEAK_PASSWORD', 'common'],
      ['zzzzzzzzzzzzzzzz', 'WEAK_PASSWORD', 'repetitive'],
      ['x'.repeat(10 * 1024), 'PASSWORD_TOO_LONG', undefined],
    ];
    for (const [password, code, reason] of cases) {
      const r = await f.call('POST', '/api/v1/auth/signup', { email: 'p@mail.example', password, display_name: 'P Q', tenant_id: tenantId });
      expect(r.status).toBe(400);
      expect(r.body.error.code).toBe(code);
      if (reason) expect(r.body.error.details.reason).toBe(reason);
      expect(r.text).not.toContain(password);
    }
    for (const bad of [{ email: 'not-an-email', password: PASSWORD, display_name: 'P', tenant_id: tenantId }, { email: 'p@mail.example', password: PASSWORD, tenant_id: tenantId }, '{"email":']) {
      const r = await f.call('POST', '/api/v1/auth/signup', bad);
      expect(r.status).toBe(400);
      expect(['VALIDATION_FAILED', 'INVALID_JSON']).toContain(r.body.error.code);
    }
    expect(await userCount(f, tenantId)).toBe(1);
    const lines = f.logLines.join('\n');
    expect(lines).not.toContain('p@mail.example');
    expect(lines).not.toContain(PASSWORD);
    expect(lines).not.toMatch(/admin@hospital/i);
  });

  it('links a patient invitation to an existing Patient record', async () => {
    await using f = await createSignInFixture();
    const { tenantId, admin } = await firstAdmin(f);
    const patient = await f.store.patients.create(tenantId, { name: { family: 'Okafor', given: ['Ngozi'] }, time_zone: 'Africa/Lagos', birth_date: null }, { userId: null, createdBy: 'test' });
    const inv = await f.call('POST', '/api/v1/admin/invitations', { role: 'patient', patient_id: patient.patient_id }, admin);
    expect(inv.status).toBe(201);
    expect((await f.call('POST', '/api/v1/admin/invitations', { role: 'doctor', patient_id: patient.patient_id }, admin)).status).toBe(400);
    expect((await f.call('POST', '/api/v1/admin/invitations', { role: 'patient', patient_id: 'pt_00000000000000000000000000' }, admin)).status).toBe(404);
    const ok = await f.call('POST', '/api/v1/auth/signup', { email: 'ngozi@mail.example', password: PASSWORD, display_name: 'Ngozi O', invitation_code: inv.body.data.code });
    expect(ok.status).toBe(201);
    expect((await f.store.patients.get(tenantId, patient.patient_id))?.user_id).toBe(ok.body.data.user.user_id);
    expect((await f.call('POST', '/api/v1/admin/invitations', { role: 'patient', patient_id: patient.patient_id }, admin)).status).toBe(409);
  });

  it('documents the sign-in routes in OpenAPI, including that a reset makes old messages unreadable', async () => {
    await using f = await createSignInFixture();
    const doc = f.app.getOpenAPI31Document({ openapi: '3.1.0', info: { title: 't', version: '1' } });
    for (const path of ['/api/v1/auth/signup', '/api/v1/auth/refresh', '/api/v1/auth/logout', '/api/v1/auth/password', '/api/v1/me', '/api/v1/admin/invitations',
      '/api/v1/admin/tenants/{id}/invitations', '/api/v1/admin/settings/people', '/api/v1/admin/users', '/api/v1/admin/users/{id}/reset-password']) {
      expect(doc.paths?.[path], path).toBeDefined();
    }
    expect(doc.paths?.['/api/v1/admin/users/{id}/reset-password']?.post?.description).toMatch(/unreadable/);
    expect(JSON.stringify(doc.components?.schemas?.['PasswordReset'])).toContain('previous_messages_readable');
  });
});
