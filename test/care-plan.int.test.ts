/**
 * Doctor notes → checklist + care plan on the real parts: a real nats-server with per-role
 * permissions, the real gateway, engine and worker; notes posted over HTTP, processed over
 * JetStream, watched over a real WebSocket. A second note supersedes the first plan and cancels
 * every pending reminder of it; a note with nothing actionable leaves the plan in place; bad
 * notes and unassigned doctors are refused with nothing stored.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { WardEvent } from '../core/contracts.js';
import { call, until, type Accepted, type Envelope, type Page } from './api-client.js';
import { startAppliance, type Appliance } from './appliance.js';
import { seedCare, type CareSeed } from './care-plan-seed.js';

const DISCHARGE = readFileSync(new URL('../engine/clinical/actions/fixtures/discharge-diabetes.txt', import.meta.url), 'utf8');
const OPD = readFileSync(new URL('../engine/clinical/actions/fixtures/opd-hypertension.txt', import.meta.url), 'utf8');

let app: Appliance;
let seed: CareSeed;
let ws: WebSocket;
const events: WardEvent[] = [];

beforeAll(async () => {
  app = await startAppliance({ without: ['gateway'] });
  seed = await seedCare(app.dataDir, app.config);
  await app.start('gateway');
  ws = new WebSocket(`${app.url.replace('http', 'ws')}/api/v1/ws`, ['wardclerk.v1', seed.tokens.doctor]);
  await new Promise<void>((ok, fail) => {
    ws.on('message', (m) => {
      const f = JSON.parse(String(m)) as { type: string; event?: WardEvent };
      if (f.type === 'ready') ok();
      if (f.type === 'event') events.push(f.event!);
    });
    ws.once('error', fail);
  });
}, 60_000);
afterAll(async () => {
  ws?.close();
  await app?.close();
});

interface NoteView { note_id: string; status: string; note_date: string; care_plan_id: string | null; task_ids: string[] }
interface ActivityView {
  activity_id: string; kind: string; title: string; status: string; as_needed: boolean;
  medication: { name: string } | null; timing: { repeat: { timeOfDay?: string[] } } | null;
}
interface CarePlanView { care_plan_id: string; status: string; activities: ActivityView[]; replaces: string | null; superseded_by: string | null }
interface TaskView { task_id: string; kind: string; due: string | null }
interface ReminderRow { care_plan_id: string; activity_id: string; state: string }

const base = () => `${app.url}/api/v1/patients/${seed.patientId}`;
const as = (who: keyof CareSeed['tokens']) => seed.tokens[who];

async function postNote(text: string, who: keyof CareSeed['tokens'] = 'doctor', query = '?note_date=2026-12-02') {
  return call<Accepted & { note_id: string }>(`${base()}/notes${query}`, { method: 'POST', token: as(who), json: { text } });
}

async function settled(noteId: string): Promise<NoteView> {
  return until(async () => {
    const r = await call<Envelope<NoteView>>(`${base()}/notes/${noteId}`, { token: as('doctor') });
    return r.body.data?.status !== 'pending' ? r.body.data : null;
  });
}

describe('a note becomes a checklist and a care plan', () => {
  let firstPlan: CarePlanView;

  it('202 with a job; the pipeline makes the plan, the tasks, the reminders, and says so over the WebSocket', async () => {
    const res = await postNote(DISCHARGE);
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ status: 'accepted', job_id: expect.stringMatching(/^job_/), note_id: expect.stringMatching(/^nt_/) });
    const note = await settled(res.body.note_id);
    expect(note).toMatchObject({ status: 'processed', note_date: '2026-12-02', care_plan_id: expect.stringMatching(/^cp_/) });
    expect(note.task_ids).toHaveLength(5);

    const plan = await call<Envelope<CarePlanView>>(`${base()}/care-plan`, { token: as('patient') });
    expect(plan.status).toBe(200);
    firstPlan = plan.body.data;
    expect(firstPlan).toMatchObject({ status: 'active', care_plan_id: note.care_plan_id, replaces: null });
    const metformin = firstPlan.activities.find((a) => a.medication?.name === 'metformin');
    expect(metformin).toMatchObject({ activity_id: expect.stringMatching(/^act_/), timing: { repeat: { frequency: 2, period: 1, periodUnit: 'd' } } });
    expect(firstPlan.activities.map((a) => a.kind)).toEqual(expect.arrayContaining(['measurement', 'exercise', 'wound_care']));

    const fhir = await call<Envelope<unknown>>(`${base()}/care-plan?format=fhir`, { token: as('doctor') });
    expect(fhir.body.data).toMatchObject({ resourceType: 'CarePlan', status: 'active', intent: 'plan', subject: { reference: `Patient/${seed.patientId}` } });

    const tasks = await call<Envelope<Page<TaskView>>>(`${base()}/tasks`, { token: as('patient') });
    expect(tasks.body.data.items.map((t) => [t.kind, t.due])).toEqual([
      ['stop_medicine', null], ['collect_medicine', null], ['book_follow_up', '2026-12-16'], ['get_tests', '2026-12-09'], ['referral', null],
    ]);

    const reminders = await call<Envelope<Page<ReminderRow>>>(`${base()}/reminders?state=upcoming`, { token: as('doctor') });
    expect(reminders.status).toBe(200);
    const mine = reminders.body.data.items.filter((r) => r.care_plan_id === firstPlan.care_plan_id);
    expect(mine.length).toBeGreaterThan(0);

    await until(async () => ['note.processed', 'plan.activated', 'job.completed'].every((t) => events.some((e) => e.type === t && JSON.stringify(e.data).includes(note.note_id))));
    // Events carry ids only: no note text, no medicine names.
    expect(JSON.stringify(events)).not.toMatch(/metformin|glimepiride|Rao/i);
  });

  it('a nothing-actionable note leaves the active plan in place and says so', async () => {
    const res = await postNote('Patient reviewed. Feels well. No complaints. Examination normal.');
    const note = await settled(res.body.note_id);
    expect(note).toMatchObject({ status: 'no_actionable_items', care_plan_id: null, task_ids: [] });
    const plan = await call<Envelope<CarePlanView>>(`${base()}/care-plan`, { token: as('doctor') });
    expect(plan.body.data.care_plan_id).toBe(firstPlan.care_plan_id);
  });

  it('a nurse may add a note too, and a note may come as a file upload (multipart), as prescriptions accept it', async () => {
    const form = new FormData();
    form.append('file', new Blob(['Patient comfortable. Afebrile. Wound clean.'], { type: 'text/plain' }), 'note.txt');
    const res = await call<Accepted & { note_id: string }>(`${base()}/notes?note_date=2026-12-02`, { method: 'POST', token: as('nurse'), body: form });
    expect(res.status).toBe(202);
    const note = await settled(res.body.note_id);
    expect(note).toMatchObject({ status: 'no_actionable_items', author: { kind: 'user', id: seed.userIds.nurse, role: 'nurse' } });
    expect((await call<Envelope<CarePlanView>>(`${base()}/care-plan`, { token: as('doctor') })).body.data.care_plan_id).toBe(firstPlan.care_plan_id);
  });

  it('a new note supersedes the plan: old revoked and kept, every pending reminder of it cancelled, new reminders made', async () => {
    const res = await postNote(OPD);
    const note = await settled(res.body.note_id);
    expect(note.status).toBe('processed');
    const plans = await call<Envelope<Page<CarePlanView>>>(`${base()}/care-plans`, { token: as('patient') });
    const items = plans.body.data.items;
    expect(items.map((p) => p.status)).toEqual(['revoked', 'active']);
    expect(items[0]).toMatchObject({ care_plan_id: firstPlan.care_plan_id, superseded_by: note.care_plan_id });
    expect(items[1]).toMatchObject({ care_plan_id: note.care_plan_id, replaces: firstPlan.care_plan_id });

    const all = await call<Envelope<Page<ReminderRow>>>(`${base()}/reminders?state=all`, { token: as('doctor') });
    const rows = all.body.data.items;
    const old = rows.filter((r) => r.care_plan_id === firstPlan.care_plan_id);
    expect(old.length).toBeGreaterThan(0);
    expect(old.filter((r) => r.state !== 'cancelled')).toEqual([]);
    expect(rows.some((r) => r.care_plan_id === note.care_plan_id && r.state === 'scheduled')).toBe(true);
    await until(async () => events.some((e) => e.type === 'plan.superseded' && e.data['care_plan_id'] === firstPlan.care_plan_id));
  });

  it('the patient ticks off a task once; a finished task cannot change again', async () => {
    const tasks = await call<Envelope<Page<TaskView>>>(`${base()}/tasks?status=requested`, { token: as('patient') });
    const task = tasks.body.data.items[0]!;
    const done = await call<Envelope<unknown>>(`${base()}/tasks/${task.task_id}`, { method: 'PATCH', token: as('patient'), json: { status: 'completed' } });
    expect(done.status).toBe(200);
    expect(done.body.data).toMatchObject({ status: 'completed', status_changed_by: { kind: 'user', id: seed.userIds.patient } });
    expect((await call(`${base()}/tasks/${task.task_id}`, { method: 'PATCH', token: as('patient'), json: { status: 'completed' } })).status).toBe(200);
    const again = await call(`${base()}/tasks/${task.task_id}`, { method: 'PATCH', token: as('nurse'), json: { status: 'cancelled' } });
    expect(again.status).toBe(409);
    expect((await call(`${base()}/tasks/${task.task_id}`, { method: 'PATCH', token: as('patient'), json: { status: 'nonsense' } })).status).toBe(400);
    await until(async () => events.some((e) => e.type === 'task.updated' && e.data['task_id'] === task.task_id));
  });

  it('a doctor ends an activity (its reminders cancelled) or changes its timing; a nurse may not', async () => {
    const plan = (await call<Envelope<CarePlanView>>(`${base()}/care-plan`, { token: as('doctor') })).body.data;
    const [first, second] = plan.activities.filter((a) => a.timing && !a.as_needed) as [ActivityView, ActivityView];
    const path = (a: ActivityView) => `${base()}/care-plan/activities/${a.activity_id}`;
    expect((await call(path(first), { method: 'PATCH', token: as('nurse'), json: { status: 'ended' } })).status).toBe(403);
    const ended = await call<Envelope<CarePlanView>>(path(first), { method: 'PATCH', token: as('doctor'), json: { status: 'ended' } });
    expect(ended.status).toBe(200);
    expect(ended.body.data.activities.find((a) => a.activity_id === first.activity_id)?.status).toBe('ended');
    const rows = (await call<Envelope<Page<ReminderRow>>>(`${base()}/reminders?state=all`, { token: as('doctor') })).body.data.items;
    expect(rows.filter((r) => r.activity_id === first.activity_id && r.state !== 'cancelled')).toEqual([]);

    const bad = await call(path(second), { method: 'PATCH', token: as('doctor'), json: { timing: { repeat: { period: 2 } } } });
    expect(bad.status).toBe(400);
    const changed = await call<Envelope<CarePlanView>>(path(second), { method: 'PATCH', token: as('doctor'), json: { timing: { repeat: { frequency: 1, period: 1, periodUnit: 'd', timeOfDay: ['10:00:00'] } } } });
    expect(changed.status).toBe(200);
    expect(changed.body.data.activities.find((a) => a.activity_id === second.activity_id)?.timing?.repeat.timeOfDay).toEqual(['10:00:00']);
  });
});

describe('documented', () => {
  it('the OpenAPI document lists the notes, care-plan and task routes', async () => {
    const spec = await call<{ paths: Record<string, Record<string, unknown> | undefined> }>(`${app.url}/api/v1/openapi.json`);
    const paths: Array<[string, string]> = [
      ['post', '/api/v1/patients/{id}/notes'], ['get', '/api/v1/patients/{id}/notes'], ['get', '/api/v1/patients/{id}/notes/{note_id}'],
      ['get', '/api/v1/patients/{id}/care-plan'], ['get', '/api/v1/patients/{id}/care-plans'], ['get', '/api/v1/patients/{id}/tasks'],
      ['patch', '/api/v1/patients/{id}/tasks/{task_id}'], ['patch', '/api/v1/patients/{id}/care-plan/activities/{activity_id}'],
    ];
    for (const [method, path] of paths) expect(spec.body.paths[path]?.[method], `${method} ${path}`).toBeDefined();
  });
});

describe('refused notes store nothing', () => {
  const count = async () => (await call<Envelope<Page<NoteView>>>(`${base()}/notes?limit=100`, { token: as('doctor') })).body.data.items.length;

  it('an unassigned doctor gets 404 exactly like a missing patient; a patient and an admin may not write notes', async () => {
    const before = await count();
    const stranger = await postNote(DISCHARGE, 'stranger');
    expect(stranger.status).toBe(404);
    expect(stranger.body.error).toMatchObject({ code: 'NOT_FOUND', details: { resource: 'patient' } });
    const missing = await call<Envelope>(`${app.url}/api/v1/patients/pt_00000000000000000000000000/notes`, { method: 'POST', token: as('doctor'), json: { text: 'x' } });
    expect(missing.status).toBe(404);
    expect(missing.body.error).toEqual({ ...stranger.body.error });
    expect((await postNote(DISCHARGE, 'patient')).status).toBe(403);
    expect((await postNote(DISCHARGE, 'admin')).status).toBe(403);
    expect((await call(`${base()}/care-plan`, { token: as('stranger') })).status).toBe(404);
    expect(await count()).toBe(before);
  });

  it('empty, 10 MB and binary notes, and a bad note date: coded 4xx', async () => {
    const before = await count();
    expect((await postNote('   \n ')).body.error.code).toBe('EMPTY_TEXT');
    const big = await call(`${base()}/notes`, { method: 'POST', token: as('doctor'), headers: { 'content-type': 'text/plain' }, body: 'a'.repeat(10 * 1024 * 1024) });
    expect(big.status).toBe(413);
    const bigJson = await postNote('a'.repeat(10 * 1024 * 1024));
    expect(bigJson.status).toBe(413);
    const binary = Uint8Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256);
    const bin = await call<Envelope>(`${base()}/notes`, { method: 'POST', token: as('doctor'), headers: { 'content-type': 'text/plain' }, body: binary });
    expect(bin.status).toBe(400);
    expect(['INVALID_UTF8', 'UNREADABLE_FILE']).toContain(bin.body.error.code);
    const nul = await call<Envelope>(`${base()}/notes`, { method: 'POST', token: as('doctor'), headers: { 'content-type': 'text/plain' }, body: new Uint8Array(2048) });
    expect(nul.body.error.code).toBe('UNREADABLE_FILE');
    expect((await postNote('Walk daily', 'doctor', '?note_date=02/12/2026')).body.error.code).toBe('VALIDATION_FAILED');
    expect((await postNote('Walk daily', 'doctor', '?note_date=2026-02-30')).body.error.code).toBe('VALIDATION_FAILED');
    expect(await count()).toBe(before);
    // Nothing of the note text reached any log line.
    expect(app.logs()).not.toMatch(/Glimepiride|glucometer strips/);
  });
});
