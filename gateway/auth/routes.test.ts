import { describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.js';
import { ensureOperator } from './operator-bootstrap.js';
import { createAuthFixture, type AuthFixture } from './testing/auth-fixture.js';

const ADMIN_PASSWORD = 'operator-password-for-tests';
const silent = createLogger({ level: 'silent', role: 'test' });

async function setup(f: AuthFixture) {
  await ensureOperator({ store: f.store, config: f.config, log: silent });
  const login = await f.app.request('/api/v1/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email: 'admin', password: ADMIN_PASSWORD }),
  });
  const operator = { authorization: `Bearer ${((await login.json()) as { data: { access_token: string } }).data.access_token}` };
  const tenant = (await (
    await f.app.request('/api/v1/admin/tenants', { method: 'POST', headers: { ...operator, 'content-type': 'application/json' }, body: JSON.stringify({ name: 'General Hospital' }) })
  ).json()) as { data: { id: string } };
  const client = (await (
    await f.app.request(`/api/v1/admin/tenants/${tenant.data.id}/clients`, {
      method: 'POST',
      headers: { ...operator, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'EHR bridge', scopes: ['prescriptions:read', 'jobs:read'] }),
    })
  ).json()) as { data: { client_id: string; client_secret: string; tenant_id: string } };
  return { operator, tenantId: tenant.data.id, ...client.data };
}

const env = { WARDCLERK_ADMIN_PASSWORD: ADMIN_PASSWORD };

function form(params: Record<string, string>, headers: Record<string, string> = {}) {
  return { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams(params).toString() };
}

describe('POST /api/v1/auth/login', () => {
  it('answers an operator token in the envelope, and 401 INVALID_CREDENTIALS for a wrong password or user', async () => {
    await using f = await createAuthFixture({ env });
    await ensureOperator({ store: f.store, config: f.config, log: silent });
    const post = (body: unknown) => f.app.request('/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

    const good = await post({ email: 'admin', password: ADMIN_PASSWORD });
    expect(good.status).toBe(200);
    expect(good.headers.get('cache-control')).toBe('no-store');
    const body = (await good.json()) as { status: string; data: { access_token: string; token_type: string; expires_in: number } };
    expect(body.status).toBe('success');
    expect(body.data).toMatchObject({ token_type: 'Bearer', expires_in: 3600 });
    expect((await f.tokens.verify(body.data.access_token)).kind).toBe('operator');

    for (const wrong of [{ email: 'admin', password: 'not-the-password' }, { email: 'nobody', password: ADMIN_PASSWORD }]) {
      const res = await post(wrong);
      expect(res.status).toBe(401);
      const err = (await res.json()) as { status: string; error: { code: string; message: string } };
      expect(err.status).toBe('error');
      expect(err.error.code).toBe('INVALID_CREDENTIALS');
      expect(JSON.stringify(err)).not.toContain(wrong.password);
    }
    expect((await post({ email: 'admin' })).status).toBe(400);
  });

  it('rate-limits repeated failures for one login with 429 and Retry-After', async () => {
    await using f = await createAuthFixture({ env, limiter: { maxFailures: 3 } });
    await ensureOperator({ store: f.store, config: f.config, log: silent });
    const post = (password: string) => f.app.request('/api/v1/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin', password }) });
    for (let i = 0; i < 3; i++) expect((await post('wrong-password')).status).toBe(401);
    const limited = await post(ADMIN_PASSWORD); // even the right password waits out the window
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await limited.json()) as { error: { code: string } }).error.code).toBe('RATE_LIMITED');
  });
});

describe('POST /api/v1/oauth/token', () => {
  it('grants a client token from a form body, a JSON body and HTTP Basic', async () => {
    await using f = await createAuthFixture({ env });
    const { client_id, client_secret, tenantId } = await setup(f);
    const json = { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ grant_type: 'client_credentials', client_id, client_secret }) };
    // Basic: each part form-urlencoded, then base64 (RFC 6749 §2.3.1).
    const basic = `Basic ${Buffer.from(`${encodeURIComponent(client_id)}:${encodeURIComponent(client_secret)}`).toString('base64')}`;
    for (const init of [form({ grant_type: 'client_credentials', client_id, client_secret }), json, form({ grant_type: 'client_credentials' }, { authorization: basic })]) {
      const res = await f.app.request('/api/v1/oauth/token', init);
      expect(res.status).toBe(200);
      expect(res.headers.get('cache-control')).toBe('no-store');
      const body = (await res.json()) as Record<string, unknown>;
      expect(Object.keys(body).sort()).toEqual(['access_token', 'expires_in', 'token_type']);
      expect(body.token_type).toBe('Bearer');
      expect(await f.tokens.verify(body.access_token as string)).toEqual({ kind: 'client', sub: client_id, tenantId, scopes: ['prescriptions:read', 'jobs:read'] });
    }
  });

  it('narrows to a requested scope subset and refuses a scope the client lacks', async () => {
    await using f = await createAuthFixture({ env });
    const { client_id, client_secret } = await setup(f);
    const narrowed = await f.app.request('/api/v1/oauth/token', form({ grant_type: 'client_credentials', client_id, client_secret, scope: 'jobs:read' }));
    expect((await f.tokens.verify(((await narrowed.json()) as { access_token: string }).access_token)).scopes).toEqual(['jobs:read']);
    const wider = await f.app.request('/api/v1/oauth/token', form({ grant_type: 'client_credentials', client_id, client_secret, scope: 'webhooks:manage' }));
    expect(wider.status).toBe(400);
    expect(((await wider.json()) as { error: string }).error).toBe('invalid_scope');
  });

  it('answers RFC 6749 §5.2 errors: invalid_client, unsupported_grant_type, invalid_request', async () => {
    await using f = await createAuthFixture({ env });
    const { client_id, client_secret } = await setup(f);
    const cases: Array<[RequestInit, number, string]> = [
      [form({ grant_type: 'client_credentials', client_id, client_secret: 'wrong-secret' }), 401, 'invalid_client'],
      [form({ grant_type: 'client_credentials', client_id: 'cl_unknown', client_secret }), 401, 'invalid_client'],
      [form({ grant_type: 'client_credentials', client_id }), 401, 'invalid_client'],
      [form({ grant_type: 'password', client_id, client_secret }), 400, 'unsupported_grant_type'],
      [form({ client_id, client_secret }), 400, 'invalid_request'],
      [{ method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"grant_type":' }, 400, 'invalid_request'],
      [{ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ grant_type: 'client_credentials', client_id: 1 }) }, 400, 'invalid_request'],
      [{ method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'grant_type=client_credentials' }, 400, 'invalid_request'],
    ];
    for (const [init, status, error] of cases) {
      const res = await f.app.request('/api/v1/oauth/token', init);
      expect(res.status, String(init.body)).toBe(status);
      const body = (await res.json()) as { error: string; error_description: string };
      expect(body.error).toBe(error);
      expect(typeof body.error_description).toBe('string');
      expect(JSON.stringify(body)).not.toContain(client_secret);
    }
    const basicWrong = await f.app.request('/api/v1/oauth/token', form({ grant_type: 'client_credentials' }, { authorization: `Basic ${Buffer.from(`${client_id}:nope`).toString('base64')}` }));
    expect(basicWrong.status).toBe(401);
    expect(basicWrong.headers.get('www-authenticate')).toMatch(/^Basic/);
  });

  it('rate-limits a client_id after repeated failures with 429 and Retry-After', async () => {
    await using f = await createAuthFixture({ env, limiter: { maxFailures: 3 } });
    const { client_id, client_secret } = await setup(f);
    for (let i = 0; i < 3; i++) expect((await f.app.request('/api/v1/oauth/token', form({ grant_type: 'client_credentials', client_id, client_secret: `bad-${i}` }))).status).toBe(401);
    const res = await f.app.request('/api/v1/oauth/token', form({ grant_type: 'client_credentials', client_id, client_secret }));
    expect(res.status).toBe(429);
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThan(0);
  });
});

describe('GET /.well-known/jwks.json', () => {
  it('serves the public signing key and nothing private', async () => {
    await using f = await createAuthFixture();
    const res = await f.app.request('/.well-known/jwks.json');
    expect(res.status).toBe(200);
    const body = (await res.json()) as { keys: Array<Record<string, unknown>> };
    expect(body.keys).toHaveLength(1);
    expect(body.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
    expect(body.keys[0]).not.toHaveProperty('d');
  });
});
