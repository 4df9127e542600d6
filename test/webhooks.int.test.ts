/**
 * Webhook hardening end to end on the real appliance: targets refused by the address policy at
 * subscription time, the per-tenant cap, a dead receiver that gets its subscription disabled (with a
 * `webhook.disabled` event on the WebSocket) instead of piling up deliveries, the delivery log and
 * dead letters through the API, re-enabling and redelivering — all tenant-scoped.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAppliance, type Appliance } from './appliance.js';
import { call, createTenantClient, operatorToken, until, type Envelope, type Page, type TenantClient } from './api-client.js';

/** A webhook subscription as the API shows it (no secret). */
interface WebhookView { id: string; status: string; secret?: string; consecutive_failures: number; skipped_deliveries: number }
/** One delivery of the log (ids and codes only). */
interface DeliveryView { id: string; delivery_id: string; status: string; last_status_code: number | null }

let app: Appliance;
let a: TenantClient;
let b: TenantClient;
let receiver: Server;
let port: number;
let answer = 500;
/** A receiver that accepts and never answers: its deliveries stay pending until the attempt times out. */
let hang: Server;
let hangPort: number;
const got: Array<{ delivery: string; status: number }> = [];
const SECRET = 'whsec-0123456789abcdef';

beforeAll(async () => {
  receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      got.push({ delivery: String(req.headers['x-wardclerk-delivery']), status: answer });
      res.writeHead(answer).end();
    });
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  port = (receiver.address() as AddressInfo).port;
  hang = createServer(() => undefined);
  await new Promise<void>((r) => hang.listen(0, '127.0.0.1', r));
  hangPort = (hang.address() as AddressInfo).port;
  app = await startAppliance({
    env: {
      WARDCLERK_WEBHOOK_MAX_PER_TENANT: '3',
      WARDCLERK_WEBHOOK_DISABLE_AFTER_FAILURES: '3',
      WARDCLERK_WEBHOOK_DISABLE_AFTER_MS: '0',
      WARDCLERK_WEBHOOK_BACKOFF_MS: '20,20,20,20,20',
      WARDCLERK_WEBHOOK_MAX_PENDING: '10',
    },
  });
  const op = await operatorToken(app.url, app.adminPassword);
  a = await createTenantClient(app.url, op, 'Hooks A');
  b = await createTenantClient(app.url, op, 'Hooks B');
});
afterAll(async () => {
  // Hung attempts end now (a network error) instead of holding the worker's close for their timeout.
  hang?.closeAllConnections();
  await new Promise((r) => hang?.close(r));
  await app?.close();
  receiver?.closeAllConnections();
  await new Promise((r) => receiver?.close(r));
});

const hook = (token: string, url: string, events = ['prescription.extracted']) =>
  call<Envelope<WebhookView>>(`${app.url}/api/v1/webhooks`, { method: 'POST', token, json: { url, events, secret: SECRET } });

describe('webhook targets', () => {
  it.each([
    'http://127.0.0.2:8080/x', 'http://2130706434/', 'http://0x7f.0.0.2/', 'http://localhost:9/', 'http://[::1]:9/',
    'http://[::ffff:7f00:2]/', 'http://169.254.169.254/latest/meta-data/', 'http://metadata.google.internal/', 'http://10.0.0.8/',
    'http://192.168.1.1/', 'http://0.0.0.0/', 'http://[fe80::1]/', 'https://user:pw@hooks.example.org/',
  ])('refuses %s with 422 WEBHOOK_TARGET_FORBIDDEN', async (url) => {
    const r = await hook(a.token, url);
    expect(r.status, url).toBe(422);
    expect(r.body.error.code).toBe('WEBHOOK_TARGET_FORBIDDEN');
    expect(JSON.stringify(r.body)).not.toContain(url);
  });

  it('refuses a non-http scheme as a validation error', async () => {
    const r = await hook(a.token, 'ftp://hooks.example.org/');
    expect(r.status).toBe(400);
  });
});

describe('webhook lifecycle', () => {
  let id: string;

  it('caps subscriptions per tenant with 409 WEBHOOK_LIMIT_REACHED', async () => {
    const created = await hook(a.token, `http://127.0.0.1:${port}/dead`);
    expect(created.status).toBe(201);
    expect(created.body.data).toMatchObject({ status: 'active', consecutive_failures: 0, skipped_deliveries: 0 });
    expect(created.body.data.secret).toBeUndefined();
    id = created.body.data.id;
    for (let i = 0; i < 2; i++) expect((await hook(a.token, `http://127.0.0.1:${port}/other-${i}`, ['job.completed'])).status).toBe(201);
    const over = await hook(a.token, `http://127.0.0.1:${port}/one-too-many`, ['job.completed']);
    expect(over.status).toBe(409);
    expect(over.body.error).toMatchObject({ code: 'WEBHOOK_LIMIT_REACHED', details: { limit: 3 } });
    expect((await hook(b.token, `http://127.0.0.1:${port}/b`, ['job.completed'])).status).toBe(201);
  });

  it('disables a subscription whose receiver keeps failing, announces it, and stops sending', async () => {
    const ws = new WebSocket(`${app.url.replace('http', 'ws')}/api/v1/ws`, ['wardclerk.v1', a.token]);
    const frames: Array<{ type: string; event?: { type: string; data: unknown } }> = [];
    ws.on('message', (raw) => frames.push(JSON.parse(String(raw)) as (typeof frames)[number]));
    await until(async () => frames.some((f) => f.type === 'ready'));
    for (const text of ['Ibuprofen 400 mg every 6 hours', 'Omeprazole 20 mg once daily']) {
      expect((await call(`${app.url}/api/v1/prescriptions`, { method: 'POST', token: a.token, json: { text } })).status).toBe(201);
    }
    const disabled = await until(async () => frames.find((f) => f.type === 'event' && f.event?.type === 'webhook.disabled'), 30_000);
    expect(disabled.event?.data).toMatchObject({ webhook_id: id, reason: 'consecutive_failures' });
    ws.close();
    const view = await until(async () => {
      const r = await call<Envelope<WebhookView | undefined>>(`${app.url}/api/v1/webhooks/${id}`, { token: a.token });
      return r.body.data?.status === 'disabled' ? r.body.data : null;
    });
    expect(view).toMatchObject({ status: 'disabled', disabled_reason: 'consecutive_failures' });
    expect(view.consecutive_failures).toBeGreaterThanOrEqual(3);
    // Every delivery ends dead (the second one without being sent once the subscription is disabled).
    const dead = await until(async () => {
      const r = await call<Envelope<Page<DeliveryView>>>(`${app.url}/api/v1/webhooks/${id}/dead-letters`, { token: a.token });
      return r.body.data.items.length === 2 ? r.body.data.items : null;
    }, 30_000);
    const letters = dead;
    expect(letters.every((d) => d.status === 'dead')).toBe(true);
    expect(letters.some((d) => d.last_status_code === 500)).toBe(true);
    expect(got.length).toBeLessThanOrEqual(4);
    const sentBefore = got.length;
    await call(`${app.url}/api/v1/prescriptions`, { method: 'POST', token: a.token, json: { text: 'Metformin 500 mg twice daily' } });
    const all = await call<Envelope<Page<DeliveryView>>>(`${app.url}/api/v1/webhooks/${id}/deliveries?limit=10`, { token: a.token });
    expect(all.body.data.items).toHaveLength(2); // no new delivery for a disabled subscription
    expect(got.length).toBe(sentBefore);
    // The log holds ids and codes only.
    expect(Object.keys(all.body.data.items[0] ?? {}).sort()).toEqual([
      'attempts', 'created_at', 'delivered_at', 'delivery_id', 'event_id', 'event_type', 'id', 'last_error_code', 'last_reason',
      'last_status_code', 'redeliveries', 'status', 'updated_at',
    ]);
  });

  it('shows nothing of it to another tenant (404 like an unknown id)', async () => {
    const [dead] = (await call<Envelope<Page<DeliveryView>>>(`${app.url}/api/v1/webhooks/${id}/dead-letters`, { token: a.token })).body.data.items;
    if (!dead) throw new Error('no dead letter');
    for (const [method, path] of [
      ['GET', `/api/v1/webhooks/${id}`], ['GET', `/api/v1/webhooks/${id}/deliveries`], ['GET', `/api/v1/webhooks/${id}/dead-letters`],
      ['POST', `/api/v1/webhooks/${id}/deliveries/${dead.id}/redeliver`],
    ] as const) {
      const r = await call<Envelope>(`${app.url}${path}`, { method, token: b.token });
      expect(r.status, path).toBe(404);
      expect(r.body.error.code).toBe('NOT_FOUND');
    }
    expect((await call(`${app.url}/api/v1/webhooks/${id}`, { method: 'PATCH', token: b.token, json: { status: 'active' } })).status).toBe(404);
  });

  it('redelivers a dead letter only once the subscription is re-enabled, with the same delivery id', async () => {
    const dead = (await call<Envelope<Page<DeliveryView>>>(`${app.url}/api/v1/webhooks/${id}/dead-letters`, { token: a.token })).body.data.items;
    const target = dead[0];
    if (!target) throw new Error('no dead letter to redeliver');
    const refused = await call<Envelope>(`${app.url}/api/v1/webhooks/${id}/deliveries/${target.id}/redeliver`, { method: 'POST', token: a.token });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('WEBHOOK_DISABLED');
    const enabled = await call<Envelope<WebhookView>>(`${app.url}/api/v1/webhooks/${id}`, { method: 'PATCH', token: a.token, json: { status: 'active' } });
    expect(enabled.body.data).toMatchObject({ status: 'active', disabled_reason: null, consecutive_failures: 0 });
    answer = 200;
    const queued = await call<Envelope<DeliveryView>>(`${app.url}/api/v1/webhooks/${id}/deliveries/${target.id}/redeliver`, { method: 'POST', token: a.token });
    expect(queued.status).toBe(202);
    expect(queued.body.data).toMatchObject({ id: target.id, status: 'pending', redeliveries: 1 });
    await until(async () => got.some((g) => g.status === 200 && g.delivery === target.delivery_id), 20_000);
    const after = await until(async () => {
      const r = await call<Envelope<Page<DeliveryView>>>(`${app.url}/api/v1/webhooks/${id}/deliveries?status=delivered`, { token: a.token });
      return r.body.data.items.length === 1 ? r.body.data.items[0] : null;
    });
    expect(after).toMatchObject({ id: target.id, status: 'delivered', last_status_code: 200 });
    const again = await call(`${app.url}/api/v1/webhooks/${id}/deliveries/${target.id}/redeliver`, { method: 'POST', token: a.token });
    expect(again.status).toBe(409);
  });

  it('lists the new routes in the OpenAPI document', async () => {
    const spec = await call<{ paths: Record<string, object> }>(`${app.url}/api/v1/openapi.json`);
    for (const p of ['/api/v1/webhooks/{id}', '/api/v1/webhooks/{id}/deliveries', '/api/v1/webhooks/{id}/dead-letters', '/api/v1/webhooks/{id}/deliveries/{delivery_id}/redeliver']) {
      expect(Object.keys(spec.body.paths)).toContain(p);
    }
    expect(Object.keys(spec.body.paths['/api/v1/webhooks/{id}'] ?? {})).toEqual(expect.arrayContaining(['get', 'patch', 'delete']));
  });
});

describe('a receiver that never answers', () => {
  it('holds at most WARDCLERK_WEBHOOK_MAX_PENDING deliveries; later events are counted as skipped', async () => {
    const c = await createTenantClient(app.url, await operatorToken(app.url, app.adminPassword), 'Hooks C');
    const h = await hook(c.token, `http://127.0.0.1:${hangPort}/never`);
    expect(h.status).toBe(201);
    const events = 60;
    for (let i = 0; i < events; i++) {
      expect((await call(`${app.url}/api/v1/prescriptions`, { method: 'POST', token: c.token, json: { text: `Paracetamol ${i + 1} mg` } })).status).toBe(201);
    }
    const view = await until(async () => {
      const r = await call<Envelope<WebhookView>>(`${app.url}/api/v1/webhooks/${h.body.data.id}`, { token: c.token });
      return r.body.data.skipped_deliveries === events - 10 ? r.body.data : null;
    }, 30_000);
    expect(view.status).toBe('active');
    const pending = await call<Envelope<Page<DeliveryView>>>(`${app.url}/api/v1/webhooks/${h.body.data.id}/deliveries?status=pending&limit=100`, { token: c.token });
    expect(pending.body.data.items).toHaveLength(10);
    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    const queued = /wardclerk_jetstream_pending_messages\{stream="WC_DELIVERIES"[^}]*\} (\d+)/.exec(metrics);
    expect(Number(queued?.[1])).toBeLessThanOrEqual(10);
    expect(metrics).toMatch(/wardclerk_webhook_deliveries_skipped_total \d+/);
  });
});
