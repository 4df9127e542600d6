/**
 * A due reminder reaches a tenant's webhook subscriber as a signed `reminder.due` event, on the
 * whole appliance (real nats-server, gateway, engine and worker) with the gateway's scheduler on
 * an injected manual clock: a note becomes a twice-daily plan, the clock moves to 09:00 in the
 * patient's zone, and a real HTTP receiver on loopback gets the event, signed with the
 * subscription's secret, ids and times only. The patient then moves to New York over the real
 * PATCH route, and the evening dose arrives at 21:00 New York time, never at 21:00 London time.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../gateway/scheduler/clock.js';
import { verifyWebhookSignature } from '../worker/webhook-signature.js';
import { call, createTenantClient, operatorToken, until, type Accepted, type Envelope, type TenantClient } from './api-client.js';
import { startAppliance, type Appliance } from './appliance.js';
import { readBody } from './read-body.js';

const LONDON = 'Europe/London';
const NY = 'America/New_York';
const SECRET = 'whsec-reminders-0123456789';
const inZone = (zone: string, iso: string): number => DateTime.fromISO(iso, { zone }).toMillis();

interface Hook { event: string; delivery: string; signature: string; body: string }
interface ReminderEvent { id: string; type: string; tenant_id: string; data: { reminder_id: string; patient_id: string; due_at: string; late: boolean; nag: number; delivery_id: string } }

const clock = new ManualClock(inZone(LONDON, '2027-06-01T08:00'));
const hooks: Hook[] = [];
let receiver: Server;
let app: Appliance;
let client: TenantClient;
let patientId: string;

/** First deliveries (nag 0) of reminder.due received so far, parsed. */
const dues = (): Array<{ hook: Hook; event: ReminderEvent }> => hooks
  .filter((h) => h.event === 'reminder.due')
  .map((h) => ({ hook: h, event: JSON.parse(h.body) as ReminderEvent }))
  .filter((x) => x.event.data.nag === 0);

/**
 * Moves the scheduler's clock to `to` until `done` holds. The dispatcher arms its timer after each
 * scan (asynchronously), so setting the clock again fires a timer armed after the last set.
 */
async function advanceUntil<T>(to: number, done: () => T | undefined): Promise<T> {
  return until(async () => {
    clock.set(to);
    return done();
  }, 30_000);
}

beforeAll(async () => {
  receiver = createServer(async (req, res) => {
    const body = await readBody(req);
    hooks.push({ event: String(req.headers['x-wardclerk-event']), delivery: String(req.headers['x-wardclerk-delivery']), signature: String(req.headers['x-wardclerk-signature']), body });
    res.writeHead(200).end();
  });
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  app = await startAppliance({ gateway: { clock } });
  client = await createTenantClient(app.url, await operatorToken(app.url, app.adminPassword), 'Reminder hooks', ['webhooks:manage', 'patients:read', 'patients:write']);
  const hook = await call<Envelope<{ id: string }>>(`${app.url}/api/v1/webhooks`, { method: 'POST', token: client.token,
    json: { url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`, events: ['reminder.due'], secret: SECRET } });
  expect(hook.status).toBe(201);
  const patient = await call<Envelope<{ patient_id: string }>>(`${app.url}/api/v1/patients`, { method: 'POST', token: client.token,
    json: { name: { family: 'Hook', given: ['Rema'] }, time_zone: LONDON } });
  expect(patient.status).toBe(201);
  patientId = patient.body.data.patient_id;
}, 120_000);
afterAll(async () => {
  await app?.close();
  receiver?.closeAllConnections();
  await new Promise((r) => receiver?.close(r));
});

describe('reminder.due as a signed webhook', () => {
  it('a due dose reaches the tenant subscriber, signed, at the injected clock\'s 09:00 in the patient\'s zone', async () => {
    const note = await call<Accepted & { note_id: string }>(`${app.url}/api/v1/patients/${patientId}/notes?note_date=2027-06-01`, {
      method: 'POST', token: client.token, json: { text: 'Diagnosis: type 2 diabetes.\nPlan: Tab Metformin 500 mg twice daily.' },
    });
    expect(note.status).toBe(202);
    await until(async () => {
      const r = await call<Envelope<{ status: string }>>(`${app.url}/api/v1/patients/${patientId}/notes/${note.body.note_id}`, { token: client.token });
      return r.body.data.status === 'processed';
    }, 30_000);
    expect(dues()).toEqual([]); // nothing is due at 08:00

    const first = await advanceUntil(inZone(LONDON, '2027-06-01T09:00'), () => dues()[0]);
    expect(first.event).toMatchObject({
      type: 'reminder.due', tenant_id: client.tenantId,
      data: { patient_id: patientId, due_at: new Date(inZone(LONDON, '2027-06-01T09:00')).toISOString(), late: false, nag: 0 },
    });
    expect(first.hook.delivery).toMatch(/\S/);
    expect(verifyWebhookSignature(SECRET, first.hook.signature, first.hook.body, 300)).toBe(true);
    expect(verifyWebhookSignature('whsec-not-the-secret-000', first.hook.signature, first.hook.body, 300)).toBe(false);
    expect(verifyWebhookSignature(SECRET, first.hook.signature, first.hook.body.replace('"nag":0', '"nag":1'), 300)).toBe(false);
    expect(first.hook.body).not.toMatch(/metformin|Rema|Hook/i); // ids and times only
  });

  it('after the patient moves to New York, the evening dose is due at 21:00 New York time', async () => {
    const moved = await call<Envelope<{ time_zone: string }>>(`${app.url}/api/v1/patients/${patientId}`, { method: 'PATCH', token: client.token, json: { time_zone: NY } });
    expect(moved.status).toBe(200);
    expect(moved.body.data.time_zone).toBe(NY);
    const evening = new Date(inZone(NY, '2027-06-01T21:00')).toISOString();
    const second = await advanceUntil(inZone(NY, '2027-06-01T21:00'), () => dues().find((d) => d.event.data.due_at === evening));
    expect(second.event.data).toMatchObject({ late: false, nag: 0 });
    expect(verifyWebhookSignature(SECRET, second.hook.signature, second.hook.body, 300)).toBe(true);
    // 21:00 London (16:00 New York) passed on the way without a dose: the evening dose moved, it was not doubled.
    expect(dues().map((d) => d.event.data.due_at)).toEqual([new Date(inZone(LONDON, '2027-06-01T09:00')).toISOString(), evening]);
    expect(new Set(dues().map((d) => d.event.data.reminder_id)).size).toBe(2);
  });
});
