/**
 * RAG refresh (issue 9) on the whole appliance: real nats-server, gateway, engine and worker.
 * With the tenant's auto_refresh off, an INDEXED document triggers nothing; a manual refresh is
 * 202 with a job that completes and stores version 1 of the summary (the document's medication
 * with its dose, its condition). Concurrent manual triggers from several callers never run at
 * once and store consecutive versions. With auto_refresh on, an upload refreshes the patient by
 * itself (trigger new_document), and so does a note that settles (new_note). An unassigned doctor
 * gets 404; the summary is nowhere on disk in plaintext and the logs name triggers, never the
 * patient's data.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, createClient, operatorToken, until, type Accepted, type Envelope } from './api-client.js';
import { startAppliance, type Appliance } from './appliance.js';
import { seedCare, type CareSeed } from './care-plan-seed.js';
import { indexedText } from './documents-http.js';
import { expectNowhereOnDisk, whileStopped } from './nowhere-on-disk.js';

interface RefreshJobView {
  job_id: string; patient_id: string; status: 'queued' | 'running' | 'completed' | 'failed'; triggers: string[];
  created_at: string; started_at: string | null; finished_at: string | null; version: number | null; error: { code: string } | null;
}
interface RefreshAccepted extends Accepted { job: RefreshJobView }
interface SummaryView {
  patient_id: string; version: number; trigger: string; triggers: string[]; job_id: string;
  inputs: Array<{ kind: string; id: string; updated_at: string }>; started_at: string; finished_at: string;
  active_conditions: Array<{ display: string; code: string | null; last_seen: string }>;
  active_medications: Array<{ name: string; dose: string | null; last_seen: string; source: { kind: string; id: string } }>;
  key_labs: Array<{ code: string; value: number | null; unit: string | null; date: string }>;
}

/** A dose no other record has: the summary's own plaintext, looked for on disk. */
const DOSE = '537 mg';
const LETTER = [`Diabetes clinic letter\n\nDiagnoses:\nType 2 diabetes mellitus, on treatment.\n\nCurrent medication:\nMetformin ${DOSE} twice daily\n\nPlan:\nReview in six months.`];
const LABS = ['Laboratory report\n\nLABS:\nHbA1c 8.1 % (high). Serum potassium 4.2 mmol/L.'];

let app: Appliance;
let seed: CareSeed;
let clientToken: string;
let letterId = '';

const refreshUrl = (patientId: string) => `${app.url}/api/v1/patients/${patientId}/refresh`;
const summaryUrl = (patientId: string) => `${app.url}/api/v1/patients/${patientId}/summary`;
const setAuto = (auto_refresh: boolean) =>
  call<Envelope<{ auto_refresh: boolean }>>(`${app.url}/api/v1/admin/settings/refresh`, { method: 'PUT', token: seed.tokens.admin, json: { auto_refresh } });

async function finished(patientId: string, jobId: string, token: string): Promise<RefreshJobView> {
  return until(async () => {
    const r = await call<Envelope<RefreshJobView>>(`${refreshUrl(patientId)}/${jobId}`, { token });
    expect(r.status).toBe(200);
    return r.body.data.status === 'completed' || r.body.data.status === 'failed' ? r.body.data : null;
  }, 30_000, 25);
}

beforeAll(async () => {
  app = await startAppliance({ without: ['gateway'] });
  seed = await seedCare(app.dataDir, app.config);
  await app.start('gateway');
  const op = await operatorToken(app.url, app.adminPassword);
  clientToken = (await createClient(app.url, op, seed.tenantId, 'refresh-app', ['patients:read', 'patients:write'])).token;
}, 120_000);

afterAll(async () => {
  await app?.close();
});

describe('RAG refresh', () => {
  it('with auto_refresh off nothing runs by itself; a manual refresh is 202 and stores version 1 with the medication and condition', async () => {
    const get = await call<Envelope<{ auto_refresh: boolean }>>(`${app.url}/api/v1/admin/settings/refresh`, { token: seed.tokens.admin });
    expect(get.status).toBe(200);
    expect(get.body.data).toEqual({ auto_refresh: true });
    expect((await setAuto(false)).status).toBe(200);
    letterId = await indexedText(app.url, seed.patientId, seed.tokens.patient, LETTER, 'consultation_note', '2026-03-10');
    await until(async () => app.logs().includes('"skipped":"auto_refresh_off"'), 20_000);
    const none = await call<Envelope<SummaryView>>(summaryUrl(seed.patientId), { token: seed.tokens.doctor });
    expect(none.status).toBe(404);
    expect(none.body.error.details).toMatchObject({ resource: 'summary' });

    const r = await call<RefreshAccepted>(refreshUrl(seed.patientId), { method: 'POST', token: seed.tokens.doctor });
    expect(r.status).toBe(202);
    expect(r.body.status).toBe('accepted');
    expect(r.body.status_url).toBe(`/api/v1/patients/${seed.patientId}/refresh/${r.body.job_id}`);
    const job = await finished(seed.patientId, r.body.job_id, seed.tokens.doctor);
    expect(job).toMatchObject({ status: 'completed', version: 1, triggers: ['manual'], error: null });

    const s = await call<Envelope<SummaryView>>(summaryUrl(seed.patientId), { token: seed.tokens.patient });
    expect(s.status).toBe(200);
    expect(s.body.data).toMatchObject({ version: 1, trigger: 'manual', job_id: r.body.job_id, patient_id: seed.patientId });
    expect(s.body.data.inputs).toContainEqual(expect.objectContaining({ kind: 'document', id: letterId }));
    const metformin = s.body.data.active_medications.find((m) => m.name.toLowerCase() === 'metformin');
    expect(metformin?.dose).toContain(DOSE);
    expect(metformin?.source).toEqual({ kind: 'document', id: letterId });
    expect(s.body.data.active_conditions.map((c) => c.display.toLowerCase())).toContainEqual(expect.stringContaining('type 2 diabetes'));
  }, 120_000);

  it('concurrent manual triggers from the care team, the patient, an admin and a client never overlap and store consecutive versions', async () => {
    const before = (await call<Envelope<SummaryView>>(summaryUrl(seed.patientId), { token: seed.tokens.doctor })).body.data.version;
    // Load the patient's index first, so each refresh drops and rebuilds it (a run that takes a while).
    expect((await call(`${app.url}/api/v1/patients/${seed.patientId}/search?q=metformin`, { token: seed.tokens.doctor })).status).toBe(200);
    const callers = [seed.tokens.doctor, seed.tokens.nurse, seed.tokens.patient, seed.tokens.admin, clientToken, seed.tokens.doctor];
    const answers = await Promise.all(callers.map((token) => call<RefreshAccepted>(refreshUrl(seed.patientId), { method: 'POST', token })));
    for (const a of answers) expect(a.status).toBe(202);
    const ids = [...new Set(answers.map((a) => a.body.job_id))];
    expect(ids.length).toBeLessThanOrEqual(callers.length);
    // Triggers that came while a refresh ran were queued behind it (and joined one another).
    expect(answers.some((a) => a.body.job.status === 'queued')).toBe(true);
    const jobs = await Promise.all(ids.map((id) => finished(seed.patientId, id, seed.tokens.doctor)));
    const runs = jobs.map((j) => ({ start: Date.parse(j.started_at!), end: Date.parse(j.finished_at!), version: j.version!, status: j.status }))
      .sort((a, b) => a.version - b.version);
    for (const run of runs) expect(run.status).toBe('completed');
    expect(runs.map((x) => x.version)).toEqual(runs.map((_, i) => before + 1 + i));
    for (let i = 1; i < runs.length; i++) expect(runs[i]!.start).toBeGreaterThanOrEqual(runs[i - 1]!.end);
    // Every trigger is in exactly one job: coalesced triggers are listed on the job they joined.
    expect(jobs.reduce((n, j) => n + j.triggers.length, 0)).toBe(callers.length);
    const s = await call<Envelope<SummaryView>>(summaryUrl(seed.patientId), { token: seed.tokens.nurse });
    expect(s.body.data.version).toBe(before + runs.length);
  }, 120_000);

  it('with auto_refresh on, an upload refreshes the patient by itself (trigger new_document)', async () => {
    expect((await setAuto(true)).status).toBe(200);
    const before = (await call<Envelope<SummaryView>>(summaryUrl(seed.patientId), { token: seed.tokens.doctor })).body.data.version;
    const labsId = await indexedText(app.url, seed.patientId, seed.tokens.doctor, LABS, 'lab_report', '2026-03-12');
    const s = await until(async () => {
      const r = await call<Envelope<SummaryView>>(summaryUrl(seed.patientId), { token: seed.tokens.doctor });
      return r.status === 200 && r.body.data.inputs.some((i) => i.id === labsId) ? r.body.data : null;
    }, 30_000, 50);
    expect(s.version).toBe(before + 1);
    expect(s.trigger).toBe('new_document');
    expect(s.key_labs.find((l) => l.code === '4548-4')).toMatchObject({ value: 8.1, date: '2026-03-12' });
    expect(s.active_medications.some((m) => m.dose?.includes(DOSE))).toBe(true);
    expect(app.logs()).toMatch(/"trigger":"new_document"[^\n]*patient refresh triggered/);
  }, 120_000);

  it('a note that settles refreshes the patient by itself (trigger new_note), its medication in the summary', async () => {
    const posted = await call<Accepted & { note_id: string }>(`${app.url}/api/v1/patients/${seed.patientId}/notes?note_date=2026-03-15`, {
      method: 'POST', token: seed.tokens.doctor, json: { text: 'Hypertension. Start lisinopril 10 mg once daily.' },
    });
    expect(posted.status).toBe(202);
    const s = await until(async () => {
      const r = await call<Envelope<SummaryView>>(summaryUrl(seed.patientId), { token: seed.tokens.doctor });
      return r.status === 200 && r.body.data.inputs.some((i) => i.kind === 'note' && i.id === posted.body.note_id) ? r.body.data : null;
    }, 60_000, 50);
    expect(s.triggers).toContain('new_note');
    expect(s.active_medications.map((m) => m.name.toLowerCase())).toContain('lisinopril');
    expect(s.active_medications.some((m) => m.dose?.includes(DOSE))).toBe(true);
  }, 120_000);

  it('an unassigned doctor gets 404 for the refresh, its job and the summary; non-admins may not change the setting', async () => {
    const r = await call<RefreshAccepted>(refreshUrl(seed.patientId), { method: 'POST', token: seed.tokens.stranger });
    expect(r.status).toBe(404);
    expect(r.body.error.code).toBe('NOT_FOUND');
    const mine = await call<RefreshAccepted>(refreshUrl(seed.patientId), { method: 'POST', token: seed.tokens.doctor });
    expect((await call(`${refreshUrl(seed.patientId)}/${mine.body.job_id}`, { token: seed.tokens.stranger })).status).toBe(404);
    expect((await call(summaryUrl(seed.patientId), { token: seed.tokens.stranger })).status).toBe(404);
    // Another patient's job id under this patient: 404 too.
    const theirs = await call<RefreshAccepted>(refreshUrl(seed.otherPatientId), { method: 'POST', token: seed.tokens.stranger });
    expect(theirs.status).toBe(202);
    expect((await call(`${refreshUrl(seed.patientId)}/${theirs.body.job_id}`, { token: seed.tokens.doctor })).status).toBe(404);
    const put = await call<Envelope<unknown>>(`${app.url}/api/v1/admin/settings/refresh`, { method: 'PUT', token: seed.tokens.doctor, json: { auto_refresh: false } });
    expect(put.status).toBe(403);
    const bad = await call<Envelope<unknown>>(`${app.url}/api/v1/admin/settings/refresh`, { method: 'PUT', token: seed.tokens.admin, json: { auto_refresh: 'no' } });
    expect(bad.status).toBe(400);
    await finished(seed.patientId, mine.body.job_id, seed.tokens.doctor);
    await finished(seed.otherPatientId, theirs.body.job_id, seed.tokens.stranger);
  }, 60_000);

  it('the routes are in the OpenAPI document', async () => {
    const doc = await call<{ paths: Record<string, Record<string, unknown>> }>(`${app.url}/api/v1/openapi.json`);
    expect(Object.keys(doc.body.paths['/api/v1/patients/{id}/refresh'] ?? {})).toContain('post');
    expect(Object.keys(doc.body.paths['/api/v1/patients/{id}/refresh/{job_id}'] ?? {})).toContain('get');
    expect(Object.keys(doc.body.paths['/api/v1/patients/{id}/summary'] ?? {})).toContain('get');
    expect(Object.keys(doc.body.paths['/api/v1/admin/settings/refresh'] ?? {})).toEqual(expect.arrayContaining(['get', 'put']));
  });

  it('the summary is nowhere on disk in plaintext, and the logs hold no patient data', async () => {
    expect(app.logs()).not.toContain(DOSE);
    expect(app.logs()).not.toContain('Metformin');
    await whileStopped(app, ['worker', 'engine', 'gateway'], () => expectNowhereOnDisk(app, [DOSE, '"active_medications"', '"key_labs"']));
  }, 120_000);
});
