/**
 * A tenant's care loop set up and driven through the real HTTP API only, as the README's
 * walk-through does it: for suites on real processes, where the store cannot be seeded directly
 * (the gateway holds it). The operator invites the tenant's first admin; the admin invites a doctor
 * and opens patient sign-up; a patient signs up in their time zone and chooses the doctor. Notes
 * are posted by the doctor and read back until the pipeline has settled them.
 */
import { call, until } from './api-client.js';

export interface CareTeam {
  tenantId: string;
  patientId: string;
  tokens: Record<'admin' | 'doctor' | 'patient', string>;
  userIds: Record<'admin' | 'doctor' | 'patient', string>;
}

/** A success envelope as these helpers read it (each checks the status first). */
interface Envelope<D> {
  data: D;
}

/** `data` of a sign-up: the person's tokens. */
interface SignedUp {
  access_token: string;
  user: { user_id: string; role: string };
}

/** A note as `GET /api/v1/patients/{id}/notes/{note_id}` shows it, as far as tests read it. */
export interface NoteView {
  note_id: string;
  status: 'pending' | 'processed' | 'no_actionable_items' | 'failed';
  care_plan_id: string | null;
  created_at: string;
  processed_at: string | null;
}

/** Fails with the answer when `status` is not `expected` (setup steps: the test is not about them). */
function expectStatus(step: string, r: { status: number; body: unknown }, expected: number): void {
  if (r.status !== expected) throw new Error(`${step}: ${r.status} ${JSON.stringify(r.body)}`);
}

/**
 * Signs up an admin, a doctor and a patient (zone `zone`) in tenant `tenantId` through the API,
 * the patient choosing the doctor. `operator` is the operator's access token; `tag` makes the
 * e-mail addresses unique on this appliance.
 */
export async function signUpCareTeam(base: string, operator: string, tenantId: string, zone: string, tag: string): Promise<CareTeam> {
  const signUp = async (role: string, body: Record<string, string>): Promise<SignedUp> => {
    const r = await call<Envelope<SignedUp>>(`${base}/api/v1/auth/signup`, {
      method: 'POST', json: { email: `${role}.${tag}@clinic.example`, password: 'harbour-Lantern-93-quiet', display_name: `${role} ${tag}`, ...body },
    });
    expectStatus(`${role} sign-up`, r, 201);
    return r.body.data;
  };
  const invite = async (token: string, path: string, role: string): Promise<string> => {
    const r = await call<Envelope<{ code: string }>>(`${base}${path}`, { method: 'POST', token, json: { role } });
    expectStatus(`${role} invitation`, r, 201);
    return r.body.data.code;
  };
  const admin = await signUp('admin', { invitation_code: await invite(operator, `/api/v1/admin/tenants/${tenantId}/invitations`, 'tenant_admin') });
  const doctor = await signUp('doctor', { invitation_code: await invite(admin.access_token, '/api/v1/admin/invitations', 'doctor') });
  const open = await call(`${base}/api/v1/admin/settings/people`, { method: 'PUT', token: admin.access_token, json: { signup: 'open' } });
  expectStatus('open sign-up', open, 200);
  const patient = await signUp('patient', { tenant_id: tenantId, time_zone: zone });
  const chose = await call(`${base}/api/v1/me/doctors`, { method: 'POST', token: patient.access_token, json: { doctor_ids: [doctor.user.user_id] } });
  expectStatus('choose doctor', chose, 200);
  const me = await call<Envelope<{ patient_id: string }>>(`${base}/api/v1/me/patient`, { token: patient.access_token });
  expectStatus('own patient record', me, 200);
  return {
    tenantId, patientId: me.body.data.patient_id,
    tokens: { admin: admin.access_token, doctor: doctor.access_token, patient: patient.access_token },
    userIds: { admin: admin.user.user_id, doctor: doctor.user.user_id, patient: patient.user.user_id },
  };
}

/** The doctor posts `text` as a note for the team's patient (202); resolves with the note's id. */
export async function postNote(base: string, team: CareTeam, text: string): Promise<string> {
  const r = await call<{ status: string; note_id: string }>(`${base}/api/v1/patients/${team.patientId}/notes`, { method: 'POST', token: team.tokens.doctor, json: { text } });
  expectStatus('post note', r, 202);
  return r.body.note_id;
}

/** The note as the doctor reads it. */
export async function readNote(base: string, team: CareTeam, noteId: string): Promise<NoteView> {
  const r = await call<Envelope<NoteView>>(`${base}/api/v1/patients/${team.patientId}/notes/${noteId}`, { token: team.tokens.doctor });
  expectStatus('read note', r, 200);
  return r.body.data;
}

/** Resolves with the note once the pipeline has settled it (any status but `pending`). `base` is read on each poll. */
export async function settledNote(base: () => string, team: CareTeam, noteId: string, timeoutMs = 30_000): Promise<NoteView> {
  return until(async () => {
    const note = await readNote(base(), team, noteId);
    return note.status === 'pending' ? undefined : note;
  }, timeoutMs, 50);
}
