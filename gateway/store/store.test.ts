import { describe, expect, it, onTestFinished } from 'vitest';
import { randomKey } from '../../core/crypto.js';
import { WardClerkError } from '../../core/errors.js';
import { openStore } from './store.js';
import { tempStore } from './testing/temp-store.js';

async function fixture() {
  const t = await tempStore();
  onTestFinished(() => t[Symbol.asyncDispose]());
  return t;
}

describe('openStore', () => {
  it('refuses a directory another handle holds with STORE_UNAVAILABLE (locked)', async () => {
    const t = await fixture();
    const err = await openStore({ dir: t.dir, masterKey: t.masterKey }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(WardClerkError);
    expect((err as WardClerkError).code).toBe('STORE_UNAVAILABLE');
    expect((err as WardClerkError).details.reason).toBe('locked');
    expect((err as WardClerkError).message).toContain(t.dir);
  });

  it('refuses a different master key, and close() is idempotent', async () => {
    const t = await fixture();
    await t.store.close();
    await t.store.close();
    const err = await openStore({ dir: t.dir, masterKey: randomKey() }).catch((e: unknown) => e);
    expect((err as WardClerkError).code).toBe('STORE_UNAVAILABLE');
    expect((err as WardClerkError).details.reason).toBe('master_key_mismatch');
    await t.reopen(); // the right key still opens it (the failed open released the lock)
  });

  it('supports await using', async () => {
    const t = await fixture();
    await t.store.close();
    {
      await using s = await openStore({ dir: t.dir, masterKey: t.masterKey });
      expect(await s.tenants.list()).toEqual([]);
    }
    await t.reopen(); // the lock was released by dispose
  });
});

describe('store.system', () => {
  it('round-trips operators by normalised email and signing keys, across a reopen', async () => {
    const t = await fixture();
    const op = { id: 'op_1', email: 'Admin@Example.org', password_hash: '$argon2id$v=19$x', created_at: new Date().toISOString() };
    await t.store.system.putOperator(op);
    const sk = {
      kid: 'k1', alg: 'EdDSA' as const, private_jwk: { kty: 'OKP', d: 'secret' }, public_jwk: { kty: 'OKP', x: 'pub' },
      created_at: new Date().toISOString(),
    };
    await t.store.system.putSigningKey(sk);
    const s = await t.reopen();
    expect(await s.system.getOperatorByEmail(' admin@example.org ')).toEqual(op);
    expect(await s.system.getOperatorByEmail('other@example.org')).toBeNull();
    expect(await s.system.listSigningKeys()).toEqual([sk]);
    await s.system.putOperator({ ...op, password_hash: '$argon2id$v=19$y' });
    expect((await s.system.getOperatorByEmail('admin@example.org'))?.password_hash).toBe('$argon2id$v=19$y');
  });
});

describe('store.tenants and store.clients', () => {
  it('creates, gets and lists tenants and their clients', async () => {
    const t = await fixture();
    const a = await t.store.tenants.create({ name: 'St Mary' });
    const b = await t.store.tenants.create({ name: 'Royal Free' });
    expect(a.id).toMatch(/^tn_/);
    const ca = await t.store.clients.create(a.id, { name: 'emr', scopes: ['prescriptions:write'], secret_hash: '$argon2id$h' });
    const cb = await t.store.clients.create(b.id, { name: 'lab', scopes: [], secret_hash: '$argon2id$h2' });
    const s = await t.reopen();
    expect(await s.tenants.get(a.id)).toEqual(a);
    expect(await s.tenants.get('tn_nope')).toBeNull();
    expect(await s.tenants.get('../../etc')).toBeNull();
    expect(await s.tenants.list()).toEqual([a, b]);
    expect(await s.clients.get(ca.client_id)).toEqual(ca);
    expect(ca.tenant_id).toBe(a.id);
    expect(await s.clients.list(a.id)).toEqual([ca]);
    expect(await s.clients.list(b.id)).toEqual([cb]);
    expect(await s.clients.get('cl_missing')).toBeNull();
    await expect(s.clients.create('tn_00000000000000000000000000', { name: 'x', scopes: [], secret_hash: 'h' }))
      .rejects.toMatchObject({ code: 'NOT_FOUND' });
  });
});
