import { describe, expect, it, onTestFinished } from 'vitest';
import { newId } from '../../core/crypto.js';
import { invitationTenant } from './invitations-repo.js';
import { tempStore } from './testing/temp-store.js';

const now = new Date('2026-03-01T09:00:00Z');

describe('store.invitations', () => {
  it('redeems a code once (also under concurrency), never after it expires, and only in its tenant', async () => {
    const t = await tempStore();
    onTestFinished(() => t[Symbol.asyncDispose]());
    const a = (await t.store.tenants.create({ name: 'A' })).id;
    const b = (await t.store.tenants.create({ name: 'B' })).id;
    const { code, invitation } = await t.store.invitations.create(a, { role: 'doctor', created_by: 'op', now, ttlSeconds: 600 });
    expect(invitationTenant(code)).toBe(a);
    expect(invitation).toMatchObject({ role: 'doctor', used_at: null, patient_id: null });
    await expect(t.store.invitations.redeem(b, code, now, async () => 'x')).rejects.toMatchObject({ code: 'INVITATION_INVALID', details: { reason: 'unknown' } });
    // A use that fails stores nothing: the code stays valid.
    await expect(t.store.invitations.redeem(a, code, now, async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    const results = await Promise.allSettled([0, 1, 2].map(() =>
      t.store.invitations.redeem(a, code, now, async (_inv, consume) => {
        await t.store.users.create(a, userRecord(), (u) => consume(u.user_id));
        return 'ok';
      }),
    ));
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.details.reason)).toEqual(['used', 'used']);

    const late = await t.store.invitations.create(a, { role: 'nurse', created_by: 'op', now, ttlSeconds: 600 });
    await expect(t.store.invitations.redeem(a, late.code, new Date(now.getTime() + 600_000), async () => 'x'))
      .rejects.toMatchObject({ details: { reason: 'expired' } });
  });
});

let n = 0;
function userRecord() {
  const at = now.toISOString();
  return {
    user_id: newId('usr'), tenant_id: '', email: `u${n++}@example.org`, role: 'doctor' as const, status: 'active' as const, display_name: 'D',
    password_hash: '$argon2id$fake', password_changed_at: at, must_change_password: false, public_key: 'cHVi', key_version: 1, patient_id: null, created_at: at,
    sealed_private_key: { alg: 'argon2id+xchacha20poly1305' as const, salt: 'cw==', nonce: 'bg==', ciphertext: 'Yw==', opslimit: 1, memlimit: 8192 },
  };
}
