/**
 * The people REST routes on the real store, token service and access check: who sees which
 * patient, the 404 that an unassigned doctor gets (byte-for-byte the body of a missing patient),
 * choosing doctors, admin assignments, and bad input that stores nothing and leaks no PHI.
 */
import { Level } from 'level';
import { describe, expect, it } from 'vitest';
import { createPeopleFixture, type PeopleFixture } from './testing/people-fixture.js';

const MISSING = 'pt_00000000000000000000000000';
const patientBody = (over: Record<string, unknown> = {}) => ({
  name: { family: 'Okonkwo', given: ['Chidi'] }, birth_date: '1975-06-01', sex: 'male', time_zone: 'America/New_York', mrn: 'MRN-4471', ...over,
});

/** The error part of a response (the metadata carries a timestamp). */
const errorOf = (r: { body: any }) => r.body?.error;

async function world(f: PeopleFixture) {
  const tenant = await f.tenant('St Mary');
  const doctor = await f.person(tenant, 'doctor', 'Dr Ada Lovelace');
  const otherDoctor = await f.person(tenant, 'doctor', 'Dr Grace Hopper');
  const nurse = await f.person(tenant, 'nurse', 'Nurse Mary Seacole');
  const admin = await f.person(tenant, 'tenant_admin', 'Admin');
  const created = await f.call('POST', '/api/v1/patients', doctor.headers, patientBody());
  expect(created.status).toBe(201);
  return { tenant, doctor, otherDoctor, nurse, admin, patientId: created.body.data.patient_id as string };
}

describe('patients', () => {
  it('a doctor registers a patient, is assigned, and only assigned staff list or read them', async () => {
    await using f = await createPeopleFixture();
    const w = await world(f);
    const mine = await f.call('GET', '/api/v1/patients', w.doctor.headers);
    expect(mine.body.data.items.map((p: { patient_id: string }) => p.patient_id)).toEqual([w.patientId]);
    expect(mine.body.data.items[0]).toMatchObject({ name: { family: 'Okonkwo', given: ['Chidi'] }, mrn: 'MRN-4471', user_id: null, time_zone: 'America/New_York' });
    expect((await f.call('GET', '/api/v1/patients', w.otherDoctor.headers)).body.data.items).toEqual([]);
    expect((await f.call('GET', '/api/v1/patients', w.admin.headers)).body.data.items).toHaveLength(1);
    expect((await f.call('GET', `/api/v1/patients/${w.patientId}`, w.doctor.headers)).status).toBe(200);
    const fhir = await f.call('GET', `/api/v1/patients/${w.patientId}?format=fhir`, w.doctor.headers);
    expect(fhir.body.data).toMatchObject({
      resourceType: 'Patient', id: w.patientId, gender: 'male', birthDate: '1975-06-01',
      name: [{ family: 'Okonkwo', given: ['Chidi'] }], identifier: [{ type: { coding: [{ code: 'MR' }] }, value: 'MRN-4471' }],
    });
  });

  it('answers an unassigned doctor on every patient route exactly as for a missing patient', async () => {
    await using f = await createPeopleFixture();
    const w = await world(f);
    const routes: Array<[string, string, unknown]> = [
      ['GET', '/api/v1/patients/{id}', undefined],
      ['GET', '/api/v1/patients/{id}?format=fhir', undefined],
      ['PATCH', '/api/v1/patients/{id}', { time_zone: 'Europe/Paris' }],
    ];
    for (const [method, path, body] of routes) {
      const refused = await f.call(method, path.replace('{id}', w.patientId), w.otherDoctor.headers, body);
      const missing = await f.call(method, path.replace('{id}', MISSING), w.otherDoctor.headers, body);
      expect(refused.status).toBe(404);
      expect(errorOf(refused)).toEqual({ code: 'NOT_FOUND', message: 'No such patient', details: { resource: 'patient' } });
      expect(errorOf(refused)).toEqual(errorOf(missing));
      expect(refused.text.replace(/"timestamp":"[^"]*"/, '')).toBe(missing.text.replace(/"timestamp":"[^"]*"/, ''));
    }
    expect((await f.store.patients.get(w.tenant, w.patientId))?.time_zone).toBe('America/New_York');
    // MRN lookup: the same 404 for an MRN the caller may not see as for an unknown one.
    const hidden = await f.call('POST', '/api/v1/patients/lookup', w.otherDoctor.headers, { mrn: 'MRN-4471' });
    const unknown = await f.call('POST', '/api/v1/patients/lookup', w.otherDoctor.headers, { mrn: 'MRN-0000' });
    expect(hidden.status).toBe(404);
    expect(errorOf(hidden)).toEqual(errorOf(unknown));
    const found = await f.call('POST', '/api/v1/patients/lookup', w.doctor.headers, { mrn: ' mrn-4471 ' });
    expect(found.body.data.patient_id).toBe(w.patientId);
    expect((await f.call('POST', '/api/v1/patients/lookup', w.doctor.headers, { mrn: '' })).status).toBe(400);
  });

  it('gives a nurse access through an admin assignment, and takes it away on unassign', async () => {
    await using f = await createPeopleFixture();
    const w = await world(f);
    const url = `/api/v1/patients/${w.patientId}`;
    expect((await f.call('GET', url, w.nurse.headers)).status).toBe(404);
    const body = { staff_user_id: w.nurse.user.user_id, patient_id: w.patientId };
    expect((await f.call('POST', '/api/v1/admin/assignments', w.doctor.headers, body)).status).toBe(403);
    expect((await f.call('POST', '/api/v1/admin/assignments', w.admin.headers, body)).status).toBe(200);
    expect((await f.call('GET', url, w.nurse.headers)).status).toBe(200);
    const patched = await f.call('PATCH', url, w.nurse.headers, { time_zone: 'Europe/Berlin' });
    expect(patched.body.data.time_zone).toBe('Europe/Berlin');
    expect((await f.call('GET', '/api/v1/patients', w.nurse.headers)).body.data.items).toHaveLength(1);
    const q = `?staff_user_id=${body.staff_user_id}&patient_id=${body.patient_id}`;
    expect((await f.call('DELETE', `/api/v1/admin/assignments${q}`, w.admin.headers)).status).toBe(200);
    expect((await f.call('DELETE', `/api/v1/admin/assignments${q}`, w.admin.headers)).status).toBe(404);
    expect((await f.call('GET', url, w.nurse.headers)).status).toBe(404);
  });

  it('refuses bad assignments: a patient as staff, another tenant\'s doctor, a missing patient', async () => {
    await using f = await createPeopleFixture();
    const w = await world(f);
    const other = await f.tenant('Elsewhere');
    const foreignDoctor = await f.person(other, 'doctor');
    const patientUser = await f.person(w.tenant, 'patient');
    const post = (staff: string, patient: string) => f.call('POST', '/api/v1/admin/assignments', w.admin.headers, { staff_user_id: staff, patient_id: patient });
    expect(errorOf(await post(patientUser.user.user_id, w.patientId))).toMatchObject({ code: 'VALIDATION_FAILED', details: { reason: 'not_staff' } });
    expect(errorOf(await post(foreignDoctor.user.user_id, w.patientId))).toMatchObject({ code: 'NOT_FOUND', details: { resource: 'user' } });
    expect(errorOf(await post(w.otherDoctor.user.user_id, MISSING))).toMatchObject({ code: 'NOT_FOUND', details: { resource: 'patient' } });
    expect(await f.store.assignments.staffOf(w.tenant, w.patientId)).toEqual([w.doctor.user.user_id]);
  });

  it('rejects an unknown IANA zone, a duplicate MRN and malformed bodies, storing nothing and echoing no PHI', async () => {
    await using f = await createPeopleFixture();
    const w = await world(f);
    const count = async () => (await f.store.patients.list(w.tenant, { limit: 100 })).items.length;
    const zone = await f.call('POST', '/api/v1/patients', w.doctor.headers, patientBody({ time_zone: 'Atlantis/Capital', mrn: 'MRN-9' }));
    expect(zone.status).toBe(400);
    expect(errorOf(zone).code).toBe('INVALID_TIME_ZONE');
    const patchZone = await f.call('PATCH', `/api/v1/patients/${w.patientId}`, w.doctor.headers, { time_zone: 'Mars/Base' });
    expect(errorOf(patchZone).code).toBe('INVALID_TIME_ZONE');
    const dup = await f.call('POST', '/api/v1/patients', w.otherDoctor.headers, patientBody({ name: { family: 'Someone', given: [] }, mrn: 'mrn-4471' }));
    expect(dup.status).toBe(409);
    expect(errorOf(dup)).toMatchObject({ code: 'CONFLICT', details: { field: 'mrn', reason: 'duplicate_mrn' } });
    expect(dup.text.toLowerCase()).not.toContain('mrn-4471');
    for (const bad of [{}, { ...patientBody(), name: 'Chidi' }, patientBody({ birth_date: '1975-13-45' }), patientBody({ sex: 'robot' }), '{"name":']) {
      const r = await f.call('POST', '/api/v1/patients', w.doctor.headers, bad);
      expect([400]).toContain(r.status);
      expect(r.text).not.toContain('Okonkwo');
    }
    expect(await count()).toBe(1);
    // The rejected doctor got no assignment either.
    expect((await f.store.assignments.patientsOf(w.tenant, w.otherDoctor.user.user_id, { limit: 10 })).ids).toEqual([]);
    expect((await f.store.patients.get(w.tenant, w.patientId))?.time_zone).toBe('America/New_York');
  });

  it('lets clients in by scope and keeps patients out of other patients and the list', async () => {
    await using f = await createPeopleFixture();
    const w = await world(f);
    const reader = await f.client(w.tenant, ['patients:read']);
    expect((await f.call('GET', '/api/v1/patients', reader)).body.data.items).toHaveLength(1);
    expect((await f.call('GET', `/api/v1/patients/${w.patientId}`, reader)).status).toBe(200);
    expect((await f.call('PATCH', `/api/v1/patients/${w.patientId}`, reader, { sex: 'other' })).status).toBe(404);
    expect((await f.call('POST', '/api/v1/patients', reader, patientBody({ mrn: null }))).status).toBe(403);
    const writer = await f.client(w.tenant, ['patients:write']);
    expect((await f.call('POST', '/api/v1/patients', writer, patientBody({ mrn: 'MRN-C' }))).status).toBe(201);
    expect((await f.call('GET', '/api/v1/patients', await f.client(w.tenant, ['prescriptions:read']))).status).toBe(403);
    const foreign = await f.client(await f.tenant('Other'), ['patients:read', 'patients:write']);
    expect((await f.call('GET', `/api/v1/patients/${w.patientId}`, foreign)).status).toBe(404);

    const alice = await f.person(w.tenant, 'patient', 'Alice Smith');
    const bob = await f.person(w.tenant, 'patient', 'Bob Jones');
    const aliceRec = (await f.call('GET', '/api/v1/me/patient', alice.headers)).body.data;
    expect(aliceRec).toMatchObject({ user_id: alice.user.user_id, name: { family: 'Smith', given: ['Alice'] }, time_zone: 'UTC' });
    expect((await f.call('GET', '/api/v1/me/patient', alice.headers)).body.data.patient_id).toBe(aliceRec.patient_id);
    expect((await f.store.users.get(w.tenant, alice.user.user_id))?.patient_id).toBe(aliceRec.patient_id);
    expect((await f.call('PATCH', `/api/v1/patients/${aliceRec.patient_id}`, alice.headers, { time_zone: 'Asia/Kolkata' })).body.data.time_zone).toBe('Asia/Kolkata');
    expect((await f.call('PATCH', `/api/v1/patients/${aliceRec.patient_id}`, alice.headers, { mrn: 'MINE-1' })).status).toBe(403);
    expect((await f.store.patients.get(w.tenant, aliceRec.patient_id))?.mrn).toBeNull();
    const peek = await f.call('GET', `/api/v1/patients/${aliceRec.patient_id}`, bob.headers);
    expect(peek.status).toBe(404);
    expect(errorOf(peek)).toEqual({ code: 'NOT_FOUND', message: 'No such patient', details: { resource: 'patient' } });
    expect((await f.call('GET', '/api/v1/patients', bob.headers)).status).toBe(403);
    expect((await f.call('POST', '/api/v1/patients', bob.headers, patientBody({ mrn: null }))).status).toBe(403);
    expect((await f.call('GET', '/api/v1/me/patient', w.doctor.headers)).status).toBe(403);
  });
});

describe('doctors', () => {
  it('a patient lists doctors (ids and names only), chooses them, and removes one', async () => {
    await using f = await createPeopleFixture();
    const w = await world(f);
    const alice = await f.person(w.tenant, 'patient', 'Alice Smith');
    const list = await f.call('GET', '/api/v1/doctors', alice.headers);
    expect(list.status).toBe(200);
    for (const d of list.body.data.items) expect(Object.keys(d).sort()).toEqual(['display_name', 'user_id']);
    expect(list.body.data.items.map((d: { display_name: string }) => d.display_name).sort()).toEqual(['Dr Ada Lovelace', 'Dr Grace Hopper']);

    const chosen = await f.call('POST', '/api/v1/me/doctors', alice.headers, { doctor_ids: [w.doctor.user.user_id, w.otherDoctor.user.user_id] });
    expect(chosen.status).toBe(200);
    expect(chosen.body.data.items).toHaveLength(2);
    const me = (await f.call('GET', '/api/v1/me/patient', alice.headers)).body.data;
    expect((await f.call('GET', `/api/v1/patients/${me.patient_id}`, w.otherDoctor.headers)).status).toBe(200);
    expect((await f.call('DELETE', `/api/v1/me/doctors/${w.otherDoctor.user.user_id}`, alice.headers)).body.data.items).toEqual([
      { user_id: w.doctor.user.user_id, display_name: 'Dr Ada Lovelace' },
    ]);
    expect((await f.call('DELETE', `/api/v1/me/doctors/${w.otherDoctor.user.user_id}`, alice.headers)).status).toBe(404);
    expect((await f.call('GET', `/api/v1/patients/${me.patient_id}`, w.otherDoctor.headers)).status).toBe(404);
    expect((await f.call('GET', '/api/v1/me/doctors', alice.headers)).body.data.items).toHaveLength(1);
  });

  it("refuses a doctor of another tenant and a non-doctor, storing none of the request's choices", async () => {
    await using f = await createPeopleFixture();
    const w = await world(f);
    const other = await f.tenant('Elsewhere');
    const foreign = await f.person(other, 'doctor', 'Dr Foreign');
    const alice = await f.person(w.tenant, 'patient', 'Alice Smith');
    const cross = await f.call('POST', '/api/v1/me/doctors', alice.headers, { doctor_ids: [w.doctor.user.user_id, foreign.user.user_id] });
    expect(cross.status).toBe(404);
    expect(errorOf(cross)).toEqual({ code: 'NOT_FOUND', message: 'No such doctor', details: { resource: 'doctor' } });
    const nurse = await f.call('POST', '/api/v1/me/doctors', alice.headers, { doctor_ids: [w.doctor.user.user_id, w.nurse.user.user_id] });
    expect(nurse.status).toBe(400);
    expect(errorOf(nurse)).toMatchObject({ code: 'VALIDATION_FAILED', details: { reason: 'not_a_doctor' } });
    for (const bad of [{ doctor_ids: [] }, { doctor_ids: 'x' }, {}, { doctor_ids: Array.from({ length: 11 }, (_, i) => `usr_${i}`) }]) {
      expect((await f.call('POST', '/api/v1/me/doctors', alice.headers, bad)).status).toBe(400);
    }
    expect((await f.call('GET', '/api/v1/me/doctors', alice.headers)).body.data.items).toEqual([]);
    const me = await f.store.patients.findByUser(w.tenant, alice.user.user_id);
    expect(await f.store.assignments.staffOf(w.tenant, me!.patient_id)).toEqual([]);
    expect((await f.call('POST', '/api/v1/me/doctors', w.doctor.headers, { doctor_ids: [w.otherDoctor.user.user_id] })).status).toBe(403);
  });

  it('writes no PHI (names, MRN, birth date) into the captured logs', async () => {
    await using f = await createPeopleFixture();
    const w = await world(f);
    const alice = await f.person(w.tenant, 'patient', 'Alice Zebedee');
    await f.call('GET', '/api/v1/me/patient', alice.headers);
    await f.call('POST', '/api/v1/patients', w.doctor.headers, patientBody());
    await f.call('POST', '/api/v1/patients', w.doctor.headers, patientBody({ time_zone: 'Nowhere/Land' }));
    await f.call('GET', `/api/v1/patients/${w.patientId}`, w.otherDoctor.headers);
    expect(f.logLines.length).toBeGreaterThan(3);
    const all = f.logLines.join('\n');
    const phi = ['Okonkwo', 'Chidi', 'MRN-4471', '1975-06-01', 'Zebedee', 'Lovelace'];
    for (const p of phi) expect(all).not.toContain(p);
    // Nor into any LevelDB key (random ids and blind indexes only), nor any value as plaintext.
    await f.store.close();
    const db = new Level<string, Buffer>(f.storeDir, { keyEncoding: 'utf8', valueEncoding: 'buffer' });
    let keys = 0;
    try {
      for await (const [k, v] of db.iterator()) {
        keys++;
        for (const p of phi) {
          expect(k.toLowerCase()).not.toContain(p.toLowerCase());
          expect(v.includes(Buffer.from(p))).toBe(false);
        }
      }
    } finally {
      await db.close();
    }
    expect(keys).toBeGreaterThan(10);
  });
});
