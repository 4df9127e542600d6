/**
 * GraphQL on the whole appliance (real nats-server, gateway, engine and worker, LevelDB on disk,
 * real HTTP): the served documents (OpenAPI lists the issue-8 REST routes and the GraphQL route;
 * the SDL parses and holds the types), auth and limits on the real gateway, and the care loop
 * driven through GraphQL alone.
 */
import { buildSchema, type GraphQLObjectType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createTenantClient, operatorToken, until, type ApiError, type Envelope, type TenantClient } from './api-client.js';
import { startAppliance, type Appliance } from './appliance.js';

let app: Appliance;
let opToken: string;
let client: TenantClient;

beforeAll(async () => {
  app = await startAppliance();
  opToken = await operatorToken(app.url, app.adminPassword);
  client = await createTenantClient(app.url, opToken, 'GraphQL clinic');
});
afterAll(async () => {
  await app?.close();
});

/** A GraphQL error as the gateway maps it. */
interface GqlError { message: string; extensions: { code: string; status: number; details?: Record<string, unknown> } }
/**
 * A GraphQL answer: `data` shaped `D` and, when a field failed, `errors`; a request refused before
 * GraphQL ran (no token) is the REST envelope's `error`. Only what the test asserts is there.
 */
interface GqlAnswer<D> { data: D; errors: GqlError[]; error: ApiError }

const gql = <D = unknown>(token: string | undefined, query: string, variables?: Record<string, unknown>) =>
  call<GqlAnswer<D>>(`${app.url}/api/v1/graphql`, { method: 'POST', token, json: { query, variables } });

/** The parts of the OpenAPI document the tests read. */
interface OpenApiOperation { description?: string; requestBody?: { content: Record<string, { schema?: unknown }> } }
interface OpenApiDoc { paths: Record<string, Record<string, OpenApiOperation | undefined> | undefined> }

/** Issue 8's REST routes; each must be in the OpenAPI document. */
const ISSUE_8_PATHS: Array<[string, string]> = [
  ['post', '/api/v1/patients'],
  ['get', '/api/v1/patients'],
  ['get', '/api/v1/patients/{id}'],
  ['patch', '/api/v1/patients/{id}'],
  ['get', '/api/v1/me/patient'],
  ['get', '/api/v1/doctors'],
  ['post', '/api/v1/me/doctors'],
  ['post', '/api/v1/admin/assignments'],
  ['delete', '/api/v1/admin/assignments'],
  ['post', '/api/v1/patients/{id}/messages'],
  ['get', '/api/v1/me/reminders'],
  ['post', '/api/v1/me/reminders/{id}/check-in'],
  ['get', '/api/v1/patients/{id}/reminders'],
  ['post', '/api/v1/patients/{id}/notes'],
  ['get', '/api/v1/patients/{id}/notes'],
  ['get', '/api/v1/patients/{id}/notes/{note_id}'],
  ['get', '/api/v1/patients/{id}/care-plan'],
  ['get', '/api/v1/patients/{id}/care-plans'],
  ['patch', '/api/v1/patients/{id}/care-plan/activities/{activity_id}'],
  ['get', '/api/v1/patients/{id}/tasks'],
  ['patch', '/api/v1/patients/{id}/tasks/{task_id}'],
  ['post', '/api/v1/auth/signup'],
  ['post', '/api/v1/auth/refresh'],
  ['post', '/api/v1/auth/logout'],
  ['post', '/api/v1/auth/password'],
  ['post', '/api/v1/admin/invitations'],
  ['post', '/api/v1/admin/tenants/{id}/invitations'],
  ['get', '/api/v1/admin/settings/people'],
  ['put', '/api/v1/admin/settings/people'],
  ['get', '/api/v1/admin/settings/schedule'],
  ['put', '/api/v1/admin/settings/schedule'],
  ['get', '/api/v1/admin/users'],
  ['post', '/api/v1/admin/users/{id}/reset-password'],
  ['get', '/api/v1/me'],
  ['get', '/api/v1/me/doctors'],
  ['delete', '/api/v1/me/doctors/{id}'],
  ['get', '/api/v1/me/schedule-preferences'],
  ['put', '/api/v1/me/schedule-preferences'],
  ['post', '/api/v1/patients/lookup'],
  ['get', '/api/v1/patients/{id}/messages'],
];

describe('served documents', () => {
  it('the OpenAPI document lists the issue-8 REST routes and the GraphQL route', async () => {
    const spec = await call<OpenApiDoc>(`${app.url}/api/v1/openapi.json`);
    expect(spec.status).toBe(200);
    for (const [method, path] of ISSUE_8_PATHS) expect(spec.body.paths[path]?.[method], `${method} ${path}`).toBeDefined();
    const op = spec.body.paths['/api/v1/graphql']?.['post'];
    expect(op?.description).toMatch(/QUERY_TOO_DEEP/);
    expect(op?.requestBody?.content['application/json']?.schema).toBeDefined();
    expect(spec.body.paths['/api/v1/graphql/schema']?.['get']).toBeDefined();
  });

  it('the GraphQL SDL parses and holds the API\'s types and operations', async () => {
    const res = await fetch(`${app.url}/api/v1/graphql/schema`);
    expect(res.status).toBe(200);
    const schema = buildSchema(await res.text());
    for (const t of ['Me', 'Patient', 'Doctor', 'Assignment', 'Note', 'CarePlan', 'CarePlanActivity', 'Task', 'Reminder', 'SecureMessage']) expect(schema.getType(t), t).toBeDefined();
    expect(Object.keys((schema.getType('Patient') as GraphQLObjectType).getFields())).toEqual(expect.arrayContaining(['notes', 'care_plan', 'care_plans', 'tasks', 'reminders', 'messages']));
    expect(Object.keys(schema.getQueryType()!.getFields())).toEqual(expect.arrayContaining(['me', 'patients', 'patient', 'myPatient', 'doctors', 'myDoctors', 'myReminders']));
    expect(Object.keys(schema.getMutationType()!.getFields())).toEqual(
      expect.arrayContaining(['registerPatient', 'chooseDoctors', 'assignStaff', 'unassignStaff', 'postNote', 'updateTaskStatus', 'updateActivity', 'checkIn', 'sendMessage']),
    );
  });
});

describe('auth and limits on the real gateway', () => {
  it('no token: 401 UNAUTHENTICATED; a client token works with its scopes; 50 levels deep: 400 QUERY_TOO_DEEP', async () => {
    const none = await gql(undefined, '{ me { kind } }');
    expect(none.status).toBe(401);
    expect(none.body.error.code).toBe('UNAUTHENTICATED');
    expect(none.headers.get('www-authenticate')).toBe('Bearer');

    const me = await gql<{ me: unknown; patients: { items: unknown[] } }>(client.token, '{ me { kind sub tenant_id } patients { items { patient_id } } }');
    expect(me.status).toBe(200);
    expect(me.body.data.me).toEqual({ kind: 'client', sub: client.clientId, tenant_id: client.tenantId });
    expect(me.body.data.patients.items).toEqual([]);

    const deep = await gql(client.token, '{ ' + 'patient(id: "x") { '.repeat(50) + '}'.repeat(51));
    expect(deep.status).toBe(400);
    expect(deep.body.errors[0]?.extensions).toMatchObject({ code: 'QUERY_TOO_DEEP', status: 400 });
    expect(deep.headers.get('x-request-id')).toBeTruthy();
    expect(deep.headers.get('cache-control')).toBe('no-store');
  });
});

const PASSWORD = 'Quiet-Harbour-Lantern-42';
const NOTE = 'Type 2 diabetes mellitus. Start metformin 500 mg tablet by mouth twice daily for 14 days. Follow up in 2 weeks.';

/** An Etc/GMT zone where it is now 08:xx, so the first BID dose (09:00 local) is under an hour away. */
function zoneAtEightAm(now = new Date()): string {
  const offset = (((8 - now.getUTCHours()) % 24) + 24) % 24;
  const h = offset > 14 ? offset - 24 : offset;
  // IANA's Etc zones have the sign inverted: Etc/GMT-5 is UTC+5.
  return h === 0 ? 'Etc/GMT' : `Etc/GMT${h > 0 ? '-' : '+'}${Math.abs(h)}`;
}

async function signup(code: string, who: string, extra: Record<string, unknown> = {}) {
  const r = await call<Envelope<{ access_token: string; user: { user_id: string } }>>(`${app.url}/api/v1/auth/signup`, { method: 'POST', json: { email: `${who}@clinic.example`, password: PASSWORD, display_name: who, invitation_code: code, ...extra } });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.data;
}

async function invite(path: string, token: string, role: string): Promise<string> {
  const r = await call<Envelope<{ code: string }>>(`${app.url}${path}`, { method: 'POST', token, json: { role } });
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.data.code;
}

/** What the patient's one query in the care loop reads. */
interface CareView {
  myPatient: { care_plan: { status: string; activities: Array<{ kind: string; title: string }> }; tasks: { items: Array<{ description: string }> } };
  myReminders: Array<{ reminder_id: string; due_at: string; state: string }>;
}

describe('the care loop through GraphQL', () => {
  it('a patient chooses a doctor, the doctor posts a note, the patient reads the plan, checklist and reminders and checks in', async () => {
    const tenantId = (await call<Envelope<{ id: string }>>(`${app.url}/api/v1/admin/tenants`, { method: 'POST', token: opToken, json: { name: 'Loop clinic' } })).body.data.id;
    const admin = await signup(await invite(`/api/v1/admin/tenants/${tenantId}/invitations`, opToken, 'tenant_admin'), 'admin');
    const doctor = await signup(await invite('/api/v1/admin/invitations', admin.access_token, 'doctor'), 'doctor');
    const other = await signup(await invite('/api/v1/admin/invitations', admin.access_token, 'doctor'), 'other-doctor');
    const zone = zoneAtEightAm();
    const patient = await signup(await invite('/api/v1/admin/invitations', admin.access_token, 'patient'), 'patient', { time_zone: zone });

    const doctors = await gql<{ doctors: { items: Array<{ display_name: string }> } }>(patient.access_token, '{ doctors { items { user_id display_name } } }');
    expect(doctors.body.data.doctors.items.map((d) => d.display_name).sort()).toEqual(['doctor', 'other-doctor']);
    const chose = await gql<{ chooseDoctors: unknown }>(patient.access_token, 'mutation($d: [ID!]!) { chooseDoctors(doctor_ids: $d) { user_id } }', { d: [doctor.user.user_id] });
    expect(chose.body.data.chooseDoctors).toEqual([{ user_id: doctor.user.user_id }]);
    const patientId = (await gql<{ myPatient: { patient_id: string } }>(patient.access_token, '{ myPatient { patient_id time_zone } }')).body.data.myPatient.patient_id;
    expect((await gql<{ patients: { items: unknown[] } }>(doctor.access_token, '{ patients { items { patient_id } } }')).body.data.patients.items).toEqual([{ patient_id: patientId }]);

    const post = 'mutation($p: ID!, $t: String!) { postNote(patient_id: $p, text: $t) { note_id job_id status status_url } }';
    const refused = await gql(other.access_token, post, { p: patientId, t: NOTE });
    expect(refused.body.errors[0]?.extensions).toMatchObject({ code: 'NOT_FOUND', status: 404, details: { resource: 'patient' } });
    const posted = await gql<{ postNote: { note_id: string; status_url: string } }>(doctor.access_token, post, { p: patientId, t: NOTE });
    expect(posted.body.errors).toBeUndefined();
    expect(posted.body.data.postNote).toMatchObject({ status: 'pending', job_id: expect.any(String) });

    const noteId = posted.body.data.postNote.note_id;
    expect(posted.body.data.postNote.status_url).toBe(`/api/v1/patients/${patientId}/notes/${noteId}`);
    const settled = await until(async () => {
      const r = await gql<{ myPatient: { note: { status: string } } } | null>(patient.access_token, 'query($n: ID!) { myPatient { note(id: $n) { status } } }', { n: noteId });
      const status = r.body.data?.myPatient.note.status;
      return status && status !== 'pending' ? status : null;
    }, 30_000, 200);
    expect(settled).toBe('processed');

    const view = await gql<CareView>(patient.access_token, `{
      myPatient { care_plan { status activities { title kind timing } } tasks { items { task_id description due status } } }
      myReminders(state: all) { reminder_id title due_at state }
    }`);
    expect(view.body.errors).toBeUndefined();
    const plan = view.body.data.myPatient.care_plan;
    expect(plan.status).toBe('active');
    expect(plan.activities.some((a) => a.kind === 'medication' && /metformin/i.test(a.title))).toBe(true);
    expect(view.body.data.myPatient.tasks.items.some((t) => /follow/i.test(t.description))).toBe(true);
    const reminders = view.body.data.myReminders;
    expect(reminders.length).toBeGreaterThan(0);
    const first = reminders.sort((a, b) => a.due_at.localeCompare(b.due_at))[0]!;
    expect(Date.parse(first.due_at) - Date.now()).toBeLessThan(3_600_000);
    // The doctor sees the same reminders through the patient.
    const viaDoctor = await gql<{ patient: { reminders: Array<{ reminder_id: string }> } }>(doctor.access_token, 'query($p: ID!) { patient(id: $p) { reminders(state: all) { reminder_id } } }', { p: patientId });
    expect(viaDoctor.body.data.patient.reminders.map((r) => r.reminder_id).sort()).toEqual(reminders.map((r) => r.reminder_id).sort());

    const checkIn = 'mutation($id: ID!) { checkIn(reminder_id: $id, input: { action: taken }) { reminder_id state } }';
    expect((await gql(doctor.access_token, checkIn, { id: first.reminder_id })).body.errors[0]?.extensions.code).toBe('FORBIDDEN');
    const taken = await gql<{ checkIn: unknown }>(patient.access_token, checkIn, { id: first.reminder_id });
    expect(taken.body.errors).toBeUndefined();
    expect(taken.body.data.checkIn).toEqual({ reminder_id: first.reminder_id, state: 'taken' });
    const twice = await gql(patient.access_token, checkIn, { id: first.reminder_id });
    expect(twice.body.errors[0]?.extensions).toMatchObject({ code: 'REMINDER_ALREADY_CHECKED_IN', status: 409 });
    // Nothing of the note or the patient in the gateway's logs.
    expect(app.logs()).not.toMatch(/metformin 500 mg tablet by mouth|Follow up in 2 weeks/i);
  });
});

