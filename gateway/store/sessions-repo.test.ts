import { Level } from 'level';
import { describe, expect, it, onTestFinished } from 'vitest';
import { newId } from '../../core/crypto.js';
import { refreshTokenTenant } from './sessions-repo.js';
import { tempStore } from './testing/temp-store.js';

const now = new Date('2026-03-01T09:00:00Z');

describe('store.sessions', () => {
  it('rotates a refresh token once; concurrent use of one token revokes the family', async () => {
    const t = await tempStore();
    onTestFinished(() => t[Symbol.asyncDispose]());
    const a = (await t.store.tenants.create({ name: 'A' })).id;
    const user = newId('usr');
    const { session, refreshToken } = await t.store.sessions.create(a, user, { now, ttlSeconds: 3600 });
    expect(refreshTokenTenant(refreshToken)).toBe(a);
    const results = await Promise.all([0, 1, 2].map(() => t.store.sessions.rotate(refreshToken, { now })));
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok).map((r) => !r.ok && r.reason)).toContain('reused');
    const s = await t.reopen();
    expect(await s.sessions.get(a, session.session_id)).toMatchObject({ status: 'revoked', revoked_reason: 'reuse' });
    const fresh = results.find((r) => r.ok);
    expect(fresh?.ok && (await s.sessions.rotate(fresh.refreshToken, { now }))).toMatchObject({ ok: false, reason: 'revoked' });
  });

  it('stores only digests of refresh tokens, and revokes all of a user’s sessions but one', async () => {
    const t = await tempStore();
    onTestFinished(() => t[Symbol.asyncDispose]());
    const a = (await t.store.tenants.create({ name: 'A' })).id;
    const user = newId('usr');
    const other = newId('usr');
    const s1 = await t.store.sessions.create(a, user, { now, ttlSeconds: 3600 });
    const s2 = await t.store.sessions.create(a, user, { now, ttlSeconds: 3600 });
    const s3 = await t.store.sessions.create(a, other, { now, ttlSeconds: 3600 });
    expect(await t.store.sessions.revokeAllForUser(a, user, 'password_change', s2.session.session_id)).toEqual([s1.session.session_id]);
    expect(await t.store.sessions.isLive(a, s1.session.session_id, now)).toBe(false);
    expect(await t.store.sessions.isLive(a, s2.session.session_id, now)).toBe(true);
    expect(await t.store.sessions.isLive(a, s3.session.session_id, now)).toBe(true);
    expect(await t.store.sessions.isLive(a, s2.session.session_id, new Date(now.getTime() + 3_600_000))).toBe(false);
    await t.store.close();
    const db = new Level<string, Buffer>(t.dir, { valueEncoding: 'buffer' });
    await db.open();
    const secret = s2.refreshToken.split('.')[1]!;
    for await (const [k, v] of db.iterator()) {
      expect(k).not.toContain(secret);
      expect(v.toString('latin1')).not.toContain(secret);
    }
    await db.close();
    await t.reopen();
  });
});
