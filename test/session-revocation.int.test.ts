/**
 * Sessions end at once, on the real appliance (real nats-server, the gateway in process, LevelDB on
 * disk, real HTTP and WebSocket): after a logout, an admin disabling the user, an admin password
 * reset or the user's own password change (other sessions), the same access token answers 401
 * SESSION_REVOKED on the very next request, and an open WebSocket of the session is closed. A user
 * whose password was reset may only change it (403 PASSWORD_CHANGE_REQUIRED elsewhere). The sweep
 * deletes expired sessions (its clock is injected: the test moves it past the sessions' end).
 */
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import WebSocket from 'ws';
import { call, operatorToken, until } from './api-client.js';
import { startAppliance, type Appliance } from './appliance.js';

interface ErrorShape {
  code: string;
  details: Record<string, unknown>;
}
/** The envelope as these tests read it: data on success, error otherwise. */
interface Body<T> {
  status: 'success' | 'error';
  data?: T;
  error?: ErrorShape;
}
interface UserTokens {
  access_token: string;
  refresh_token: string;
  user: { user_id: string; must_change_password: boolean };
}
interface Me {
  kind: string;
  must_change_password?: boolean;
}

const PASSWORD = 'tulip-Granite-47-orbit';
const NEW_PASSWORD = 'another-Long-Phrase-58';

let app: Appliance;
let admin: string;
let seq = 0;
// The sweep's clock runs this far ahead of the wall clock (0 until the sweep test moves it).
let sweepSkewMs = 0;

beforeAll(async () => {
  app = await startAppliance({ without: ['engine', 'worker'], gateway: { sessionSweep: { now: () => new Date(Date.now() + sweepSkewMs), intervalMs: 100 } } });
  const op = await operatorToken(app.url, app.adminPassword);
  const tenant = await call<Body<{ id: string }>>(`${app.url}/api/v1/admin/tenants`, { method: 'POST', token: op, json: { name: 'Revocation clinic' } });
  const inv = await call<Body<{ code: string }>>(`${app.url}/api/v1/admin/tenants/${tenant.body.data!.id}/invitations`, { method: 'POST', token: op, json: { role: 'tenant_admin' } });
  admin = (await signUp(inv.body.data!.code)).access_token;
});
afterAll(async () => {
  await app?.close();
});

const url = (path: string) => `${app.url}${path}`;

async function signUp(code: string): Promise<UserTokens & { email: string }> {
  const email = `person${++seq}@hospital.example`;
  const r = await call<Body<UserTokens>>(url('/api/v1/auth/signup'), { method: 'POST', json: { email, password: PASSWORD, display_name: `Person ${seq}`, invitation_code: code } });
  if (r.status !== 201) throw new Error(`sign-up failed: ${r.status} ${JSON.stringify(r.body)}`);
  return { ...r.body.data!, email };
}

/** A new person of the tenant with `role`, signed up by the admin's invitation (one session). */
async function person(role: 'patient' | 'doctor'): Promise<UserTokens & { email: string }> {
  const inv = await call<Body<{ code: string }>>(url('/api/v1/admin/invitations'), { method: 'POST', token: admin, json: { role } });
  return signUp(inv.body.data!.code);
}

async function login(email: string, password: string): Promise<UserTokens> {
  const r = await call<Body<UserTokens>>(url('/api/v1/auth/login'), { method: 'POST', json: { email, password } });
  if (r.status !== 200) throw new Error(`login failed: ${r.status}`);
  return r.body.data!;
}

const get = <T>(path: string, token: string) => call<Body<T>>(url(path), { token });
const gql = (token: string) => call<Body<unknown>>(url('/api/v1/graphql'), { method: 'POST', token, json: { query: '{ me { kind } }' } });

async function expectRevoked(path: string, token: string, reason: string): Promise<void> {
  const r = await get<unknown>(path, token);
  expect(r.status, path).toBe(401);
  expect(r.body.error).toEqual({ code: 'SESSION_REVOKED', message: expect.any(String), details: { reason } });
  expect(r.headers.get('www-authenticate')).toMatch(/^Bearer/);
}

/** A WebSocket with `token`; `ready` resolves on the hub's ready frame, `closed` with the close code. */
function socket(token: string): { ready: Promise<void>; closed: Promise<number> } {
  const ws = new WebSocket(`${app.url.replace('http', 'ws')}/api/v1/ws`, ['wardclerk.v1', token]);
  onTestFinished(() => ws.terminate());
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  const ready = new Promise<void>((resolve, reject) => {
    ws.on('message', (raw) => {
      if ((JSON.parse(String(raw)) as { type: string }).type === 'ready') resolve();
    });
    void closed.then((code) => reject(new Error(`closed ${code} before ready`)));
  });
  ready.catch(() => undefined); // a socket expected to be refused is awaited through `closed`
  return { ready, closed };
}

describe('a session ends at once', () => {
  it('logout: the same access token answers 401 SESSION_REVOKED on the next request, REST and GraphQL', async () => {
    const p = await person('patient');
    expect((await get<unknown>('/api/v1/me/doctors', p.access_token)).status).toBe(200);
    const out = await call<Body<{ revoked: boolean }>>(url('/api/v1/auth/logout'), { method: 'POST', token: p.access_token });
    expect(out.body.data).toMatchObject({ revoked: true });
    await expectRevoked('/api/v1/me/doctors', p.access_token, 'logout');
    await expectRevoked('/api/v1/me', p.access_token, 'logout');
    const g = await gql(p.access_token);
    expect([g.status, g.body.error?.code]).toEqual([401, 'SESSION_REVOKED']);
    expect((await call<Body<unknown>>(url('/api/v1/auth/logout'), { method: 'POST', token: p.access_token })).status).toBe(401);
  });

  it('admin disable: 401 at once, and the open WebSocket of the session is closed (4401)', async () => {
    const p = await person('patient');
    const ws = socket(p.access_token);
    await ws.ready;
    expect((await get<unknown>('/api/v1/doctors', p.access_token)).status).toBe(200);
    const off = await call<Body<{ status: string }>>(url(`/api/v1/admin/users/${p.user.user_id}/disable`), { method: 'POST', token: admin });
    expect(off.body.data?.status).toBe('disabled');
    await expectRevoked('/api/v1/doctors', p.access_token, 'disabled');
    expect(await ws.closed).toBe(4401);
    // A new socket with the same token is refused too.
    expect(await socket(p.access_token).closed).toBe(4401);
  });

  it('admin reset: 401 at once; the temporary password signs in, but only to change it', async () => {
    const d = await person('doctor');
    expect((await get<unknown>('/api/v1/patients', d.access_token)).status).toBe(200);
    const reset = await call<Body<{ temporary_password: string; must_change_password: boolean }>>(url(`/api/v1/admin/users/${d.user.user_id}/reset-password`), { method: 'POST', token: admin });
    expect(reset.body.data?.must_change_password).toBe(true);
    await expectRevoked('/api/v1/patients', d.access_token, 'password_reset');
    const again = await login(d.email, reset.body.data!.temporary_password);
    expect(again.user.must_change_password).toBe(true);
    const refused = await get<unknown>('/api/v1/patients', again.access_token);
    expect([refused.status, refused.body.error?.code]).toEqual([403, 'PASSWORD_CHANGE_REQUIRED']);
  });

  it('must_change_password: 403 PASSWORD_CHANGE_REQUIRED everywhere but password, logout, refresh and /me; allowed after the change', async () => {
    const d = await person('doctor');
    const reset = await call<Body<{ temporary_password: string }>>(url(`/api/v1/admin/users/${d.user.user_id}/reset-password`), { method: 'POST', token: admin });
    const temporary = reset.body.data!.temporary_password;
    const s = await login(d.email, temporary);

    const list = await get<unknown>('/api/v1/patients', s.access_token);
    expect([list.status, list.body.error?.code]).toEqual([403, 'PASSWORD_CHANGE_REQUIRED']);
    const create = await call<Body<unknown>>(url('/api/v1/patients'), { method: 'POST', token: s.access_token, json: { name: { family: 'Rao', given: ['Asha'] }, time_zone: 'Europe/Berlin' } });
    expect([create.status, create.body.error?.code]).toEqual([403, 'PASSWORD_CHANGE_REQUIRED']);
    const g = await gql(s.access_token);
    expect([g.status, g.body.error?.code]).toEqual([403, 'PASSWORD_CHANGE_REQUIRED']);
    expect(await socket(s.access_token).closed).toBe(4403);

    const me = await get<Me>('/api/v1/me', s.access_token);
    expect([me.status, me.body.data?.must_change_password]).toEqual([200, true]);
    const refreshed = await call<Body<UserTokens>>(url('/api/v1/auth/refresh'), { method: 'POST', json: { refresh_token: s.refresh_token } });
    expect(refreshed.status).toBe(200);
    const access = refreshed.body.data!.access_token;
    expect((await get<unknown>('/api/v1/patients', access)).body.error?.code).toBe('PASSWORD_CHANGE_REQUIRED');

    const changed = await call<Body<unknown>>(url('/api/v1/auth/password'), { method: 'POST', token: access, json: { current_password: temporary, new_password: NEW_PASSWORD } });
    expect(changed.status).toBe(200);
    const after = await get<{ items: unknown[] }>('/api/v1/patients', access);
    expect(after.status).toBe(200);
    expect(after.body.data?.items).toEqual([]); // the refused create stored nothing
    expect((await get<Me>('/api/v1/me', access)).body.data?.must_change_password).toBe(false);
    expect((await gql(access)).status).toBe(200);
  });

  it("own password change: the user's other session answers 401 at once, this one keeps working", async () => {
    const p = await person('patient'); // session A (sign-up)
    const b = await login(p.email, PASSWORD); // session B
    const changed = await call<Body<{ other_sessions_revoked: number }>>(url('/api/v1/auth/password'), {
      method: 'POST', token: b.access_token, json: { current_password: PASSWORD, new_password: NEW_PASSWORD },
    });
    expect(changed.body.data?.other_sessions_revoked).toBe(1);
    await expectRevoked('/api/v1/me', p.access_token, 'password_change');
    await expectRevoked('/api/v1/me/doctors', p.access_token, 'password_change');
    expect((await get<Me>('/api/v1/me', b.access_token)).body.data?.kind).toBe('user');
    expect((await get<unknown>('/api/v1/me/doctors', b.access_token)).status).toBe(200);
  });

  // Last: the sweep's clock moves past every session's end, so it deletes all of them.
  it('the sweep deletes an expired session with its refresh tokens', async () => {
    const p = await person('patient');
    const rotated = await call<Body<UserTokens>>(url('/api/v1/auth/refresh'), { method: 'POST', json: { refresh_token: p.refresh_token } });
    expect(rotated.status).toBe(200);
    const swept = () => app.logs().split('\n').filter((l) => l.includes('"event":"sessions.swept"'));
    expect(swept()).toEqual([]);

    sweepSkewMs = app.config.refreshTtlSeconds * 1000 + 60_000;
    const line = await until(async () => swept()[0]);
    sweepSkewMs = 0;
    expect(JSON.parse(line)).toMatchObject({ sessions: expect.any(Number), refresh_tokens: expect.any(Number) });
    expect((JSON.parse(line) as { refresh_tokens: number }).refresh_tokens).toBeGreaterThanOrEqual(2);

    // On the wall clock the session had not ended: only the sweep can have removed it.
    const refresh = await call<Body<unknown>>(url('/api/v1/auth/refresh'), { method: 'POST', json: { refresh_token: rotated.body.data!.refresh_token } });
    expect([refresh.status, refresh.body.error?.code, refresh.body.error?.details.reason]).toEqual([401, 'REFRESH_TOKEN_INVALID', 'invalid']);
    await expectRevoked('/api/v1/me', rotated.body.data!.access_token, 'unknown_session');
  });
});
