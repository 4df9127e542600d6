/**
 * Reminder delivery over the real parts: a real nats-server (JetStream), the real event publisher
 * and outbox on a real store, the real WebSocket hub on an HTTP server. A due reminder reaches
 * the patient's own socket (and API-client sockets), never another patient's; the event holds ids
 * and times only; JetStream keeps one message per delivery id, however often it is published.
 * A patient socket that connects after a delivery gets the reminders due now as a catch-up before
 * `ready` (its own only, each delivery id once per socket).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { connectBus, type Bus } from '../core/bus.js';
import { loadConfig } from '../core/config.js';
import { STREAMS, type WardEvent } from '../core/contracts.js';
import { initCrypto } from '../core/crypto.js';
import { ensureStreams } from '../core/jetstream-setup.js';
import { createLogger } from '../core/logger.js';
import { createTokenService, type TokenService } from '../gateway/auth/token-service.js';
import { createEventPublisher, type EventPublisher } from '../gateway/events/publisher.js';
import { checkInReminder } from '../gateway/scheduler/check-in.js';
import { ManualClock } from '../gateway/scheduler/clock.js';
import { dueReminderEvents } from '../gateway/scheduler/due-catch-up.js';
import { createScheduler, type Scheduler } from '../gateway/scheduler/scheduler.js';
import { activity } from '../gateway/scheduler/testing/scheduler-kit.js';
import { tempStore, type TempStore } from '../gateway/store/testing/temp-store.js';
import { attachWsHub, type WsHub } from '../gateway/ws/hub.js';
import { startNatsServer, type NatsServerHandle } from './nats-server.js';

const log = createLogger({ level: 'silent', role: 'test' });
const at = (iso: string): number => DateTime.fromISO(iso, { zone: 'Europe/London' }).toMillis();
let nats: NatsServerHandle; let bus: Bus; let t: TempStore; let server: Server; let hub: WsHub; let events: EventPublisher; let scheduler: Scheduler;
let tokenService: TokenService;

beforeAll(async () => {
  await initCrypto();
  nats = await startNatsServer({ auth: false });
  bus = await connectBus({ url: nats.url, name: 'reminders-ws', log });
  await ensureStreams(bus.jsm, { itemMaxDeliver: 3, itemAckWaitMs: 1000, webhookBackoffMs: [100], webhookTimeoutMs: 1000 });
  t = await tempStore();
  events = createEventPublisher(bus.js, log, { outbox: t.store.outbox, sweepMs: 60_000 });
  scheduler = createScheduler({ repo: t.store.reminders, events, log, settings: t.store.settings, careTeam: async () => [], clock: new ManualClock(at('2027-10-01T08:00')) });
  server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const tokens = await createTokenService({ store: t.store, config: loadConfig({ WARDCLERK_DATA_DIR: t.dir }) });
  hub = attachWsHub(server, {
    tokens, nc: bus.nc, log, generate: { idleTimeoutMs: 1000 },
    catchUp: (tenantId, userId) => dueReminderEvents({ store: t.store, clock: scheduler.ctx.clock }, tenantId, userId),
  });
  tokenService = tokens;
});
afterAll(async () => {
  await scheduler?.close(); await hub?.close(); await new Promise((r) => server?.close(r));
  await events?.close(); await t?.[Symbol.asyncDispose](); await bus?.close(); await nats?.stop();
});

/** A socket with a token; resolves once the hub says `ready`. Collects event frames. */
async function socket(token: string): Promise<{ ws: WebSocket; got: WardEvent[] }> {
  const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}/api/v1/ws`;
  const ws = new WebSocket(url, ['wardclerk.v1', token]);
  const got: WardEvent[] = [];
  await new Promise<void>((ok, fail) => {
    ws.on('message', (m) => {
      const f = JSON.parse(String(m)) as { type: string; event?: WardEvent };
      if (f.type === 'ready') ok();
      if (f.type === 'event') got.push(f.event!);
    });
    ws.once('error', fail);
    ws.once('close', (code) => fail(new Error(`closed ${code}`)));
  });
  return { ws, got };
}

async function until(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('reminder.due over JetStream and the WebSocket hub', () => {
  it('reaches the patient and API clients only, with ids and times only, once per delivery id', async () => {
    const tokens = tokenService;
    const tenant = (await t.store.tenants.create({ name: 'ws' })).id;
    const patient = await t.store.patients.create(tenant, { name: { family: 'Sock', given: ['Et'] }, time_zone: 'Europe/London' }, { userId: 'usr_patient', createdBy: 'test' });
    const mine = await socket((await tokens.issueUserToken({ user_id: 'usr_patient', tenant_id: tenant, role: 'patient', sid: 'ses_a' })).access_token);
    const other = await socket((await tokens.issueUserToken({ user_id: 'usr_other', tenant_id: tenant, role: 'patient', sid: 'ses_b' })).access_token);
    const client = await socket((await tokens.issueClientToken({ client_id: 'cl_ws', tenant_id: tenant, scopes: [] })).access_token);
    const r = await scheduler.opsForActivation({ tenantId: tenant, patientId: patient.patient_id, carePlanId: 'cp_ws', audience: ['usr_patient'], zone: 'Europe/London',
      activities: [activity('a1', { repeat: { frequency: 1, period: 1, periodUnit: 'd', count: 1 } }, { title: 'Warfarin 5 mg' })], start: new Date(at('2027-10-01T08:00')) });
    await t.store.reminders.write(r.ops);
    (scheduler.ctx.clock as ManualClock).set(at('2027-10-01T10:30')); // the gateway was "down" at 09:00
    expect(await scheduler.dispatcher.runDue()).toBe(1);
    await until(() => client.got.length > 0 && mine.got.length > 0);
    const [ev] = mine.got;
    expect(ev).toMatchObject({ type: 'reminder.due', tenant_id: tenant, data: { patient_id: patient.patient_id, late: true, nag: 0, due_at: new Date(at('2027-10-01T09:00')).toISOString() } });
    expect(ev!.id).toBe(`${String(ev!.data.reminder_id)}.1`);
    expect(JSON.stringify(ev)).not.toMatch(/Warfarin|Sock/);
    expect(client.got.map((e) => e.id)).toEqual([ev!.id]);
    expect(other.got).toEqual([]); // delivered to the client socket in the same pass: the other patient got nothing
    // A second publish of the same delivery (an outbox replay after a crash) is dropped by JetStream.
    const count = async () => (await bus.jsm.streams.info(STREAMS.events.name)).state.messages;
    const before = await count();
    await events.publish(tenant, 'reminder.due', ev!.data, ev!.id, ['usr_patient']);
    expect(await count()).toBe(before);
    for (const s of [mine, other, client]) s.ws.close();
  });

  it('a patient socket opened after the delivery gets its due reminders before ready: its own, the latest delivery id, once per socket', async () => {
    const clock = scheduler.ctx.clock as ManualClock;
    clock.set(at('2027-10-02T08:00'));
    const tenant = (await t.store.tenants.create({ name: 'ws catch-up' })).id;
    const token = async (user: string, sid: string) => (await tokenService.issueUserToken({ user_id: user, tenant_id: tenant, role: 'patient', sid })).access_token;
    const plan = async (user: string, ids: string[]) => {
      const patient = await t.store.patients.create(tenant, { name: { family: 'Late', given: ['Lou'] }, time_zone: 'Europe/London' }, { userId: user, createdBy: 'test' });
      const r = await scheduler.opsForActivation({ tenantId: tenant, patientId: patient.patient_id, carePlanId: `cp_${user}`, audience: [user], zone: 'Europe/London',
        activities: ids.map((id) => activity(id, { repeat: { frequency: 1, period: 1, periodUnit: 'd', count: 1 } })), start: new Date(at('2027-10-02T08:00')) });
      await t.store.reminders.write(r.ops);
      return patient.patient_id;
    };
    const mine = await plan('usr_late', ['a1', 'a2']);
    await plan('usr_late_other', ['b1']);
    // Delivered at 10:30 for 09:00 (late) while no socket of the tenant is open: nothing hears it live.
    clock.set(at('2027-10-02T10:30'));
    await scheduler.dispatcher.runDue();
    const due = await t.store.reminders.listForPatient(tenant, mine, { from: 0, to: Number.MAX_SAFE_INTEGER, limit: 10 }, () => true);
    expect(due.map((r) => [r.activity_id, r.state, r.late])).toEqual(expect.arrayContaining([['a1', 'due', true], ['a2', 'due', true]]));
    const [answered, open] = [due.find((r) => r.activity_id === 'a2')!, due.find((r) => r.activity_id === 'a1')!];
    await checkInReminder(scheduler.ctx, tenant, mine, answered.reminder_id, { action: 'taken' });

    // On connecting, before ready: the one still due, as delivered (id, late); not the taken one, not the other patient's.
    const first = await socket(await token('usr_late', 'ses_late_1'));
    expect(first.got.map((e) => e.id)).toEqual([`${open.reminder_id}.1`]);
    expect(first.got[0]).toMatchObject({ type: 'reminder.due', tenant_id: tenant, data: { reminder_id: open.reminder_id, delivery_id: `${open.reminder_id}.1`, late: true, nag: 0, patient_id: mine } });
    const client = await socket((await tokenService.issueClientToken({ client_id: 'cl_catch_up', tenant_id: tenant, scopes: [] })).access_token);
    expect(client.got).toEqual([]); // an API client's socket gets no catch-up

    // The same delivery published again (an outbox replay) is not sent to that socket twice; the next one is.
    await events.publish(tenant, 'reminder.due', first.got[0]!.data, first.got[0]!.id, ['usr_late']);
    clock.set(at('2027-10-02T10:46')); // past the first nag
    await scheduler.dispatcher.runDue();
    const nag = `${open.reminder_id}.2`;
    await until(() => first.got.some((e) => e.id === nag) && client.got.some((e) => e.id === nag));
    expect(first.got.map((e) => e.id)).toEqual([`${open.reminder_id}.1`, nag]);
    expect(client.got.filter((e) => e.id === `${open.reminder_id}.1`)).toHaveLength(1); // the replay did reach the client socket

    // A socket opened now catches up with the latest delivery: the nag.
    const second = await socket(await token('usr_late', 'ses_late_2'));
    expect(second.got.map((e) => e.id)).toEqual([nag]);
    expect(second.got[0]!.data).toMatchObject({ delivery_id: nag, late: true, nag: 1 });
    for (const s of [first, client, second]) s.ws.close();
  });
});
