import { Writable } from 'node:stream';
import { Level } from 'level';
import { describe, expect, it, onTestFinished } from 'vitest';
import { newId } from '../../core/crypto.js';
import { createLogger } from '../../core/logger.js';
import type { SessionEnded } from '../store/sessions-repo.js';
import { tempStore, type TempStore } from '../store/testing/temp-store.js';
import { startSessionSweep } from './session-sweep.js';

const T0 = new Date('2026-03-01T09:00:00Z');
const at = (seconds: number) => new Date(T0.getTime() + seconds * 1000);

/** Keys of the tenant's table `name` as they lie in LevelDB (the store is closed meanwhile, then reopened). */
async function rawKeys(t: TempStore, tenantId: string, name: string): Promise<number> {
  await t.store.close();
  const db = new Level<string, Buffer>(t.dir, { valueEncoding: 'buffer' });
  await db.open();
  let n = 0;
  for await (const k of db.keys()) if (k.includes(tenantId) && k.includes(`!${name}!`)) n++;
  await db.close();
  await t.reopen();
  return n;
}

async function setup() {
  const t = await tempStore();
  onTestFinished(() => t[Symbol.asyncDispose]());
  const lines: string[] = [];
  const log = createLogger({ level: 'info', role: 'test', destination: new Writable({ write: (c, _e, cb) => (lines.push(String(c)), cb()) }) });
  const ended: SessionEnded[] = [];
  onTestFinished(t.store.sessions.onEnded((e) => ended.push(e)));
  return { t, store: t.store, lines, log, ended };
}

describe('session sweep', () => {
  it('deletes expired sessions (revoked or not) with every refresh digest of theirs, and nothing live', async () => {
    const { t, store, log, ended, lines } = await setup();
    const a = (await store.tenants.create({ name: 'A' })).id;
    const b = (await store.tenants.create({ name: 'B' })).id;
    const user = newId('usr');
    const short = await store.sessions.create(a, user, { now: T0, ttlSeconds: 600 });
    const rotated = await store.sessions.rotate(short.refreshToken, { now: at(60) }); // a second digest for the same session
    if (!rotated.ok) throw new Error('rotate failed');
    const revokedShort = await store.sessions.create(b, user, { now: T0, ttlSeconds: 600 });
    await store.sessions.revoke(b, revokedShort.session.session_id, 'logout');
    const long = await store.sessions.create(a, user, { now: T0, ttlSeconds: 3600 });
    let clock = at(599);
    const sweep = startSessionSweep({ store, log, now: () => clock });
    onTestFinished(() => sweep.close());

    expect(await sweep.runOnce()).toEqual({ sessions: 0, refreshTokens: 0 });
    clock = at(600);
    ended.length = 0;
    expect(await sweep.runOnce()).toEqual({ sessions: 2, refreshTokens: 3 });
    expect(ended.map((e) => [e.sessionId, e.reason]).sort()).toEqual([[short.session.session_id, 'expired'], [revokedShort.session.session_id, 'expired']].sort());
    expect(await store.sessions.get(a, short.session.session_id)).toBeNull();
    expect(await store.sessions.get(b, revokedShort.session.session_id)).toBeNull();
    // The digests are gone: both refresh tokens are now unknown, not merely expired.
    expect(await store.sessions.rotate(short.refreshToken, { now: at(601) })).toMatchObject({ ok: false, reason: 'invalid', session: null });
    expect(await store.sessions.rotate(rotated.refreshToken, { now: at(601) })).toMatchObject({ ok: false, reason: 'invalid', session: null });
    // The live one is untouched, and revoking all of the user's sessions finds only it.
    expect(await store.sessions.isLive(a, long.session.session_id, at(601))).toBe(true);
    expect((await store.sessions.rotate(long.refreshToken, { now: at(601) })).ok).toBe(true);
    expect(await store.sessions.revokeAllForUser(a, user, 'logout')).toEqual([long.session.session_id]);
    expect(lines.join('')).toContain('"event":"sessions.swept"');
    expect(await sweep.runOnce()).toEqual({ sessions: 0, refreshTokens: 0 });
    await sweep.close();
    // On disk: tenant B holds nothing of its swept session; tenant A only the live one and its two digests.
    expect([await rawKeys(t, b, 'sessions'), await rawKeys(t, b, 'sessions-user'), await rawKeys(t, b, 'refresh-tokens')]).toEqual([0, 0, 0]);
    expect([await rawKeys(t, a, 'sessions'), await rawKeys(t, a, 'sessions-user'), await rawKeys(t, a, 'refresh-tokens')]).toEqual([1, 1, 2]);
  });

  it('works through more expired sessions than one batch holds', async () => {
    const { store } = await setup();
    const a = (await store.tenants.create({ name: 'A' })).id;
    for (let i = 0; i < 3; i++) await store.sessions.create(a, newId('usr'), { now: T0, ttlSeconds: 300 });
    expect(await store.sessions.sweepExpired(a, at(300), 2)).toEqual({ sessions: 2, refreshTokens: 2, more: true });
    expect(await store.sessions.sweepExpired(a, at(300), 2)).toEqual({ sessions: 1, refreshTokens: 1, more: false });
  });

  it('runs by itself on its interval and stops on close', async () => {
    const { store, log, lines } = await setup();
    const a = (await store.tenants.create({ name: 'A' })).id;
    const s = await store.sessions.create(a, newId('usr'), { now: T0, ttlSeconds: 300 });
    const sweep = startSessionSweep({ store, log, now: () => at(300), intervalMs: 20 });
    const deadline = Date.now() + 10_000;
    while ((await store.sessions.get(a, s.session.session_id)) !== null) {
      if (Date.now() > deadline) throw new Error('the sweep never ran');
      await new Promise((r) => setTimeout(r, 10));
    }
    await sweep.close();
    const later = await store.sessions.create(a, newId('usr'), { now: T0, ttlSeconds: 300 });
    await new Promise((r) => setTimeout(r, 100)); // five intervals: a running timer would have swept it
    expect(await store.sessions.get(a, later.session.session_id)).not.toBeNull();
    expect(lines.filter((l) => l.includes('sessions.swept'))).toHaveLength(1);
  });
});
