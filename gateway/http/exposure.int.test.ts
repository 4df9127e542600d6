/**
 * What a browser or a stranger on the network sees: security headers on every answer, CORS closed
 * unless a tenant lists the origin (preflight by any tenant's list, the actual request by the
 * token's tenant), /metrics only for loopback peers or the scrape token.
 */
import { serve } from '@hono/node-server';
import { Hono } from 'hono';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppliance, type Appliance } from '../../test/appliance.js';
import { call, createTenantClient, operatorToken, type Envelope, type TenantClient } from '../../test/api-client.js';
import { WardClerkError } from '../../core/errors.js';
import { guardMetrics } from '../health/metrics-guard.js';

let app: Appliance;
let opToken: string;
let a: TenantClient;
let b: TenantClient;
const APP_A = 'https://ward-app.hospital-a.example';
const APP_B = 'https://portal.hospital-b.example:8443';

beforeAll(async () => {
  app = await startAppliance({ without: ['worker'] });
  opToken = await operatorToken(app.url, app.adminPassword);
  a = await createTenantClient(app.url, opToken, 'Origin A');
  b = await createTenantClient(app.url, opToken, 'Origin B');
});
afterAll(async () => {
  await app?.close();
});

describe('security headers', () => {
  it('every answer (success, error, legacy, unknown route) carries no-store, nosniff, no-referrer and no framing', async () => {
    const answers = await Promise.all([
      call(`${app.url}/api/v1/prescriptions`, { token: a.token }),
      call(`${app.url}/api/v1/prescriptions`),
      call(`${app.url}/get-data?tenant_id=${a.tenantId}`, { token: a.token }),
      call(`${app.url}/nope`),
      call(`${app.url}/api/v1/auth/login`, { method: 'POST', json: { email: 'admin', password: 'wrong-password' } }),
    ]);
    for (const r of answers) {
      expect(r.headers.get('cache-control')).toBe('no-store');
      expect(r.headers.get('x-content-type-options')).toBe('nosniff');
      expect(r.headers.get('referrer-policy')).toBe('no-referrer');
      expect(r.headers.get('x-frame-options')).toBe('DENY');
      expect(r.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    }
    // The public JWKS keeps its own cache policy.
    expect((await call(`${app.url}/.well-known/jwks.json`)).headers.get('cache-control')).toMatch(/public/);
  });
});

describe('CORS', () => {
  const preflight = (origin: string) =>
    fetch(`${app.url}/api/v1/prescriptions`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type' } });

  it('is closed by default: no allow header, preflight refused', async () => {
    const r = await call<Envelope>(`${app.url}/api/v1/prescriptions`, { token: a.token, headers: { origin: APP_A } });
    expect(r.status).toBe(403);
    expect(r.body.error.code).toBe('ORIGIN_NOT_ALLOWED');
    expect(r.headers.get('access-control-allow-origin')).toBeNull();
    const p = await preflight(APP_A);
    expect(p.status).toBe(403);
    expect(p.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('the operator sets a tenant’s origins; only that tenant’s tokens work from there', async () => {
    const bad = await call(`${app.url}/api/v1/admin/tenants/${a.tenantId}`, { method: 'PATCH', token: opToken, json: { cors_origins: ['https://x.example/path'] } });
    expect(bad.status).toBe(400);
    const set = await call<Envelope<{ cors_origins: string[] }>>(`${app.url}/api/v1/admin/tenants/${a.tenantId}`, { method: 'PATCH', token: opToken, json: { cors_origins: [`${APP_A}/`] } });
    expect(set.status).toBe(200);
    expect(set.body.data.cors_origins).toEqual([APP_A]);
    const setB = await call(`${app.url}/api/v1/admin/tenants/${b.tenantId}`, { method: 'PATCH', token: opToken, json: { cors_origins: [APP_B] } });
    expect(setB.status).toBe(200);
    expect((await call(`${app.url}/api/v1/admin/tenants/tn_nope`, { method: 'PATCH', token: opToken, json: { name: 'x' } })).status).toBe(404);

    const p = await preflight(APP_A);
    expect(p.status).toBe(204);
    expect(p.headers.get('access-control-allow-origin')).toBe(APP_A);
    expect(p.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    expect(p.headers.get('vary')).toMatch(/Origin/);
    expect(p.headers.get('access-control-allow-credentials')).toBeNull();
    expect((await preflight('https://evil.example')).status).toBe(403);

    const ok = await call(`${app.url}/api/v1/prescriptions`, { token: a.token, headers: { origin: APP_A } });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe(APP_A);
    expect(ok.headers.get('access-control-expose-headers')).toMatch(/X-Request-Id/);

    // B's origin passes a preflight (B lists it) but A's token may not be used from it.
    const cross = await call<Envelope>(`${app.url}/api/v1/prescriptions`, { token: a.token, headers: { origin: APP_B } });
    expect(cross.status).toBe(403);
    expect(cross.body.error.code).toBe('ORIGIN_NOT_ALLOWED');
    expect(cross.headers.get('access-control-allow-origin')).toBeNull();
    // The operator's token is never usable cross-origin.
    expect((await call(`${app.url}/api/v1/admin/tenants`, { token: opToken, headers: { origin: APP_A } })).status).toBe(403);
    // Same-origin requests (the admin UI) are not CORS at all.
    expect((await call(`${app.url}/api/v1/admin/tenants`, { token: opToken, headers: { origin: new URL(app.url).origin } })).status).toBe(200);
  });
});

describe('/metrics', () => {
  it('answers a loopback peer, but not a request a proxy forwarded', async () => {
    expect((await fetch(`${app.url}/metrics`)).status).toBe(200);
    const forwarded = await call<Envelope>(`${app.url}/metrics`, { headers: { 'x-forwarded-for': '203.0.113.9' } });
    expect(forwarded.status).toBe(403);
    expect(forwarded.body.error.code).toBe('FORBIDDEN');
  });

  it('with a scrape token, needs it from everyone', async () => {
    const small = new Hono();
    small.onError((e, c) => c.json({ code: (e as WardClerkError).code }, (e as WardClerkError).status as 401));
    small.get('/metrics', guardMetrics('scrape-token-0123456789'), (c) => c.text('ok'));
    const server = serve({ fetch: small.fetch, port: 0, hostname: '127.0.0.1' });
    await new Promise((r) => server.once('listening', r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/metrics`;
      expect((await fetch(url)).status).toBe(401);
      expect((await fetch(url, { headers: { authorization: 'Bearer wrong-token-0123456789' } })).status).toBe(401);
      expect((await fetch(url, { headers: { authorization: 'Bearer scrape-token-0123456789' } })).status).toBe(200);
    } finally {
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});

describe('lockout events in the running gateway', () => {
  it('a block is a PHI-free log line, a metric and a saved state file', async () => {
    const email = 'Lockout.Probe@Hospital.Example';
    let last = 0;
    for (let i = 0; i < 6; i++) last = (await call(`${app.url}/api/v1/auth/login`, { method: 'POST', json: { email: ` ${email}`, password: `wrong-${i}` } })).status;
    expect(last).toBe(429);
    const lines = app.logs().split('\n').filter((l) => l.includes('"auth.lockout"'));
    expect(lines.length).toBeGreaterThan(0);
    expect(lines.join('\n').toLowerCase()).not.toContain('lockout.probe');
    expect(lines.join('\n')).not.toContain('127.0.0.1');
    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    expect(metrics).toMatch(/wardclerk_auth_lockouts_total\{kind="login",scope="(ip|account)"\} [1-9]/);
    const { readFile } = await import('node:fs/promises');
    const { join } = await import('node:path');
    const deadline = Date.now() + 10_000;
    let saved = '';
    while (Date.now() < deadline && !saved) {
      saved = await readFile(join(app.dataDir, 'auth-throttle.json'), 'utf8').catch(() => '');
      if (!saved) await new Promise((r) => setTimeout(r, 100));
    }
    expect(JSON.parse(saved).entries.length).toBeGreaterThan(0);
    expect(saved.toLowerCase()).not.toContain('lockout.probe');
  });
});
