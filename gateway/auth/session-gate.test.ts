import { describe, expect, it, onTestFinished } from 'vitest';
import { newId } from '../../core/crypto.js';
import { WardClerkError } from '../../core/errors.js';
import type { UserRole } from '../http/app-env.js';
import type { Store } from '../store/store.js';
import { tempStore } from '../store/testing/temp-store.js';
import { SessionGate, type SessionGateStore, type UserPrincipal } from './session-gate.js';

const T0 = Date.parse('2026-03-01T09:00:00Z');

async function setup() {
  const t = await tempStore();
  onTestFinished(() => t[Symbol.asyncDispose]());
  const store = t.store;
  const tenantId = (await store.tenants.create({ name: 'Gate clinic' })).id;
  let clock = T0;
  // The real repos, with their reads counted (to see what the cache saves).
  let reads = 0;
  const counted: SessionGateStore = {
    sessions: { get: (tid, sid) => (reads++, store.sessions.get(tid, sid)), onEnded: (l) => store.sessions.onEnded(l) },
    users: { get: (tid, uid) => (reads++, store.users.get(tid, uid)), onChanged: (l) => store.users.onChanged(l) },
  };
  const gate = new SessionGate(counted, { now: () => clock, ttlMs: 60_000 });
  onTestFinished(() => gate.close());
  return {
    store, tenantId, gate,
    reads: () => reads,
    advance(ms: number) { clock += ms; },
    async person(role: UserRole = 'patient', ttlSeconds = 3600): Promise<UserPrincipal> {
      const user = await createUser(store, tenantId, role);
      const { session } = await store.sessions.create(tenantId, user, { now: new Date(clock), ttlSeconds });
      return { kind: 'user', sub: user, tenantId, role, sid: session.session_id, scopes: [] };
    },
  };
}

async function createUser(store: Store, tenantId: string, role: UserRole): Promise<string> {
  const now = new Date(T0).toISOString();
  const user = await store.users.create(tenantId, {
    user_id: newId('usr'), tenant_id: tenantId, email: `${newId('e').toLowerCase()}@example.test`, role, status: 'active', display_name: 'Gate test',
    password_hash: '$argon2id$not-used-by-these-tests', password_changed_at: now, must_change_password: false, public_key: 'AAAA',
    sealed_private_key: { alg: 'argon2id+xchacha20poly1305', salt: 'unused', nonce: 'unused', ciphertext: 'unused', opslimit: 1, memlimit: 8192 },
    key_version: 1, patient_id: null, created_at: now,
  });
  return user.user_id;
}

async function refusal(p: Promise<unknown>): Promise<{ code: string; reason: unknown }> {
  const err = await p.then(() => null, (e: unknown) => e);
  if (!(err instanceof WardClerkError)) throw new Error('expected a coded refusal');
  return { code: err.code, reason: err.details.reason };
}

describe('SessionGate', () => {
  it('admits a live session from its cache, and refuses it on the very next check once revoked', async () => {
    const s = await setup();
    const p = await s.person();
    const ended: string[] = [];
    s.gate.onEnded((e) => ended.push(`${e.sessionId}:${e.reason}`));
    expect(await s.gate.admit(p)).toEqual({ mustChangePassword: false });
    const afterFirst = s.reads();
    expect(await s.gate.admit(p)).toEqual({ mustChangePassword: false });
    expect(s.reads()).toBe(afterFirst); // served from the cache

    await s.store.sessions.revoke(p.tenantId, p.sid, 'logout');
    expect(ended).toEqual([`${p.sid}:logout`]);
    expect(await refusal(s.gate.admit(p))).toEqual({ code: 'SESSION_REVOKED', reason: 'logout' });
    const afterRefusal = s.reads();
    expect(await refusal(s.gate.admit(p))).toEqual({ code: 'SESSION_REVOKED', reason: 'logout' });
    expect(s.reads()).toBe(afterRefusal); // an ended session is cached as ended
  });

  it('sees a user change at once: must_change_password set and cleared, account disabled', async () => {
    const s = await setup();
    const p = await s.person('doctor');
    await s.gate.admit(p);
    await s.store.users.update(p.tenantId, p.sub, (u) => ({ rec: { ...u, must_change_password: true } }));
    expect(await s.gate.admit(p)).toEqual({ mustChangePassword: true });
    await s.store.users.update(p.tenantId, p.sub, (u) => ({ rec: { ...u, must_change_password: false } }));
    expect(await s.gate.admit(p)).toEqual({ mustChangePassword: false });
    await s.store.users.setStatus(p.tenantId, p.sub, 'disabled');
    expect(await refusal(s.gate.admit(p))).toEqual({ code: 'SESSION_REVOKED', reason: 'account_disabled' });
  });

  it("refuses an expired session, an unknown one, and one presented with another user's id", async () => {
    const s = await setup();
    const p = await s.person('nurse', 600);
    await s.gate.admit(p);
    s.advance(600_000);
    expect(await refusal(s.gate.admit(p))).toEqual({ code: 'SESSION_REVOKED', reason: 'expired' });
    expect(await refusal(s.gate.admit({ ...p, sid: newId('ses') }))).toEqual({ code: 'SESSION_REVOKED', reason: 'unknown_session' });
    const q = await s.person('nurse');
    const other = await createUser(s.store, s.tenantId, 'nurse');
    expect(await refusal(s.gate.admit({ ...q, sub: other }))).toEqual({ code: 'SESSION_REVOKED', reason: 'unknown_session' });
    expect(await s.gate.admit(q)).toEqual({ mustChangePassword: false });
  });

  it('revoking every session but one (a password change) ends the others only', async () => {
    const s = await setup();
    const a = await s.person();
    const b = { ...a, sid: (await s.store.sessions.create(a.tenantId, a.sub, { now: new Date(T0), ttlSeconds: 3600 })).session.session_id };
    await Promise.all([s.gate.admit(a), s.gate.admit(b)]);
    await s.store.sessions.revokeAllForUser(a.tenantId, a.sub, 'password_change', b.sid);
    expect(await refusal(s.gate.admit(a))).toEqual({ code: 'SESSION_REVOKED', reason: 'password_change' });
    expect(await s.gate.admit(b)).toEqual({ mustChangePassword: false });
  });
});
