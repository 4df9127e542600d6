/**
 * GraphQL notes, care plans, tasks and activity edits over the care-plans services, on one real
 * store with the real scheduler on a manual clock. A note is stored and settled with the
 * pipeline's own settle step (the engine and JetStream run in test/graphql.int.test.ts).
 */
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.js';
import type { PlanItems } from '../../core/care/plan-items.js';
import { registerCarePlanRoutes } from '../care-plans/routes.js';
import { settleNote } from '../care-plans/settle-note.js';
import type { GatewayDeps } from '../http/deps.js';
import { seedCareTeam } from '../people/testing/care-team.js';
import { createPeopleFixture } from '../people/testing/people-fixture.js';
import { manualScheduler } from '../scheduler/testing/manual-scheduler.js';
import { sampleExtraction } from '../store/testing/sample-extraction.js';
import { registerGraphqlRoutes } from './routes.js';
import { graphqlCaller } from './testing/graphql-fixture.js';

const NY = 'America/New_York';
const at = (iso: string): number => DateTime.fromISO(iso, { zone: NY }).toMillis();
const span = { start: 0, end: 10 };
const ITEMS: PlanItems = {
  tasks: [{ kind: 'book_follow_up', description: 'Book a follow-up visit', due: '2027-04-15', due_text: 'in 2 weeks', medication: null, span, source: 'rules' }],
  activities: [
    {
      kind: 'medication', title: 'Metformin 500 mg', instruction: '1 tablet twice a day', as_needed: false, span, source: 'rules',
      medication: { name: 'Metformin', code: null, dosage: {} }, timing: { repeat: { frequency: 2, period: 1, periodUnit: 'd', boundsDuration: { value: 14, code: 'd' } } },
    },
  ],
  warnings: [],
} as PlanItems;

async function setup() {
  const fx = await createPeopleFixture();
  const { clock, scheduler, publisher, events } = manualScheduler(fx.store, at('2027-04-01T08:00'));
  const log = createLogger({ level: 'silent', role: 't' });
  const deps = { store: fx.store, tokens: fx.tokens, sessionKeys: fx.sessionKeys, events: publisher, scheduler, log } as Partial<GatewayDeps> as GatewayDeps;
  registerCarePlanRoutes(fx.app, deps);
  registerGraphqlRoutes(fx.app, deps);
  const { tenant, doctor, stranger, patient, patientId } = await seedCareTeam(fx);
  const gql = graphqlCaller(fx.app);
  // The patient sets their own zone (reminders are computed in it).
  const zone = await gql(patient.headers, 'mutation($id: ID!) { updatePatient(id: $id, patch: { time_zone: "America/New_York" }) { time_zone } }', { id: patientId });
  expect(zone.body.data!.updatePatient).toEqual({ time_zone: NY });
  /** A note by the doctor, settled by the pipeline's settle step with `items`. */
  const note = async (items: PlanItems) => {
    const { note: n } = await fx.store.notes.create(tenant, {
      patient_id: patientId, author: { kind: 'user', id: doctor.user.user_id, role: 'doctor' }, text: 'Metformin 500 mg BID. Follow up in 2 weeks.',
      source: 'text', ocr_confidence: null, note_date: '2027-04-01',
    });
    await settleNote({ store: fx.store, events: publisher, scheduler, log, now: () => clock.now() }, tenant, n.note_id, { ok: true, extraction: sampleExtraction(), items });
    return n.note_id;
  };
  return { fx, tenant, doctor, stranger, patient, patientId, note, gql, events, scheduler,
    async [Symbol.asyncDispose]() { await scheduler.close(); await fx[Symbol.asyncDispose](); } };
}

const PLAN = `query($id: ID!) { patient(id: $id) {
  care_plan { care_plan_id status note_id activities { activity_id title kind status timing as_needed } }
  care_plans { items { care_plan_id status superseded_by } next_cursor }
  tasks { items { task_id description due due_text status } }
  notes { items { note_id status care_plan_id task_ids items } }
  reminders(state: upcoming) { activity_id due_at state }
} }`;

describe('GraphQL care plans, notes and tasks', () => {
  it('the patient and the doctor read the same plan, checklist, notes and reminders; a new note supersedes the plan', async () => {
    await using s = await setup();
    const empty = await s.gql(s.patient.headers, PLAN, { id: s.patientId });
    expect(empty.body.errors).toBeUndefined();
    expect(empty.body.data!.patient).toMatchObject({ care_plan: null, care_plans: { items: [] }, tasks: { items: [] }, notes: { items: [] } });

    const noteId = await s.note(ITEMS);
    const mine = await s.gql(s.patient.headers, PLAN, { id: s.patientId });
    expect(mine.body.errors).toBeUndefined();
    const p = mine.body.data!.patient;
    expect(p.care_plan).toMatchObject({ status: 'active', note_id: noteId, activities: [{ title: 'Metformin 500 mg', kind: 'medication', status: 'active', as_needed: false, timing: ITEMS.activities[0]!.timing }] });
    expect(p.tasks.items).toEqual([expect.objectContaining({ description: 'Book a follow-up visit', due: '2027-04-15', due_text: 'in 2 weeks', status: 'requested' })]);
    expect(p.notes.items).toEqual([expect.objectContaining({ note_id: noteId, status: 'processed', care_plan_id: p.care_plan.care_plan_id, items: ITEMS })]);
    expect(p.reminders[0]).toMatchObject({ activity_id: p.care_plan.activities[0].activity_id, state: 'scheduled', due_at: new Date(at('2027-04-01T09:00')).toISOString() });
    expect((await s.gql(s.doctor.headers, PLAN, { id: s.patientId })).body.data!.patient).toEqual(p);
    // The same records as REST.
    const FULL = `query($id: ID!) { patient(id: $id) {
      care_plan { care_plan_id patient_id note_id author { kind id role } status replaces superseded_by created_at updated_at revoked_at
        activities { activity_id kind title instruction medication timing as_needed span source status updated_at updated_by { kind id role } } }
      tasks { items { task_id patient_id note_id kind description due due_text medication span source status status_changed_by { kind id role } created_at updated_at } next_cursor }
    } }`;
    const full = (await s.gql(s.patient.headers, FULL, { id: s.patientId })).body.data!.patient;
    expect(full.care_plan).toEqual((await s.fx.call('GET', `/api/v1/patients/${s.patientId}/care-plan`, s.patient.headers)).body.data);
    expect(full.tasks).toEqual((await s.fx.call('GET', `/api/v1/patients/${s.patientId}/tasks`, s.patient.headers)).body.data);

    const second = await s.note({ ...ITEMS, tasks: [] });
    const after = (await s.gql(s.patient.headers, PLAN, { id: s.patientId })).body.data!.patient;
    expect(after.care_plan.note_id).toBe(second);
    expect(after.care_plans.items).toEqual([
      { care_plan_id: p.care_plan.care_plan_id, status: 'revoked', superseded_by: after.care_plan.care_plan_id },
      { care_plan_id: after.care_plan.care_plan_id, status: 'active', superseded_by: null },
    ]);
    const one = await s.gql(s.patient.headers, 'query($id: ID!, $n: ID!) { patient(id: $id) { note(id: $n) { note_id text author { kind role } } } }', { id: s.patientId, n: noteId });
    expect(one.body.data!.patient.note).toEqual({ note_id: noteId, text: 'Metformin 500 mg BID. Follow up in 2 weeks.', author: { kind: 'user', role: 'doctor' } });
  });

  it('an unassigned doctor gets NOT_FOUND for the plan and for posting a note; bad notes are coded and store nothing', async () => {
    await using s = await setup();
    await s.note(ITEMS);
    const plan = await s.gql(s.stranger.headers, PLAN, { id: s.patientId });
    expect(plan.body.data).toBeNull();
    const rest = await s.fx.call('GET', `/api/v1/patients/${s.patientId}/care-plan`, s.stranger.headers);
    expect(rest.status).toBe(404);
    expect(plan.body.errors![0]!.extensions).toEqual({ code: rest.body.error.code, status: 404, details: rest.body.error.details });
    expect(plan.body.errors![0]!.message).toBe(rest.body.error.message);
    const post = 'mutation($p: ID!, $t: String!) { postNote(patient_id: $p, text: $t) { note_id job_id status } }';
    expect((await s.gql(s.stranger.headers, post, { p: s.patientId, t: 'Aspirin 81 mg daily' })).body.errors![0]!.extensions).toMatchObject({ code: 'NOT_FOUND', details: { resource: 'patient' } });
    expect((await s.gql(s.doctor.headers, post, { p: s.patientId, t: '   ' })).body.errors![0]!.extensions.code).toBe('EMPTY_TEXT');
    expect((await s.gql(s.doctor.headers, post, { p: s.patientId, t: 'PK\u0003\u0004\u0000\u0000binary' })).body.errors![0]!.extensions.code).toBe('UNREADABLE_FILE');
    expect((await s.gql(s.patient.headers, post, { p: s.patientId, t: 'I feel fine' })).body.errors![0]!.extensions.code).toBe('FORBIDDEN');
    const notes = await s.gql(s.doctor.headers, 'query($id: ID!) { patient(id: $id) { notes { items { note_id } } } }', { id: s.patientId });
    expect(notes.body.data!.patient.notes.items).toHaveLength(1);
  });

  it('the patient ticks off a task (twice is idempotent, reopening a finished one is CONFLICT); the doctor ends an activity', async () => {
    await using s = await setup();
    await s.note(ITEMS);
    const p = (await s.gql(s.patient.headers, PLAN, { id: s.patientId })).body.data!.patient;
    const taskId = p.tasks.items[0].task_id as string;
    const tick = 'mutation($p: ID!, $t: ID!, $s: TaskStatus!) { updateTaskStatus(patient_id: $p, task_id: $t, status: $s) { task_id status status_changed_by { kind role } } }';
    const done = await s.gql(s.patient.headers, tick, { p: s.patientId, t: taskId, s: 'completed' });
    expect(done.body.data!.updateTaskStatus).toEqual({ task_id: taskId, status: 'completed', status_changed_by: { kind: 'user', role: 'patient' } });
    expect((await s.gql(s.patient.headers, tick, { p: s.patientId, t: taskId, s: 'completed' })).body.data!.updateTaskStatus.status).toBe('completed');
    expect((await s.gql(s.patient.headers, tick, { p: s.patientId, t: taskId, s: 'requested' })).body.errors![0]!.extensions).toMatchObject({ code: 'CONFLICT', status: 409 });
    expect((await s.gql(s.stranger.headers, tick, { p: s.patientId, t: taskId, s: 'cancelled' })).body.errors![0]!.extensions.code).toBe('NOT_FOUND');
    expect(s.events.filter((e) => e.type === 'task.updated')).toHaveLength(1);

    const edit = 'mutation($p: ID!, $a: ID!, $x: JSON!) { updateActivity(patient_id: $p, activity_id: $a, patch: $x) { activities { activity_id status } } }';
    const activityId = p.care_plan.activities[0].activity_id as string;
    expect((await s.gql(s.patient.headers, edit, { p: s.patientId, a: activityId, x: { status: 'ended' } })).body.errors![0]!.extensions.code).toBe('FORBIDDEN');
    expect((await s.gql(s.doctor.headers, edit, { p: s.patientId, a: activityId, x: { timing: { repeat: { frequency: -1 } } } })).body.errors![0]!.extensions.code).toBe('VALIDATION_FAILED');
    const ended = await s.gql(s.doctor.headers, edit, { p: s.patientId, a: activityId, x: { status: 'ended' } });
    expect(ended.body.errors).toBeUndefined();
    expect(ended.body.data!.updateActivity.activities).toEqual([{ activity_id: activityId, status: 'ended' }]);
    expect((await s.gql(s.patient.headers, PLAN, { id: s.patientId })).body.data!.patient.reminders).toEqual([]);
  });
});
