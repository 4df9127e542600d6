/**
 * Notifications end to end: signed webhook deliveries with retries (a receiver that fails three
 * times then succeeds gets the event once, signed, with one stable delivery id), and the WebSocket
 * stream with the token in the Sec-WebSocket-Protocol header or the first message.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhookSignature } from '../worker/webhook-signature.js';
import { startAppliance, type Appliance } from './appliance.js';
import { call, createTenantClient, operatorToken, until, type Envelope, type TenantClient } from './api-client.js';
import { readBody } from './read-body.js';

/** A server frame of /api/v1/ws, as far as these tests read it. */
interface Frame { type: string; event?: { type: string; data: Record<string, unknown> } }

let app: Appliance;
let a: TenantClient;
let receiver: Server;
let receiverUrl: string;
const SECRET = 'whsec-0123456789abcdef';
const attempts: Array<{ delivery: string; event: string; signature: string; body: string; answered: number }> = [];
let failuresLeft = 3;

beforeAll(async () => {
  receiver = createServer(async (req, res) => {
    const body = await readBody(req);
    const answered = failuresLeft > 0 ? 500 : 200;
    if (failuresLeft > 0) failuresLeft--;
    attempts.push({
      delivery: String(req.headers['x-wardclerk-delivery']),
      event: String(req.headers['x-wardclerk-event']),
      signature: String(req.headers['x-wardclerk-signature']),
      body,
      answered,
    });
    res.statusCode = answered;
    res.end();
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', () => r()));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
  app = await startAppliance();
  a = await createTenantClient(app.url, await operatorToken(app.url, app.adminPassword), 'Notify Hospital');
});
afterAll(async () => {
  await app?.close();
  await new Promise((r) => receiver?.close(r));
});

describe('webhooks', () => {
  it('retries a failing receiver and delivers once, signed, with a stable delivery id', async () => {
    const h = await call<Envelope<{ secret?: string }>>(`${app.url}/api/v1/webhooks`, { method: 'POST', token: a.token, json: { url: receiverUrl, events: ['prescription.extracted'], secret: SECRET } });
    expect(h.status).toBe(201);
    expect(h.body.data.secret).toBeUndefined();
    const r = await call<Envelope<{ prescription_id: string }>>(`${app.url}/api/v1/prescriptions`, { method: 'POST', token: a.token, json: { text: 'Ibuprofen 400 mg every 6 hours as needed for pain' } });
    expect(r.status).toBe(201);
    await until(async () => attempts.some((x) => x.answered === 200), 30_000);
    const ids = new Set(attempts.map((x) => x.delivery));
    expect(ids.size).toBe(1);
    expect(attempts.map((x) => x.answered)).toEqual([500, 500, 500, 200]);
    const ok = attempts.at(-1)!;
    expect(ok.event).toBe('prescription.extracted');
    expect(verifyWebhookSignature(SECRET, ok.signature, ok.body, 300)).toBe(true);
    expect(verifyWebhookSignature('wrong-secret-0000000', ok.signature, ok.body, 300)).toBe(false);
    const event = JSON.parse(ok.body) as { data: { prescription_id: string } };
    expect(event.data.prescription_id).toBe(r.body.data.prescription_id);
    expect(ok.body).not.toContain('Ibuprofen');
  });
});

function nextFrame(ws: WebSocket, pred: (f: Frame) => boolean): Promise<Frame> {
  return new Promise((resolve, reject) => {
    const onMsg = (raw: WebSocket.RawData) => {
      const f = JSON.parse(String(raw)) as Frame;
      if (pred(f)) {
        ws.off('message', onMsg);
        resolve(f);
      }
    };
    ws.on('message', onMsg);
    ws.once('close', (code) => reject(new Error(`closed ${code}`)));
  });
}

describe('websocket', () => {
  it('streams events to a socket authenticated by the protocol header', async () => {
    const ws = new WebSocket(`${app.url.replace('http', 'ws')}/api/v1/ws`, ['wardclerk.v1', a.token]);
    await nextFrame(ws, (f) => f.type === 'ready');
    const got = nextFrame(ws, (f) => f.type === 'event' && f.event?.type === 'prescription.extracted');
    const r = await call<Envelope<{ prescription_id: string }>>(`${app.url}/api/v1/prescriptions`, { method: 'POST', token: a.token, json: { text: 'Omeprazole 20 mg once daily before breakfast' } });
    const frame = await got;
    expect(frame.event?.data['prescription_id']).toBe(r.body.data.prescription_id);
    ws.close();
  });

  it('accepts the token in the first message and closes on a bad one', async () => {
    const ws = new WebSocket(`${app.url.replace('http', 'ws')}/api/v1/ws`);
    await new Promise((r) => ws.once('open', r));
    ws.send(JSON.stringify({ type: 'auth', token: a.token }));
    await nextFrame(ws, (f) => f.type === 'ready');
    ws.close();

    const bad = new WebSocket(`${app.url.replace('http', 'ws')}/api/v1/ws`);
    await new Promise((r) => bad.once('open', r));
    const closed = new Promise<number>((r) => bad.once('close', (code) => r(code)));
    bad.send(JSON.stringify({ type: 'auth', token: 'x.y.z' }));
    expect(await closed).toBe(4401);
  });
});
