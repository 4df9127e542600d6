/**
 * GraphQL people operations against REST on the same app and the same real store: the same
 * answers, the same permission outcomes, the same error codes (an unassigned doctor: NOT_FOUND).
 */
import { describe, expect, it } from 'vitest';
import type { GatewayDeps } from '../http/deps.js';
import { createPeopleFixture, type PeopleFixture } from '../people/testing/people-fixture.js';
import { graphqlCaller } from './testing/graphql-fixture.js';
import { registerGraphqlRoutes } from './routes.js';

async function withGraphql() {
  const f = await createPeopleFixture();
  registerGraphqlRoutes(f.app, { store: f.store, tokens: f.tokens, sessionKeys: f.sessionKeys } as Partial<GatewayDeps> as GatewayDeps);
  return Object.assign(f, { gql: graphqlCaller(f.app) });
}

const PATIENT_FIELDS = 'patient_id user_id name { family given } birth_date sex time_zone mrn created_at updated_at';
const REGISTER = `mutation($input: PatientInput!) { registerPatient(input: $input) { ${PATIENT_FIELDS} } }`;
const INPUT = { name: { family: 'Okafor', given: ['Adaeze'] }, birth_date: '1975-06-01', sex: 'female', time_zone: 'Europe/London', mrn: 'MRN-1001' };

async function people(f: PeopleFixture) {
  const tenant = await f.tenant();
  return {
    tenant,
    doctorA: await f.person(tenant, 'doctor', 'Dr A'),
    doctorB: await f.person(tenant, 'doctor', 'Dr B'),
    patient: await f.person(tenant, 'patient'),
    admin: await f.person(tenant, 'tenant_admin'),
  };
}

describe('GraphQL patients, as REST', () => {
  it('a doctor registers a patient; REST and GraphQL read the same record; an unassigned doctor gets NOT_FOUND from both', async () => {
    await using f = await withGraphql();
    const p = await people(f);
    const reg = await f.gql(p.doctorA.headers, REGISTER, { input: INPUT });
    expect(reg.body.errors).toBeUndefined();
    const created = reg.body.data!.registerPatient;
    expect(created).toMatchObject({ name: INPUT.name, time_zone: 'Europe/London', user_id: null, mrn: 'MRN-1001' });

    const rest = await f.call('GET', `/api/v1/patients/${created.patient_id}`, p.doctorA.headers);
    expect(rest.status).toBe(200);
    expect(rest.body.data).toEqual(created);
    const one = await f.gql(p.doctorA.headers, `query($id: ID!) { patient(id: $id) { ${PATIENT_FIELDS} } }`, { id: created.patient_id });
    expect(one.body.data!.patient).toEqual(created);

    const restB = await f.call('GET', `/api/v1/patients/${created.patient_id}`, p.doctorB.headers);
    const gqlB = await f.gql(p.doctorB.headers, 'query($id: ID!) { patient(id: $id) { patient_id name { family } } }', { id: created.patient_id });
    const missing = await f.gql(p.doctorB.headers, 'query($id: ID!) { patient(id: $id) { patient_id } }', { id: 'pt_01JD6Q6T0Y5Z3C8V4J9W2K7M1N' });
    expect(restB.status).toBe(404);
    expect(gqlB.status).toBe(200);
    expect(gqlB.body.data).toBeNull();
    const err = gqlB.body.errors![0]!;
    expect(err.extensions).toEqual({ code: restB.body.error.code, status: 404, details: restB.body.error.details });
    expect(err.extensions.details).toEqual({ resource: 'patient' });
    expect(err.message).toBe(restB.body.error.message);
    expect(err.path).toEqual(['patient']);
    // Exactly what a patient that does not exist looks like.
    expect({ ...missing.body.errors![0], locations: undefined }).toEqual({ ...err, locations: undefined });
    expect(JSON.stringify(gqlB.body)).not.toContain('Okafor');

    const listA = await f.gql(p.doctorA.headers, '{ patients { items { patient_id } next_cursor } }');
    const listB = await f.gql(p.doctorB.headers, '{ patients { items { patient_id } next_cursor } }');
    expect(listA.body.data!.patients).toEqual({ items: [{ patient_id: created.patient_id }], next_cursor: null });
    expect(listB.body.data!.patients).toEqual({ items: [], next_cursor: null });
    const byMrn = 'query($m: String!) { patientByMrn(mrn: $m) { patient_id } }';
    expect((await f.gql(p.doctorA.headers, byMrn, { m: 'MRN-1001' })).body.data!.patientByMrn).toEqual({ patient_id: created.patient_id });
    const mrnB = await f.gql(p.doctorB.headers, byMrn, { m: 'MRN-1001' });
    const restMrnB = await f.call('POST', '/api/v1/patients/lookup', p.doctorB.headers, { mrn: 'MRN-1001' });
    expect(mrnB.body.errors![0]!.extensions).toEqual({ code: 'NOT_FOUND', status: restMrnB.status, details: restMrnB.body.error.details });
    expect(JSON.stringify(mrnB.body)).not.toContain('MRN-1001');
    const restList = await f.call('GET', '/api/v1/patients', p.doctorA.headers);
    expect(restList.body.data.items.map((i: { patient_id: string }) => i.patient_id)).toEqual([created.patient_id]);
  });

  it('refuses who REST refuses, with the same codes', async () => {
    await using f = await withGraphql();
    const p = await people(f);
    const op = { 'content-type': 'application/json', authorization: `Bearer ${(await f.tokens.issueOperatorToken('op_1')).access_token}` };
    const noScope = await f.client(p.tenant, ['jobs:read']);
    const reader = await f.client(p.tenant, ['patients:read']);
    for (const [who, headers, code] of [
      ['operator', op, 'FORBIDDEN'],
      ['patient', p.patient.headers, 'FORBIDDEN'],
      ['client without patients:read', noScope, 'FORBIDDEN'],
    ] as const) {
      const g = await f.gql(headers, '{ patients { items { patient_id } } }');
      const r = await f.call('GET', '/api/v1/patients', headers);
      expect(g.body.errors?.[0]?.extensions.code, who).toBe(code);
      expect(r.body.error.code, who).toBe(code);
    }
    expect((await f.gql(reader, '{ patients { items { patient_id } } }')).body.data!.patients.items).toEqual([]);
    const asPatient = await f.gql(p.patient.headers, REGISTER, { input: INPUT });
    expect(asPatient.body.errors![0]!.extensions.code).toBe('FORBIDDEN');
  });

  it('bad input is a coded error, stores nothing, and no value reaches the message or the logs', async () => {
    await using f = await withGraphql();
    const p = await people(f);
    const zone = await f.gql(p.doctorA.headers, REGISTER, { input: { ...INPUT, time_zone: 'Mars/Olympus_Mons' } });
    expect(zone.body.errors![0]!.extensions.code).toBe('INVALID_TIME_ZONE');
    const date = await f.gql(p.doctorA.headers, REGISTER, { input: { ...INPUT, birth_date: '2999-01-01' } });
    expect(date.body.errors![0]!.extensions).toMatchObject({ code: 'VALIDATION_FAILED', status: 400 });
    expect(date.body.errors![0]!.extensions.details.issues).toEqual([expect.objectContaining({ path: 'birth_date' })]);
    // graphql-js rejects a variable of the wrong shape before any resolver; its message quotes nothing.
    const coerced = await f.gql(p.doctorA.headers, REGISTER, { input: { ...INPUT, sex: 'Adaeze Okafor' } });
    expect(coerced.status).toBe(400);
    expect(coerced.body.errors![0]!.extensions.code).toBe('VALIDATION_FAILED');
    const literal = await f.gql(p.doctorA.headers, 'mutation { registerPatient(input: { name: { family: "Okafor", given: [] }, time_zone: 42 }) { patient_id } }');
    expect(literal.status).toBe(400);
    // (A time zone is not PHI: INVALID_TIME_ZONE names it in details, on REST too.)
    for (const r of [zone, date, coerced, literal]) expect(JSON.stringify(r.body)).not.toMatch(/Okafor|Adaeze|2999/);
    expect(f.logLines.join('')).not.toMatch(/Okafor|Adaeze|MRN-1001/);
    const dup1 = await f.gql(p.doctorA.headers, REGISTER, { input: INPUT });
    const dup2 = await f.gql(p.doctorA.headers, REGISTER, { input: { ...INPUT, name: { family: 'Other', given: [] } } });
    expect(dup1.body.errors).toBeUndefined();
    expect(dup2.body.errors![0]!.extensions.code).toBe('CONFLICT');
    expect((await f.call('GET', '/api/v1/patients', p.admin.headers)).body.data.items).toHaveLength(1);
  });

  it('a page limit out of range is VALIDATION_FAILED on limit, as REST', async () => {
    await using f = await withGraphql();
    const p = await people(f);
    const rest = await f.call('GET', '/api/v1/patients?limit=101', p.admin.headers);
    expect(rest.body.error.code).toBe('VALIDATION_FAILED');
    for (const query of ['{ patients(limit: 101) { next_cursor } }', '{ doctors(limit: 0) { next_cursor } }']) {
      const r = await f.gql(p.admin.headers, query);
      expect(r.body.errors![0]!.extensions, query).toMatchObject({ code: 'VALIDATION_FAILED', details: { issues: [expect.objectContaining({ path: 'limit' })] } });
    }
    expect((await f.gql(p.admin.headers, '{ patients(limit: 100) { next_cursor } }')).body.errors).toBeUndefined();
  });
});

describe('GraphQL doctors and assignments, as REST', () => {
  it('a patient chooses a doctor, who then sees them; another tenant\'s doctor is NOT_FOUND; an admin assigns and unassigns', async () => {
    await using f = await withGraphql();
    const p = await people(f);
    const other = await f.person(await f.tenant('Elsewhere'), 'doctor');
    const doctors = await f.gql(p.patient.headers, '{ doctors { items { user_id display_name } next_cursor } }');
    expect(doctors.body.data!.doctors.items.map((d: { display_name: string }) => d.display_name).sort()).toEqual(['Dr A', 'Dr B']);
    expect(doctors.body.data!.doctors).toEqual((await f.call('GET', '/api/v1/doctors', p.patient.headers)).body.data);

    const foreign = await f.gql(p.patient.headers, 'mutation($ids: [ID!]!) { chooseDoctors(doctor_ids: $ids) { user_id } }', { ids: [p.doctorA.user.user_id, other.user.user_id] });
    expect(foreign.body.errors![0]!.extensions).toMatchObject({ code: 'NOT_FOUND', details: { resource: 'doctor' } });
    expect((await f.gql(p.patient.headers, '{ myDoctors { user_id } }')).body.data!.myDoctors).toEqual([]);

    const chose = await f.gql(p.patient.headers, 'mutation($ids: [ID!]!) { chooseDoctors(doctor_ids: $ids) { user_id display_name } }', { ids: [p.doctorA.user.user_id] });
    expect(chose.body.data!.chooseDoctors).toEqual([{ user_id: p.doctorA.user.user_id, display_name: 'Dr A' }]);
    const mine = await f.gql(p.patient.headers, '{ myPatient { patient_id user_id } }');
    const patientId = mine.body.data!.myPatient.patient_id;
    expect(mine.body.data!.myPatient.user_id).toBe(p.patient.user.user_id);
    expect((await f.gql(p.doctorA.headers, '{ patients { items { patient_id } } }')).body.data!.patients.items).toEqual([{ patient_id: patientId }]);

    const q = 'query($id: ID!) { patient(id: $id) { patient_id } }';
    expect((await f.gql(p.doctorB.headers, q, { id: patientId })).body.errors![0]!.extensions.code).toBe('NOT_FOUND');
    const assign = 'mutation($i: AssignmentInput!) { assignStaff(input: $i) { staff_user_id patient_id } }';
    const input = { staff_user_id: p.doctorB.user.user_id, patient_id: patientId };
    expect((await f.gql(p.doctorA.headers, assign, { i: input })).body.errors![0]!.extensions.code).toBe('FORBIDDEN');
    expect((await f.gql(p.admin.headers, assign, { i: input })).body.data!.assignStaff).toEqual(input);
    expect((await f.gql(p.doctorB.headers, q, { id: patientId })).body.data!.patient).toEqual({ patient_id: patientId });
    const unassign = 'mutation($i: AssignmentInput!) { unassignStaff(input: $i) }';
    expect((await f.gql(p.admin.headers, unassign, { i: input })).body.data!.unassignStaff).toBe(true);
    expect((await f.gql(p.admin.headers, unassign, { i: input })).body.errors![0]!.extensions).toMatchObject({ code: 'NOT_FOUND', details: { resource: 'assignment' } });
    expect((await f.gql(p.doctorB.headers, q, { id: patientId })).body.errors![0]!.extensions.code).toBe('NOT_FOUND');

    expect((await f.gql(p.patient.headers, 'mutation($d: ID!) { dropDoctor(doctor_id: $d) }', { d: p.doctorA.user.user_id })).body.data!.dropDoctor).toBe(true);
    expect((await f.gql(p.doctorA.headers, q, { id: patientId })).body.errors![0]!.extensions.code).toBe('NOT_FOUND');
  });
});
