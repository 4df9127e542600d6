/**
 * Rate limits of sign-in (issue 8) on the real routes, limiter and data dir: login, sign-up,
 * refresh and password change answer 429 with Retry-After per IP and per account; a lockout of a
 * tenant's user publishes `auth.lockout` (ids only); the blocks survive a gateway restart; no
 * email or password reaches a log line.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createSignInFixture, type SignInFixture } from '../auth/testing/sign-in-fixture.js';

const PASSWORD = 'tulip-Granite-47-orbit';

async function doctor(f: SignInFixture) {
  const t = await f.tenant();
  const inv = await f.call('POST', `/api/v1/admin/tenants/${t}/invitations`, { role: 'doctor' }, await f.operator());
  const r = await f.call('POST', '/api/v1/auth/signup', { email: 'doc@hospital.example', password: PASSWORD, display_name: 'Dr D', invitation_code: inv.body.data.code });
  return { tenantId: t, userId: r.body.data.user.user_id as string, access: r.body.data.access_token as string };
}

/** Polls (with a deadline) until the limiter has saved at least one entry under the data dir. */
async function savedEntries(f: SignInFixture): Promise<number> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const text = await readFile(join(f.dir, 'auth-throttle.json'), 'utf8').catch(() => '');
    const n = text ? (JSON.parse(text) as { entries: unknown[] }).entries.length : 0;
    if (n > 0 || Date.now() > deadline) return n;
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('sign-in rate limits', () => {
  it('blocks a guessed user login with 429 + Retry-After, publishes auth.lockout, and keeps the block across a restart', async () => {
    await using f = await createSignInFixture();
    const { tenantId, userId } = await doctor(f);
    const guess = () => f.call('POST', '/api/v1/auth/login', { email: 'doc@hospital.example', password: 'wrong-guess-1234' });
    for (let i = 0; i < 5; i++) expect((await guess()).status).toBe(401);
    const blocked = await f.call('POST', '/api/v1/auth/login', { email: 'doc@hospital.example', password: PASSWORD });
    expect(blocked.status).toBe(429);
    expect(blocked.body.error.code).toBe('RATE_LIMITED');
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    const lockouts = f.events.filter((e) => e.type === 'auth.lockout');
    expect(lockouts.length).toBeGreaterThan(0);
    expect(lockouts[0]).toMatchObject({ tenantId, data: { kind: 'login', user_id: userId } });
    expect(JSON.stringify(lockouts)).not.toContain('doc@hospital');

    expect(await savedEntries(f)).toBeGreaterThan(0);
    await f.reopen();
    const after = await f.call('POST', '/api/v1/auth/login', { email: 'doc@hospital.example', password: PASSWORD });
    expect(after.status).toBe(429);
    expect(Number(after.headers.get('retry-after'))).toBeGreaterThan(0);
    // Once the block has passed, the right password works.
    f.advance(60 * 60_000);
    expect((await f.call('POST', '/api/v1/auth/login', { email: 'doc@hospital.example', password: PASSWORD })).status).toBe(200);
    const lines = f.logLines.join('\n');
    expect(lines).toContain('auth.lockout');
    expect(lines).not.toContain('doc@hospital');
    expect(lines).not.toContain(PASSWORD);
  });

  it('limits sign-ups per IP, counting every attempt, without touching logins', async () => {
    await using f = await createSignInFixture();
    const t = await f.tenant();
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) {
      statuses.push((await f.call('POST', '/api/v1/auth/signup', { email: `p${i}@mail.example`, password: 'short', display_name: 'P', tenant_id: t })).status);
    }
    expect(statuses.slice(0, 10).every((s) => s === 400)).toBe(true);
    const limited = await f.call('POST', '/api/v1/auth/signup', { email: 'late@mail.example', password: PASSWORD, display_name: 'P', tenant_id: t });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await f.call('POST', '/api/v1/auth/login', { email: 'admin', password: 'operator-password-for-tests' })).status).toBe(200);
  });

  it('limits bad refresh tokens per IP and wrong current passwords per account', async () => {
    await using f = await createSignInFixture();
    const { access } = await doctor(f);
    for (let i = 0; i < 10; i++) expect((await f.call('POST', '/api/v1/auth/refresh', { refresh_token: `guess-${i}` })).status).toBe(401);
    const refreshBlocked = await f.call('POST', '/api/v1/auth/refresh', { refresh_token: 'guess-11' });
    expect(refreshBlocked.status).toBe(429);
    expect(refreshBlocked.headers.get('retry-after')).toMatch(/^\d+$/);

    const change = (current: string) => f.call('POST', '/api/v1/auth/password', { current_password: current, new_password: 'harbour-Lantern-93-quiet' }, f.bearer(access));
    for (let i = 0; i < 5; i++) expect((await change(`not-it-${i}-xxxxxx`)).status).toBe(401);
    const blocked = await change(PASSWORD);
    expect(blocked.status).toBe(429);
    expect(f.events.some((e) => e.type === 'auth.lockout' && e.data.kind === 'password')).toBe(true);
    expect(f.logLines.join('\n')).not.toMatch(/not-it-|harbour-Lantern/);
  });
});
