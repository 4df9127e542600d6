import { describe, expect, it } from 'vitest';
import { verifyPassword } from '../../core/crypto.js';
import { createAuthFixture, type AuthFixture } from '../auth/testing/auth-fixture.js';
import { SCOPES } from './routes.js';

async function operatorHeaders(f: AuthFixture) {
  return { authorization: `Bearer ${(await f.tokens.issueOperatorToken('op_test')).access_token}`, 'content-type': 'application/json' };
}

const post = (f: AuthFixture, path: string, headers: Record<string, string>, body: unknown) =>
  f.app.request(path, { method: 'POST', headers, body: JSON.stringify(body) });

describe('admin routes', () => {
  it('creates and lists tenants', async () => {
    await using f = await createAuthFixture();
    const op = await operatorHeaders(f);
    const res = await post(f, '/api/v1/admin/tenants', op, { name: 'St Mary' });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { status: string; data: { id: string; name: string; created_at: string } };
    expect(created.status).toBe('success');
    expect(created.data).toMatchObject({ name: 'St Mary' });
    expect(created.data.id).toBeTruthy();
    const list = (await (await f.app.request('/api/v1/admin/tenants', { headers: op })).json()) as { data: { items: unknown[] } };
    expect(list.data.items).toEqual([created.data]);
    expect((await post(f, '/api/v1/admin/tenants', op, { name: '  ' })).status).toBe(400);
    expect((await post(f, '/api/v1/admin/tenants', op, {})).status).toBe(400);
  });

  it('creates a client whose secret is shown once and stored only as an Argon2id hash', async () => {
    await using f = await createAuthFixture();
    const op = await operatorHeaders(f);
    const tenant = (await (await post(f, '/api/v1/admin/tenants', op, { name: 'T' })).json()) as { data: { id: string } };
    const res = await post(f, `/api/v1/admin/tenants/${tenant.data.id}/clients`, op, { name: 'EHR', scopes: ['jobs:read'] });
    expect(res.status).toBe(201);
    const { data } = (await res.json()) as { data: { client_id: string; client_secret: string; name: string; scopes: string[]; tenant_id: string } };
    expect(data).toMatchObject({ name: 'EHR', scopes: ['jobs:read'], tenant_id: tenant.data.id });
    expect(data.client_secret).toMatch(/^[A-Za-z0-9_-]{43,}$/);

    const stored = await f.store.clients.get(data.client_id);
    expect(stored?.secret_hash).toMatch(/^\$argon2id\$/);
    expect(JSON.stringify(stored)).not.toContain(data.client_secret);
    expect(await verifyPassword(stored!.secret_hash, data.client_secret)).toBe(true);

    const all = await post(f, `/api/v1/admin/tenants/${tenant.data.id}/clients`, op, { name: 'Default scopes' });
    expect(((await all.json()) as { data: { scopes: string[] } }).data.scopes).toEqual([...SCOPES]);

    const list = await f.app.request(`/api/v1/admin/tenants/${tenant.data.id}/clients`, { headers: op });
    const text = await list.text();
    expect(list.status).toBe(200);
    const items = (JSON.parse(text) as { data: { items: Array<Record<string, unknown>> } }).data.items;
    expect(items.map((i) => i.name).sort()).toEqual(['Default scopes', 'EHR']);
    for (const item of items) expect(Object.keys(item).sort()).toEqual(['client_id', 'created_at', 'name', 'scopes', 'tenant_id']);
    expect(text).not.toContain(data.client_secret);
    expect(text).not.toContain('argon2');
  });

  it('answers 404 NOT_FOUND for an unknown tenant and 400 for an unknown scope', async () => {
    await using f = await createAuthFixture();
    const op = await operatorHeaders(f);
    const missing = await post(f, '/api/v1/admin/tenants/tn_missing/clients', op, { name: 'x' });
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('NOT_FOUND');
    expect((await f.app.request('/api/v1/admin/tenants/tn_missing/clients', { headers: op })).status).toBe(404);
    const tenant = (await (await post(f, '/api/v1/admin/tenants', op, { name: 'T' })).json()) as { data: { id: string } };
    const bad = await post(f, `/api/v1/admin/tenants/${tenant.data.id}/clients`, op, { name: 'x', scopes: ['admin'] });
    expect(bad.status).toBe(400);
    expect(await f.store.clients.list(tenant.data.id)).toEqual([]);
  });

  it('refuses a client token (403) and no token (401) on every admin route', async () => {
    await using f = await createAuthFixture();
    const op = await operatorHeaders(f);
    const tenant = (await (await post(f, '/api/v1/admin/tenants', op, { name: 'T' })).json()) as { data: { id: string } };
    const client = { authorization: `Bearer ${(await f.tokens.issueClientToken({ client_id: 'cl_x', tenant_id: tenant.data.id, scopes: [...SCOPES] })).access_token}`, 'content-type': 'application/json' };
    const routes: Array<[string, string, unknown]> = [
      ['POST', '/api/v1/admin/tenants', { name: 'X' }],
      ['GET', '/api/v1/admin/tenants', undefined],
      ['POST', `/api/v1/admin/tenants/${tenant.data.id}/clients`, { name: 'X' }],
      ['GET', `/api/v1/admin/tenants/${tenant.data.id}/clients`, undefined],
    ];
    for (const [method, path, body] of routes) {
      const init = (headers: Record<string, string>) => ({ method, headers, ...(body ? { body: JSON.stringify(body) } : {}) });
      const asClient = await f.app.request(path, init(client));
      expect(asClient.status, `${method} ${path}`).toBe(403);
      expect(((await asClient.json()) as { error: { code: string } }).error.code).toBe('FORBIDDEN');
      const anon = await f.app.request(path, init({ 'content-type': 'application/json' }));
      expect(anon.status, `${method} ${path}`).toBe(401);
      expect(((await anon.json()) as { error: { code: string } }).error.code).toBe('UNAUTHENTICATED');
    }
    expect(await f.store.tenants.list()).toHaveLength(1);
    expect(await f.store.clients.list(tenant.data.id)).toEqual([]);
  });
});
