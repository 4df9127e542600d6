/**
 * Secure messages end to end on real parts: a real nats-server (JetStream) behind the event
 * outbox, the real encrypted store, real X25519 keys held in session memory. A patient and their
 * doctor exchange a message; `message.received` (ids only) goes to the recipient; outsiders get
 * the missing-patient 404; a replaced keypair reads `key_reset`; and the data dir plus the master
 * key opens the outer seal but never the body.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectBus, decodeJson, type Bus } from '../../core/bus.js';
import { ensureStreams } from '../../core/jetstream-setup.js';
import { createLogger } from '../../core/logger.js';
import { startNatsServer, type NatsServerHandle } from '../../test/nats-server.js';
import { newKeypair } from '../auth/key-sealing.js';
import { createEventPublisher } from '../events/publisher.js';
import { openStore } from '../store/store.js';
import { SEAL_OVERHEAD } from './messages-crypto.js';
import { createPeopleFixture, type PeopleFixture } from './testing/people-fixture.js';

const log = createLogger({ level: 'silent', role: 'test' });
let nats: NatsServerHandle;
let bus: Bus;

beforeAll(async () => {
  nats = await startNatsServer({ auth: false });
  bus = await connectBus({ url: nats.url, name: 'messages-test', log });
  await ensureStreams(bus.jsm, { itemMaxDeliver: 3, itemAckWaitMs: 1000, webhookBackoffMs: [100], webhookTimeoutMs: 1000 });
});
afterAll(async () => {
  await bus?.close();
  await nats?.stop();
});

const fixture = () => createPeopleFixture({ events: (store) => createEventPublisher(bus.js, log, { outbox: store.outbox, sweepMs: 60_000 }) });

async function world(f: PeopleFixture) {
  const tenant = await f.tenant();
  const doctor = await f.person(tenant, 'doctor', 'Dr Ada Lovelace');
  const nurse = await f.person(tenant, 'nurse', 'Nurse Mary Seacole');
  const stranger = await f.person(tenant, 'doctor', 'Dr Unassigned');
  const admin = await f.person(tenant, 'tenant_admin');
  const patient = await f.person(tenant, 'patient', 'Alice Smith');
  expect((await f.call('POST', '/api/v1/me/doctors', patient.headers, { doctor_ids: [doctor.user.user_id] })).status).toBe(200);
  const patientId = (await f.call('GET', '/api/v1/me/patient', patient.headers)).body.data.patient_id as string;
  expect((await f.call('POST', '/api/v1/admin/assignments', admin.headers, { staff_user_id: nurse.user.user_id, patient_id: patientId })).status).toBe(200);
  return { tenant, doctor, nurse, stranger, admin, patient, patientId, url: `/api/v1/patients/${patientId}/messages` };
}

/** Collects events published on the tenant's subjects. */
function watchEvents(tenant: string): { events: any[]; stop(): void } {
  const events: any[] = [];
  const sub = bus.nc.subscribe(`wc.events.${tenant}.>`);
  void (async () => {
    for await (const m of sub) events.push(decodeJson(m.data));
  })();
  return { events, stop: () => sub.unsubscribe() };
}

async function until(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('secure messages', () => {
  it('documents every people route in OpenAPI, and that a password reset makes old messages unreadable', async () => {
    await using f = await fixture();
    const doc = f.app.getOpenAPI31Document({ openapi: '3.1.0', info: { title: 'WardClerk', version: 'test' } });
    const paths = Object.keys(doc.paths ?? {});
    for (const p of ['/api/v1/patients', '/api/v1/patients/lookup', '/api/v1/patients/{id}', '/api/v1/me/patient', '/api/v1/doctors', '/api/v1/me/doctors', '/api/v1/me/doctors/{id}', '/api/v1/admin/assignments', '/api/v1/patients/{id}/messages']) {
      expect(paths).toContain(p);
    }
    const messages = doc.paths!['/api/v1/patients/{id}/messages']!;
    expect(messages.post?.description).toMatch(/password reset .* unreadable/);
    expect(messages.get?.description).toMatch(/key_reset/);
  });

  it('a patient and their doctor exchange sealed messages; the recipient gets message.received (ids only)', async () => {
    await using f = await fixture();
    const w = await world(f);
    const watch = watchEvents(w.tenant);
    const text = 'My ankle still hurts after the new tablets';
    const sent = await f.call('POST', w.url, w.patient.headers, { recipient_id: w.doctor.user.user_id, text });
    expect(sent.status).toBe(201);
    expect(sent.body.data).toMatchObject({ sender_id: w.patient.user.user_id, recipient_id: w.doctor.user.user_id, readable: true, text });
    const reply = await f.call('POST', w.url, w.doctor.headers, { text: 'Stop them and come in tomorrow' });
    expect(reply.body.data.recipient_id).toBe(w.patient.user.user_id);

    const asDoctor = (await f.call('GET', w.url, w.doctor.headers)).body.data.items;
    expect(asDoctor.map((m: { text: string }) => m.text)).toEqual([text, 'Stop them and come in tomorrow']);
    const asPatient = (await f.call('GET', w.url, w.patient.headers)).body.data.items;
    expect(asPatient.every((m: { readable: boolean }) => m.readable)).toBe(true);
    expect(asPatient).toHaveLength(2);
    // The nurse is on the team but took no part in this conversation: she sees none of it.
    expect((await f.call('GET', w.url, w.nurse.headers)).body.data.items).toEqual([]);

    await until(() => watch.events.length >= 2);
    watch.stop();
    const first = watch.events.find((e) => e.data.message_id === sent.body.data.message_id);
    expect(first).toMatchObject({ type: 'message.received', audience: { user_ids: [w.doctor.user.user_id] } });
    expect(Object.keys(first.data).sort()).toEqual(['message_id', 'patient_id']);
    expect(JSON.stringify(watch.events)).not.toContain('ankle');
    expect(f.logLines.join('\n')).not.toContain('ankle');
  });

  it('a nurse on the care team writes to the patient; outsiders get the missing-patient 404; others are refused', async () => {
    await using f = await fixture();
    const w = await world(f);
    const fromNurse = await f.call('POST', w.url, w.nurse.headers, { text: 'Bring your glucose diary' });
    expect(fromNurse.status).toBe(201);
    const items = (await f.call('GET', w.url, w.patient.headers)).body.data.items;
    expect(items.map((m: { text: string; sender_id: string }) => [m.sender_id, m.text])).toEqual([[w.nurse.user.user_id, 'Bring your glucose diary']]);

    const missingUrl = '/api/v1/patients/pt_00000000000000000000000000/messages';
    for (const [method, body] of [['GET', undefined], ['POST', { text: 'hello' }]] as const) {
      const refused = await f.call(method, w.url, w.stranger.headers, body);
      const missing = await f.call(method, missingUrl, w.stranger.headers, body);
      expect(refused.status).toBe(404);
      expect(refused.body.error).toEqual({ code: 'NOT_FOUND', message: 'No such patient', details: { resource: 'patient' } });
      expect(refused.body.error).toEqual(missing.body.error);
    }
    const otherPatient = await f.person(w.tenant, 'patient', 'Bob Jones');
    expect((await f.call('GET', w.url, otherPatient.headers)).status).toBe(404);
    expect((await f.call('POST', w.url, w.admin.headers, { text: 'hi' })).status).toBe(403);
    expect((await f.call('GET', w.url, await f.client(w.tenant, ['patients:read']))).status).toBe(403);
    const offTeam = await f.call('POST', w.url, w.patient.headers, { recipient_id: w.stranger.user.user_id, text: 'hi' });
    expect(offTeam.body.error).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'recipient_id' } });
    for (const text of ['', '   ', 'x'.repeat(10_001)]) {
      expect((await f.call('POST', w.url, w.doctor.headers, { text })).status).toBe(400);
    }
    // Only the nurse's one message was stored.
    expect((await f.call('GET', w.url, w.nurse.headers)).body.data.items).toHaveLength(1);
    expect((await f.call('GET', w.url, w.doctor.headers)).body.data.items).toEqual([]);
  });

  it('says key_reset for messages sealed to a replaced keypair, and session_locked without a session key', async () => {
    await using f = await fixture();
    const w = await world(f);
    await f.call('POST', w.url, w.doctor.headers, { text: 'Before the reset' });
    // What an admin password reset does to the account: a new keypair, a higher key_version.
    const kp = newKeypair();
    await f.store.users.update(w.tenant, w.patient.user.user_id, (rec) => ({ rec: { ...rec, public_key: kp.publicKey, key_version: rec.key_version + 1 } }));
    f.sessionKeys.put(w.patient.sid, w.patient.user.user_id, kp.privateKey, Date.now() + 60_000);
    await f.call('POST', w.url, w.doctor.headers, { text: 'After the reset' });
    const items = (await f.call('GET', w.url, w.patient.headers)).body.data.items;
    expect(items.map((m: any) => (m.readable ? m.text : m.reason))).toEqual(['key_reset', 'After the reset']);
    expect(items[0].text).toBeUndefined();
    f.sessionKeys.drop(w.patient.sid);
    const locked = (await f.call('GET', w.url, w.patient.headers)).body.data.items;
    expect(locked.map((m: any) => m.reason)).toEqual(['key_reset', 'session_locked']);
  });

  it('a copy of the data dir plus the master key opens the outer seal but never a message body', async () => {
    await using f = await fixture();
    const w = await world(f);
    const text = 'CONFIDENTIAL-d41d8cd9 please call me';
    await f.call('POST', w.url, w.patient.headers, { recipient_id: w.doctor.user.user_id, text });
    const rec = await f.store.users.get(w.tenant, w.patient.user.user_id);
    await f.store.close();

    const stolen = await openStore({ dir: f.storeDir, masterKey: f.masterKey });
    try {
      // With the master key the patient layer opens: the record is there, the body is not.
      const page = await stolen.messages.listFor(w.tenant, w.patientId, w.patient.user.user_id, { limit: 10 });
      expect(page.items).toHaveLength(1);
      const stored = page.items[0]!;
      expect(JSON.stringify(stored)).not.toContain('CONFIDENTIAL');
      expect(stored.copies.map((c) => c.user_id).sort()).toEqual([w.doctor.user.user_id, w.patient.user.user_id].sort());
      for (const copy of stored.copies) {
        const box = Buffer.from(copy.sealed_box, 'base64');
        expect(box.length).toBe(Buffer.byteLength(text) + SEAL_OVERHEAD);
        expect(box.includes(Buffer.from('CONFIDENTIAL'))).toBe(false);
      }
      // The only key material the store holds for the users is password-sealed.
      expect(rec?.sealed_private_key.alg).toBe('argon2id+xchacha20poly1305');
    } finally {
      await stolen.close();
    }
    for (const entry of await readdir(f.storeDir, { recursive: true, withFileTypes: true })) {
      if (entry.isFile()) expect((await readFile(join(entry.parentPath, entry.name))).includes(Buffer.from('CONFIDENTIAL'))).toBe(false);
    }
  });
});
