import { DateTime } from 'luxon';
import { afterEach, describe, expect, it } from 'vitest';
import { checkInReminder } from './check-in.js';
import { activity, schedulerKit, type SchedulerKit } from './testing/scheduler-kit.js';

const NY = 'America/New_York';
const at = (iso: string): number => DateTime.fromISO(iso, { zone: NY }).toMillis();
const local = (ms: number): string => DateTime.fromMillis(ms, { zone: NY }).toFormat('MM-dd HH:mm');

let kit: SchedulerKit | null = null;
afterEach(async () => { await kit?.[Symbol.asyncDispose](); kit = null; });

async function replans(k: SchedulerKit) {
  const s = await k.scheduler.ctx.repo.scope(k.tenantId, k.patientId);
  const out: unknown[] = [];
  for await (const [key] of s.tables.replans.sub.iterator()) out.push(key);
  return out;
}

describe('adaptive re-planning', () => {
  it('past the course-extension limit the remaining doses are dropped and the care team is alerted once', async () => {
    kit = await schedulerKit(at('2027-06-01T08:00'));
    await kit.scheduler.ctx.settings.put(kit.tenantId, { clock_policy: { maxCourseExtensionMinutes: 0 }, nag_count: 0 });
    await kit.activate([activity('act_med', { repeat: { frequency: 2, period: 1, periodUnit: 'd', boundsDuration: { value: 3, code: 'd' } } })]);
    const seen = new Set<string>();
    let first = true;
    while (kit.clock.now() < at('2027-06-06T00:00')) {
      await kit.runUntil(kit.clock.now() + 5 * 60_000);
      for (const e of kit.eventsOf('reminder.due')) {
        if (seen.has(e.id)) continue;
        seen.add(e.id);
        if (first) { first = false; continue; } // the first dose is never taken
        await checkInReminder(kit.scheduler.ctx, kit.tenantId, kit.patientId, String(e.data.reminder_id), { action: 'taken' });
      }
    }
    expect(kit.eventsOf('reminder.missed')).toHaveLength(1);
    const deliveries = kit.eventsOf('reminder.due');
    expect(deliveries).toHaveLength(6);
    expect(local(Date.parse(String(deliveries[5]!.data.due_at)))).toBe('06-03 21:00'); // never past the planned end
    const alerts = kit.eventsOf('plan.adherence_alert');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ data: { dropped_doses: 1, reason: 'course_extension_limit' }, audience: { user_ids: ['us_01JDOCTORAAAAAAAAAAAAAAAAA'] } });
    const series = (await kit.t.store.reminders.seriesOfPatient(kit.tenantId, kit.patientId))[0]!;
    expect(series.status).toBe('ended');
    expect(await replans(kit)).toHaveLength(1);
  });

  it('a non-medication item nags the set number of times, is missed, and the next one stays where it was', async () => {
    kit = await schedulerKit(at('2027-06-01T08:00'));
    await kit.scheduler.ctx.settings.put(kit.tenantId, { nag_count: 2, nag_interval_minutes: 10 });
    await kit.activate([activity('act_walk', { repeat: { frequency: 1, period: 1, periodUnit: 'd', timeOfDay: ['18:00'] } }, { kind: 'exercise', medication: null })]);
    await kit.runUntil(at('2027-06-02T18:00'), 5 * 60_000);
    const dues = kit.eventsOf('reminder.due');
    expect(dues.map((e) => [local(Date.parse(String(e.data.due_at))), e.data.nag])).toEqual([['06-01 18:00', 0], ['06-01 18:00', 1], ['06-01 18:00', 2], ['06-02 18:00', 0]]);
    expect(kit.eventsOf('reminder.missed')).toHaveLength(1);
    expect(await replans(kit)).toHaveLength(0);
    // A missed reminder is closed: checking it in later is refused, and nothing changes.
    const missedId = String(kit.eventsOf('reminder.missed')[0]!.data.reminder_id);
    await expect(checkInReminder(kit.scheduler.ctx, kit.tenantId, kit.patientId, missedId, { action: 'taken' })).rejects.toMatchObject({ code: 'REMINDER_NOT_DUE' });
  });

  it('an activity change replaces its series; PRN and untimed activities are recorded unscheduled with their reason', async () => {
    kit = await schedulerKit(at('2027-06-01T08:00'));
    const r = await kit.scheduler.opsForActivation({ tenantId: kit.tenantId, patientId: kit.patientId, carePlanId: 'cp_X', audience: [kit.userId], zone: NY, start: new Date(kit.clock.now()),
      activities: [activity('a1', { repeat: { frequency: 1, period: 1, periodUnit: 'd' } }), activity('a2', { repeat: { frequency: 4, period: 1, periodUnit: 'd' } }, { as_needed: true }), activity('a3', null)] });
    expect(r.series.map((x) => [x.activity_id, x.scheduled, x.reason])).toEqual([['a1', true, null], ['a2', false, 'as_needed'], ['a3', false, 'no_repeat']]);
    await kit.t.store.reminders.write(r.ops);
    await expect(kit.scheduler.opsForActivation({ tenantId: kit.tenantId, patientId: kit.patientId, carePlanId: 'cp_Y', audience: [], zone: 'Mars/Olympus', start: new Date(), activities: [activity('a1', null)] }))
      .rejects.toMatchObject({ code: 'INVALID_TIME_ZONE' });
    const change = await kit.scheduler.opsForActivityChange({ tenantId: kit.tenantId, patientId: kit.patientId, carePlanId: 'cp_X', audience: [kit.userId], zone: NY, start: new Date(kit.clock.now()),
      activity: activity('a1', { repeat: { frequency: 1, period: 1, periodUnit: 'd', timeOfDay: ['11:15'] } }) });
    await kit.t.store.reminders.write(change.ops);
    change.after();
    await kit.runUntil(at('2027-06-01T12:00'));
    expect(kit.eventsOf('reminder.due').filter((e) => e.data.nag === 0).map((e) => local(Date.parse(String(e.data.due_at))))).toEqual(['06-01 11:15']);
    const ended = await kit.scheduler.opsForActivityChange({ tenantId: kit.tenantId, patientId: kit.patientId, carePlanId: 'cp_X', audience: [kit.userId], zone: NY, start: new Date(kit.clock.now()),
      activity: { ...activity('a1', null), ended: true } });
    await kit.t.store.reminders.write(ended.ops);
    ended.after();
    await kit.runUntil(at('2027-06-03T12:00'), 30 * 60_000);
    expect(kit.eventsOf('reminder.due').filter((e) => e.data.nag === 0)).toHaveLength(1);
  });
});
