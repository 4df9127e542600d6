import { describe, expect, it, onTestFinished } from 'vitest';
import { newId } from '../../core/crypto.js';
import { tempStore } from './testing/temp-store.js';
import type { UserRecord } from './user-records.js';

function user(email: string, role: UserRecord['role'] = 'doctor'): UserRecord {
  const now = new Date().toISOString();
  return {
    user_id: newId('usr'), tenant_id: 'set-by-repo', email, role, status: 'active', display_name: 'Dr X', password_hash: '$argon2id$fake',
    password_changed_at: now, must_change_password: false, public_key: 'cHVi', key_version: 1, patient_id: null, created_at: now,
    sealed_private_key: { alg: 'argon2id+xchacha20poly1305', salt: 'c2FsdA==', nonce: 'bm9uY2U=', ciphertext: 'Y3Q=', opslimit: 1, memlimit: 8192 },
  };
}

describe('store.users', () => {
  it('creates per tenant with a unique email (EMAIL_TAKEN 409, nothing stored), finds by id and email, after a reopen', async () => {
    const t = await tempStore();
    onTestFinished(() => t[Symbol.asyncDispose]());
    const a = (await t.store.tenants.create({ name: 'A' })).id;
    const b = (await t.store.tenants.create({ name: 'B' })).id;
    const u = await t.store.users.create(a, user('ann@example.org'));
    expect(u.tenant_id).toBe(a);
    const dup = user('ann@example.org', 'nurse');
    await expect(t.store.users.create(a, dup)).rejects.toMatchObject({ code: 'EMAIL_TAKEN', status: 409 });
    expect(await t.store.users.get(a, dup.user_id)).toBeNull();
    expect((await t.store.users.listByRole(a, 'nurse')).items).toEqual([]);
    // Another tenant may have the same email.
    await expect(t.store.users.create(b, user('ann@example.org'))).resolves.toMatchObject({ tenant_id: b });
    const s = await t.reopen();
    expect(await s.users.get(a, u.user_id)).toEqual(u);
    expect(await s.users.getByEmail(a, 'ann@example.org')).toEqual(u);
    expect(await s.users.getByEmail(a, 'nobody@example.org')).toBeNull();
    expect(await s.users.get(b, u.user_id)).toBeNull();
    expect(await s.users.get(a, 'usr_bad')).toBeNull();
  });

  it('lets exactly one of concurrent sign-ups with one email win', async () => {
    const t = await tempStore();
    onTestFinished(() => t[Symbol.asyncDispose]());
    const a = (await t.store.tenants.create({ name: 'A' })).id;
    const results = await Promise.allSettled(Array.from({ length: 6 }, () => t.store.users.create(a, user('same@example.org'))));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect((await t.store.users.listByRole(a, 'doctor')).items).toHaveLength(1);
  });

  it('pages users by role with a cursor, and updates status and the patient link', async () => {
    const t = await tempStore();
    onTestFinished(() => t[Symbol.asyncDispose]());
    const a = (await t.store.tenants.create({ name: 'A' })).id;
    const doctors = [];
    for (let i = 0; i < 5; i++) doctors.push(await t.store.users.create(a, user(`d${i}@example.org`)));
    await t.store.users.create(a, user('p@example.org', 'patient'));
    const p1 = await t.store.users.listByRole(a, 'doctor', { limit: 2 });
    const p2 = await t.store.users.listByRole(a, 'doctor', { limit: 2, cursor: p1.next_cursor! });
    const p3 = await t.store.users.listByRole(a, 'doctor', { limit: 2, cursor: p2.next_cursor! });
    expect([...p1.items, ...p2.items, ...p3.items].map((u) => u.user_id)).toEqual(doctors.map((d) => d.user_id));
    expect(p3.next_cursor).toBeNull();
    await expect(t.store.users.listByRole(a, 'doctor', { cursor: 'x' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(t.store.users.listByRole(a, 'doctor', { limit: 0 })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });

    expect((await t.store.users.setStatus(a, doctors[0]!.user_id, 'disabled'))?.status).toBe('disabled');
    const pt = newId('pt');
    expect((await t.store.users.linkPatient(a, doctors[1]!.user_id, pt))?.patient_id).toBe(pt);
    // The email and role never change through update.
    const changed = await t.store.users.update(a, doctors[2]!.user_id, (rec) => ({ rec: { ...rec, email: 'other@example.org', role: 'tenant_admin', display_name: 'New' } }));
    expect(changed).toMatchObject({ email: 'd2@example.org', role: 'doctor', display_name: 'New' });
    expect(await t.store.users.setStatus(a, newId('usr'), 'disabled')).toBeNull();
  });
});
