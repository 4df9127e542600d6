/**
 * GraphQL reminders and check-ins beside REST, on one app, one real store and the real scheduler
 * on a manual clock: the same lists, the same check-in outcomes and codes.
 */
import { describe, expect, it } from 'vitest';
import { registerReminderRoutes } from '../scheduler/routes.js';
import { at, createRemindersFixture } from '../scheduler/testing/reminders-fixture.js';
import { registerGraphqlRoutes } from './routes.js';
import { graphqlCaller } from './testing/graphql-fixture.js';

const FIELDS = 'reminder_id series_id care_plan_id activity_id patient_id title kind due_at state late nags delivered_at checked_in_at snoozed_until reason';

async function setup() {
  const s = await createRemindersFixture((app, deps) => {
    registerReminderRoutes(app, deps);
    registerGraphqlRoutes(app, deps);
  });
  await s.fx.store.assignments.assign(s.tenant, s.doctor.user.user_id, s.patient.patient_id);
  await s.activate('cp_A', { repeat: { frequency: 2, period: 1, periodUnit: 'd', boundsDuration: { value: 3, code: 'd' } } });
  return Object.assign(s, { gql: graphqlCaller(s.fx.app) });
}

describe('GraphQL reminders, as REST', () => {
  it('lists the same reminders as REST, for the patient and through the care team\'s patient view', async () => {
    await using s = await setup();
    const up = await s.gql(s.me.headers, `{ myReminders(state: upcoming) { ${FIELDS} } }`);
    const rest = await s.fx.call('GET', '/api/v1/me/reminders?state=upcoming', s.me.headers);
    expect(up.body.data!.myReminders).toEqual(rest.body.data.items);
    expect(up.body.data!.myReminders).toHaveLength(1);
    expect(up.body.data!.myReminders[0]).toMatchObject({ state: 'scheduled', due_at: new Date(at('2027-04-01T09:00')).toISOString() });

    const viaPatient = await s.gql(s.doctor.headers, `query($id: ID!) { patient(id: $id) { reminders(state: all) { reminder_id state } } }`, { id: s.patient.patient_id });
    const restDoctor = await s.fx.call('GET', `/api/v1/patients/${s.patient.patient_id}/reminders?state=all`, s.doctor.headers);
    expect(viaPatient.body.data!.patient.reminders).toEqual(restDoctor.body.data.items.map((i: { reminder_id: string; state: string }) => ({ reminder_id: i.reminder_id, state: i.state })));
    // A doctor has no reminders of their own: FORBIDDEN, as REST.
    expect((await s.gql(s.doctor.headers, '{ myReminders { reminder_id } }')).body.errors![0]!.extensions.code).toBe('FORBIDDEN');
    const bad = await s.gql(s.me.headers, '{ myReminders(from: "2027-01-01T00:00:00Z", to: "2027-12-01T00:00:00Z") { reminder_id } }');
    expect(bad.body.errors![0]!.extensions).toMatchObject({ code: 'VALIDATION_FAILED', details: { field: 'to' } });
  });

  it('checks in with the same outcomes and codes as REST: another\'s is NOT_FOUND, twice is 409, bad input changes nothing', async () => {
    await using s = await setup();
    s.clock.set(at('2027-04-01T09:00'));
    await s.scheduler.dispatcher.runDue();
    const due = await s.gql(s.me.headers, '{ myReminders(state: due) { reminder_id state } }');
    expect(due.body.data!.myReminders).toHaveLength(1);
    const id = due.body.data!.myReminders[0].reminder_id as string;
    const before = JSON.stringify(await s.fx.store.reminders.getReminder(s.tenant, id));
    const m = `mutation($id: ID!, $in: CheckInInput!) { checkIn(reminder_id: $id, input: $in) { ${FIELDS} } }`;

    const other = await s.gql(s.other.headers, m, { id, in: { action: 'taken' } });
    expect(other.body.errors![0]!.extensions).toEqual({ code: 'NOT_FOUND', status: 404, details: { resource: 'reminder' } });
    for (const bad of [{ action: 'skipped' }, { action: 'skipped', reason: '   ' }, { action: 'snooze', minutes: 0 }, { action: 'snooze', minutes: 10_000 }]) {
      const r = await s.gql(s.me.headers, m, { id, in: bad });
      expect(r.body.errors![0]!.extensions.code, JSON.stringify(bad)).toBe('VALIDATION_FAILED');
    }
    expect((await s.gql(s.me.headers, m, { id, in: { action: 'eaten' } })).status).toBe(400);
    expect((await s.gql(s.doctor.headers, m, { id, in: { action: 'taken' } })).body.errors![0]!.extensions.code).toBe('FORBIDDEN');
    expect(JSON.stringify(await s.fx.store.reminders.getReminder(s.tenant, id))).toBe(before);
    expect(s.events.filter((e) => e.type === 'reminder.checked_in')).toHaveLength(0);

    const ok = await s.gql(s.me.headers, m, { id, in: { action: 'taken' } });
    expect(ok.body.errors).toBeUndefined();
    expect(ok.body.data!.checkIn).toMatchObject({ reminder_id: id, state: 'taken' });
    expect(ok.body.data!.checkIn).toEqual((await s.fx.call('GET', '/api/v1/me/reminders?state=all', s.me.headers)).body.data.items.find((i: { reminder_id: string }) => i.reminder_id === id));
    const twice = await s.gql(s.me.headers, m, { id, in: { action: 'skipped', reason: 'felt sick' } });
    expect(twice.body.errors![0]!.extensions).toMatchObject({ code: 'REMINDER_ALREADY_CHECKED_IN', status: 409 });
    const restTwice = await s.fx.call('POST', `/api/v1/me/reminders/${id}/check-in`, s.me.headers, { action: 'taken' });
    expect(restTwice.body.error.code).toBe('REMINDER_ALREADY_CHECKED_IN');
    expect(s.events.filter((e) => e.type === 'reminder.checked_in')).toHaveLength(1);
    expect(JSON.stringify(twice.body)).not.toContain('felt sick');
  });

  it('schedule settings (tenant admin) and a patient\'s own meal times, as REST: same documents, same refusals, re-planning', async () => {
    await using s = await setup();
    const set = 'mutation($x: JSON!) { setScheduleSettings(settings: $x) }';
    expect((await s.gql(s.doctor.headers, set, { x: { nag_count: 2 } })).body.errors![0]!.extensions.code).toBe('FORBIDDEN');
    expect((await s.gql(s.admin.headers, set, { x: { nag_count: 99 } })).body.errors![0]!.extensions.code).toBe('VALIDATION_FAILED');
    expect((await s.gql(s.admin.headers, set, { x: { nag_count: 2, nag_interval_minutes: 10 } })).body.data!.setScheduleSettings).toEqual({ nag_count: 2, nag_interval_minutes: 10 });
    expect((await s.gql(s.admin.headers, '{ scheduleSettings }')).body.data!.scheduleSettings).toEqual((await s.fx.call('GET', '/api/v1/admin/settings/schedule', s.admin.headers)).body.data);

    const prefs = 'mutation($x: JSON!) { setMySchedulePreferences(preferences: $x) { preferences replanned_series } }';
    expect((await s.gql(s.doctor.headers, prefs, { x: { meals: { breakfast: '07:00' } } })).body.errors![0]!.extensions.code).toBe('FORBIDDEN');
    const moved = await s.gql(s.me.headers, prefs, { x: { sleep: { wake: '06:30', bedtime: '21:30' } } });
    expect(moved.body.errors).toBeUndefined();
    expect(moved.body.data!.setMySchedulePreferences.replanned_series).toBeGreaterThanOrEqual(0);
    expect((await s.gql(s.me.headers, '{ mySchedulePreferences }')).body.data!.mySchedulePreferences).toEqual((await s.fx.call('GET', '/api/v1/me/schedule-preferences', s.me.headers)).body.data);
  });
});
