import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { registerReminderRoutes } from './routes.js';
import { at, createRemindersFixture, NY } from './testing/reminders-fixture.js';

const setup = () => createRemindersFixture(registerReminderRoutes);

describe('reminder routes', () => {
  it('lists, checks in, and refuses bad check-ins with coded errors and no change', async () => {
    await using s = await setup();
    await s.activate('cp_A', { repeat: { frequency: 2, period: 1, periodUnit: 'd', boundsDuration: { value: 3, code: 'd' } } });
    const up = await s.fx.call('GET', '/api/v1/me/reminders?state=upcoming', s.me.headers);
    expect(up.status).toBe(200);
    expect(up.body.data.items).toHaveLength(1);
    expect(up.body.data.items[0]).toMatchObject({ state: 'scheduled', title: 'Test medicine', due_at: new Date(at('2027-04-01T09:00')).toISOString() });
    s.clock.set(at('2027-04-01T09:00'));
    await s.scheduler.dispatcher.runDue();
    const due = await s.fx.call('GET', '/api/v1/me/reminders?state=due', s.me.headers);
    const id = due.body.data.items[0].reminder_id as string;
    expect(due.body.data.items).toHaveLength(1);
    const path = `/api/v1/me/reminders/${id}/check-in`;
    const before = JSON.stringify(await s.fx.store.reminders.getReminder(s.tenant, id));
    const outboxBefore = (await s.fx.store.outbox.pending()).length;
    // Someone else's reminder is not found; bad bodies are 400; none of them changes anything.
    expect((await s.fx.call('POST', path, s.other.headers, { action: 'taken' })).body.error).toMatchObject({ code: 'NOT_FOUND', details: { resource: 'reminder' } });
    for (const bad of [{ action: 'skipped' }, { action: 'skipped', reason: '   ' }, { action: 'snooze', minutes: 0 }, { action: 'snooze', minutes: 10_000 }, { action: 'eaten' }, { action: 'taken', extra: 1 }]) {
      const r = await s.fx.call('POST', path, s.me.headers, bad);
      expect(r.status, JSON.stringify(bad)).toBe(400);
      expect(r.body.error.code).toBe('VALIDATION_FAILED');
    }
    expect((await s.fx.call('POST', '/api/v1/me/reminders/rm_nope/check-in', s.me.headers, { action: 'taken' })).status).toBe(404);
    expect((await s.fx.call('POST', path, s.doctor.headers, { action: 'taken' })).status).toBe(403);
    expect(JSON.stringify(await s.fx.store.reminders.getReminder(s.tenant, id))).toBe(before);
    expect((await s.fx.store.outbox.pending()).length).toBe(outboxBefore);

    const ok = await s.fx.call('POST', path, s.me.headers, { action: 'taken' });
    expect(ok.status).toBe(200);
    expect(ok.body.data).toMatchObject({ reminder_id: id, state: 'taken' });
    const twice = await s.fx.call('POST', path, s.me.headers, { action: 'skipped', reason: 'felt sick' });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('REMINDER_ALREADY_CHECKED_IN');
    expect(s.events.filter((e) => e.type === 'reminder.checked_in')).toHaveLength(1);

    // The care team's view: 404 until assigned.
    const teamPath = `/api/v1/patients/${s.patient.patient_id}/reminders?state=all`;
    expect((await s.fx.call('GET', teamPath, s.doctor.headers)).status).toBe(404);
    await s.fx.store.assignments.assign(s.tenant, s.doctor.user.user_id, s.patient.patient_id);
    const team = await s.fx.call('GET', teamPath, s.doctor.headers);
    expect(team.body.data.items.map((r: { state: string }) => r.state)).toEqual(['taken', 'scheduled']);
    expect((await s.fx.call('GET', '/api/v1/me/reminders?from=2027-04-02T00:00:00Z&to=2027-09-01T00:00:00Z', s.me.headers)).status).toBe(400);
  });

  it('a reminder of a superseded plan cannot be checked in; snooze re-delivers', async () => {
    await using s = await setup();
    await s.activate('cp_A', { repeat: { frequency: 1, period: 1, periodUnit: 'd' } });
    s.clock.set(at('2027-04-01T09:00'));
    await s.scheduler.dispatcher.runDue();
    const [rem] = (await s.fx.call('GET', '/api/v1/me/reminders?state=due', s.me.headers)).body.data.items;
    const snooze = await s.fx.call('POST', `/api/v1/me/reminders/${rem.reminder_id}/check-in`, s.me.headers, { action: 'snooze', minutes: 30 });
    expect(snooze.body.data.state).toBe('snoozed');
    s.clock.set(at('2027-04-01T09:30'));
    await s.scheduler.dispatcher.runDue();
    const again = s.events.filter((e) => e.type === 'reminder.due' && e.data.reminder_id === rem.reminder_id);
    expect(again.map((e) => e.id)).toEqual([`${rem.reminder_id}.1`, `${rem.reminder_id}.2`]);
    const cancel = await s.scheduler.opsForCancel({ tenantId: s.tenant, patientId: s.patient.patient_id, carePlanId: 'cp_A' });
    await s.fx.store.reminders.write(cancel.ops);
    cancel.after();
    const r = await s.fx.call('POST', `/api/v1/me/reminders/${rem.reminder_id}/check-in`, s.me.headers, { action: 'taken' });
    expect(r.status).toBe(409);
    expect(r.body.error.code).toBe('REMINDER_CANCELLED');
    expect((await s.fx.store.reminders.getReminder(s.tenant, rem.reminder_id))?.state).toBe('cancelled');
  });

  it('tenant schedule settings (admin only, validated) and patient meal times re-plan future reminders', async () => {
    await using s = await setup();
    const put = (h: Record<string, string>, b: unknown) => s.fx.call('PUT', '/api/v1/admin/settings/schedule', h, b);
    expect((await put(s.me.headers, { nag_count: 2 })).status).toBe(403);
    for (const bad of [{ nag_count: -1 }, { clock_policy: { frequencyTimes: { 2: ['09:00'] } } }, { clock_policy: { meals: { breakfast: '25:00' } } }, { colour: 'red' }]) {
      const r = await put(s.admin.headers, bad);
      expect(r.status, JSON.stringify(bad)).toBe(400);
      expect(r.body.error.code).toBe('VALIDATION_FAILED');
    }
    expect((await s.fx.call('GET', '/api/v1/admin/settings/schedule', s.admin.headers)).body.data).toEqual({});
    expect((await put(s.admin.headers, { nag_interval_minutes: 5, nag_count: 1, clock_policy: { meals: { breakfast: '07:00', lunch: '12:30', dinner: '18:30' } } })).status).toBe(200);
    await s.activate('cp_B', { repeat: { frequency: 1, period: 1, periodUnit: 'd', when: ['ACM'] } }, 'measurement');
    const first = (await s.fx.call('GET', '/api/v1/me/reminders?state=upcoming', s.me.headers)).body.data.items[0];
    expect(first.due_at).toBe(new Date(at('2027-04-02T06:30')).toISOString()); // 30 min before the tenant's 07:00 breakfast
    expect((await s.fx.call('PUT', '/api/v1/me/schedule-preferences', s.me.headers, { meals: { breakfast: '26:00' } })).status).toBe(400);
    const moved = await s.fx.call('PUT', '/api/v1/me/schedule-preferences', s.me.headers, { meals: { breakfast: '10:00' } });
    expect(moved.body.data.replanned_series).toBe(1);
    const after = (await s.fx.call('GET', '/api/v1/me/reminders?state=upcoming', s.me.headers)).body.data.items[0];
    expect(DateTime.fromISO(after.due_at, { zone: NY }).toFormat('HH:mm')).toBe('09:30');
  });
});
