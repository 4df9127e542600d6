import { OpenAPIHono } from '@hono/zod-openapi';
import { describe, expect, it } from 'vitest';
import { WardClerkError, isWardClerkError } from '../../core/errors.js';
import type { AppEnv } from '../http/app-env.js';
import { bearerToken, requireAuth, requireClient, requireOperator } from './middleware.js';
import { createAuthFixture } from './testing/auth-fixture.js';
import type { TokenService } from './token-service.js';

function appWith(tokens: TokenService) {
  const app = new OpenAPIHono<AppEnv>();
  app.onError((err, c) => {
    const e = isWardClerkError(err) ? err : new WardClerkError('INTERNAL', 'Internal error');
    return c.json({ code: e.code }, e.status as 400);
  });
  app.use('/x/*', requireAuth(tokens));
  app.get('/x/any', (c) => c.json(c.get('principal')));
  app.get('/x/op', requireOperator(), (c) => c.json({ ok: true }));
  app.get('/x/client', requireClient(), (c) => c.json({ ok: true }));
  app.get('/x/jobs', requireClient('jobs:read'), (c) => c.json({ ok: true }));
  app.get('/unguarded-op', requireOperator(), (c) => c.json({ ok: true }));
  return app;
}

describe('auth middleware', () => {
  it('parses only Bearer headers', () => {
    expect(bearerToken('Bearer abc.def.ghi')).toBe('abc.def.ghi');
    expect(bearerToken('bearer   abc')).toBe('abc');
    expect(bearerToken('Basic abc')).toBeNull();
    expect(bearerToken('Bearer')).toBeNull();
    expect(bearerToken('Bearer a b')).toBeNull();
    expect(bearerToken(undefined)).toBeNull();
  });

  it('no header → 401 UNAUTHENTICATED with a Bearer challenge; a bad token → 401 INVALID_TOKEN', async () => {
    await using f = await createAuthFixture();
    const app = appWith(f.tokens);
    const none = await app.request('/x/any');
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({ code: 'UNAUTHENTICATED' });
    expect(none.headers.get('www-authenticate')).toBe('Bearer');

    const bad = await app.request('/x/any', { headers: { authorization: 'Bearer not.a.token' } });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toEqual({ code: 'INVALID_TOKEN' });
    expect(bad.headers.get('www-authenticate')).toContain('invalid_token');

    const basic = await app.request('/x/any', { headers: { authorization: 'Basic Zm9vOmJhcg==' } });
    expect(basic.status).toBe(401);

    // A role check without requireAuth before it still refuses (never treats "no principal" as allowed).
    expect((await app.request('/unguarded-op')).status).toBe(401);
  });

  it('sets the principal and gates by role and scope', async () => {
    await using f = await createAuthFixture();
    const app = appWith(f.tokens);
    const op = { authorization: `Bearer ${(await f.tokens.issueOperatorToken('op_1')).access_token}` };
    const reader = { authorization: `Bearer ${(await f.tokens.issueClientToken({ client_id: 'cl_1', tenant_id: 'tn_1', scopes: ['jobs:read'] })).access_token}` };
    const writer = { authorization: `Bearer ${(await f.tokens.issueClientToken({ client_id: 'cl_2', tenant_id: 'tn_1', scopes: ['prescriptions:write'] })).access_token}` };

    expect(await (await app.request('/x/any', { headers: reader })).json()).toEqual({ kind: 'client', sub: 'cl_1', tenantId: 'tn_1', scopes: ['jobs:read'] });
    expect((await app.request('/x/op', { headers: op })).status).toBe(200);
    expect((await app.request('/x/op', { headers: reader })).status).toBe(403);
    expect((await app.request('/x/client', { headers: op })).status).toBe(403);
    expect((await app.request('/x/client', { headers: writer })).status).toBe(200);
    expect((await app.request('/x/jobs', { headers: reader })).status).toBe(200);
    const denied = await app.request('/x/jobs', { headers: writer });
    expect(denied.status).toBe(403);
    expect(await denied.json()).toEqual({ code: 'FORBIDDEN' });
  });
});
