import { DateTime } from 'luxon';
import { afterEach, describe, expect, it } from 'vitest';
import type { WardEvent } from '../../core/contracts.js';
import { checkInReminder } from './check-in.js';
import { activity, schedulerKit, type SchedulerKit } from './testing/scheduler-kit.js';

const NY = 'America/New_York';
const H = 3_600_000;
const at = (iso: string): number => DateTime.fromISO(iso, { zone: NY }).toMillis();
const local = (ms: number): string => DateTime.fromMillis(ms, { zone: NY }).toFormat('MM-dd HH:mm');
const BID_14D = { repeat: { frequency: 2, period: 1, periodUnit: 'd' as const, boundsDuration: { value: 14, code: 'd' } } };

let kit: SchedulerKit | null = null;
afterEach(async () => { await kit?.[Symbol.asyncDispose](); kit = null; });

const firstDeliveries = (k: SchedulerKit): WardEvent[] => k.eventsOf('reminder.due').filter((e) => e.data.nag === 0 && String(e.id).endsWith('.1'));
const dueAt = (e: WardEvent): number => Date.parse(String(e.data.due_at));

const seenOf = new WeakMap<SchedulerKit, Set<string>>();

/** Runs to `to`, checking in every first delivery as taken right away, except those `miss` picks. */
async function adherent(k: SchedulerKit, to: number, miss: (e: WardEvent, n: number) => boolean = () => false): Promise<number[]> {
  const takenAt: number[] = [];
  const seen = seenOf.get(k) ?? new Set<string>();
  seenOf.set(k, seen);
  let n = 0;
  while (k.clock.now() < to) {
    await k.runUntil(Math.min(to, k.clock.now() + 5 * 60_000));
    for (const e of firstDeliveries(k)) {
      if (seen.has(e.id)) continue;
      seen.add(e.id);
      if (miss(e, n++)) continue;
      await checkInReminder(k.scheduler.ctx, k.tenantId, k.patientId, String(e.data.reminder_id), { action: 'taken' });
      takenAt.push(k.clock.now());
    }
  }
  return takenAt;
}

describe('dispatcher on a manual clock', () => {
  it('a 14-day BID course across the US spring DST change delivers exactly 28 doses at 09:00/21:00 local', async () => {
    kit = await schedulerKit(at('2027-03-08T08:00'));
    await kit.activate([activity('act_bid', BID_14D)]);
    await adherent(kit, at('2027-03-24T00:00'));
    const doses = firstDeliveries(kit);
    expect(doses).toHaveLength(28);
    expect(new Set(doses.map((e) => local(dueAt(e)).slice(6)))).toEqual(new Set(['09:00', '21:00']));
    expect(local(dueAt(doses[0]!))).toBe('03-08 09:00');
    expect(local(dueAt(doses[27]!))).toBe('03-21 21:00');
    // Across the change (2027-03-14 02:00 → 03:00) the local times hold: 11 h of real time between 21:00 and 09:00 that night.
    const i = doses.findIndex((e) => local(dueAt(e)) === '03-13 21:00');
    expect(dueAt(doses[i + 1]!) - dueAt(doses[i]!)).toBe(11 * H);
    expect(doses.every((e) => e.data.late === false && e.audience?.user_ids[0] === kit!.userId)).toBe(true);
    // Ids and times only in the event: no medicine name.
    expect(JSON.stringify(doses)).not.toContain('medicine');
    expect(kit.eventsOf('reminder.missed')).toHaveLength(0);
  });

  it('a missed dose is made up: the rest shift one slot, never closer than the minimum interval', async () => {
    kit = await schedulerKit(at('2027-03-08T08:00'));
    await kit.activate([activity('act_bid', BID_14D)]);
    const taken = await adherent(kit, at('2027-03-25T00:00'), (_e, n) => n === 3);
    const missed = kit.eventsOf('reminder.missed');
    expect(missed).toHaveLength(1);
    // 28 doses still taken, the last one slot later than planned.
    expect(taken).toHaveLength(28);
    expect(local(taken[27]!)).toBe('03-22 09:00');
    for (let k = 1; k < taken.length; k++) expect(taken[k]! - taken[k - 1]!).toBeGreaterThanOrEqual(8 * H);
    // Four nags before the miss, 15 minutes apart.
    const rid = missed[0]!.data.reminder_id;
    expect(kit.eventsOf('reminder.due').filter((e) => e.data.reminder_id === rid).map((e) => e.data.nag)).toEqual([0, 1, 2, 3, 4]);
    const replans = [];
    const tables = kit.t.store.reminders;
    expect(tables).toBeDefined();
    for await (const key of (await kit.scheduler.ctx.repo.scope(kit.tenantId, kit.patientId)).tables.replans.sub.keys()) replans.push(key);
    expect(replans.length).toBeGreaterThanOrEqual(1);
  });

  it('a supersede mid-course cancels every pending reminder of the old plan', async () => {
    kit = await schedulerKit(at('2027-03-08T08:00'));
    const old = await kit.activate([activity('act_a', BID_14D), activity('act_b', { repeat: { frequency: 1, period: 1, periodUnit: 'd' } }, { kind: 'exercise', medication: null })]);
    await adherent(kit, at('2027-03-10T12:00'));
    const s = kit.scheduler;
    const cancel = await s.opsForCancel({ tenantId: kit.tenantId, patientId: kit.patientId, carePlanId: old });
    const act = await s.opsForActivation({ tenantId: kit.tenantId, patientId: kit.patientId, carePlanId: 'cp_NEW', audience: [kit.userId], zone: NY,
      activities: [activity('act_c', { repeat: { frequency: 1, period: 1, periodUnit: 'd', boundsDuration: { value: 3, code: 'd' } } })], start: new Date(kit.clock.now()) });
    await kit.t.store.reminders.write([...cancel.ops, ...act.ops]);
    cancel.after(); act.after();
    const before = firstDeliveries(kit).length;
    await adherent(kit, at('2027-03-20T00:00'));
    const after = firstDeliveries(kit).slice(before);
    expect(after.length).toBe(3);
    expect(after.every((e) => e.data.care_plan_id === 'cp_NEW')).toBe(true);
    const series = await kit.t.store.reminders.seriesOfPlan(kit.tenantId, old);
    expect(series.map((x) => x.status)).toEqual(['cancelled', 'cancelled']);
    const open = await kit.t.store.reminders.listForPatient(kit.tenantId, kit.patientId, { from: 0, to: at('2028-01-01T00:00'), limit: 100 },
      (r) => r.care_plan_id === old && ['scheduled', 'due', 'nagged', 'snoozed'].includes(r.state));
    expect(open).toEqual([]);
    const cancelled = await kit.t.store.reminders.listForPatient(kit.tenantId, kit.patientId, { from: 0, to: at('2028-01-01T00:00'), limit: 100 }, (r) => r.state === 'cancelled');
    expect(cancelled.length).toBeGreaterThanOrEqual(2);
    await expect(checkInReminder(s.ctx, kit.tenantId, kit.patientId, cancelled[0]!.reminder_id, { action: 'taken' })).rejects.toMatchObject({ code: 'REMINDER_CANCELLED' });
  });

  it('a cancel holds its series until committed: a delivery in between cannot bring the old plan back', async () => {
    kit = await schedulerKit(at('2027-03-08T08:00'));
    const plan = await kit.activate([activity('act_a', BID_14D)]);
    kit.clock.set(at('2027-03-08T09:00'));
    const cancel = await kit.scheduler.opsForCancel({ tenantId: kit.tenantId, patientId: kit.patientId, carePlanId: plan });
    const scan = kit.scheduler.dispatcher.runDue(); // due now, but its series is held
    await kit.t.store.reminders.write(cancel.ops);
    cancel.after();
    await scan;
    expect(firstDeliveries(kit)).toHaveLength(0);
    const [series] = await kit.t.store.reminders.seriesOfPlan(kit.tenantId, plan);
    expect(series).toMatchObject({ status: 'cancelled', open: [] });
    expect(await kit.t.store.reminders.dueUntil(Number.MAX_SAFE_INTEGER / 1e3, 10)).toEqual([]);
  });

  it('after two days down, a medication series has one dose open, the older ones missed, the rest re-planned ahead', async () => {
    kit = await schedulerKit(at('2027-05-01T08:00'));
    await kit.activate([activity('act', { repeat: { frequency: 2, period: 1, periodUnit: 'd', boundsDuration: { value: 7, code: 'd' } } })]);
    kit.clock.set(at('2027-05-03T10:00')); // 09:00, 21:00, 09:00, 21:00, 09:00 all passed while down
    await kit.scheduler.dispatcher.runDue();
    const rows = await kit.t.store.reminders.listForPatient(kit.tenantId, kit.patientId, { from: 0, to: at('2028-01-01T00:00'), limit: 100 }, () => true);
    const open = rows.filter((r) => r.state === 'due' || r.state === 'nagged');
    expect(open).toHaveLength(1);
    expect(firstDeliveries(kit).every((e) => e.data.late === true)).toBe(true);
    expect(kit.eventsOf('reminder.missed').length).toBe(rows.filter((r) => r.state === 'missed').length);
    const next = rows.filter((r) => r.state === 'scheduled');
    expect(next).toHaveLength(1);
    expect(next[0]!.due_at - open[0]!.due_at).toBeGreaterThanOrEqual(8 * H);
    expect(next[0]!.due_at).toBeGreaterThan(kit.clock.now());
  });

  it('started, the dispatcher sleeps until the next due entry and wakes on its own timer', async () => {
    kit = await schedulerKit(at('2027-05-01T08:00'));
    kit.scheduler.start();
    await kit.activate([activity('act', { repeat: { frequency: 1, period: 1, periodUnit: 'd', count: 2 } })]);
    const until = async (ok: () => boolean): Promise<void> => {
      for (let i = 0; i < 1000 && !ok(); i++) await new Promise((r) => setTimeout(r, 5));
    };
    await until(() => kit!.clock.nextTimerAt() !== null);
    // Its safety-net timer (at most a minute) fires at 08:01: a scan finds nothing and re-arms for 09:00.
    kit.clock.set(at('2027-05-01T08:59'));
    await until(() => kit!.clock.nextTimerAt() === at('2027-05-01T09:00'));
    expect(kit.clock.nextTimerAt()).toBe(at('2027-05-01T09:00'));
    expect(firstDeliveries(kit)).toHaveLength(0);
    kit.clock.set(at('2027-05-01T09:00'));
    await until(() => firstDeliveries(kit!).length > 0);
    expect(firstDeliveries(kit).map((e) => local(dueAt(e)))).toEqual(['05-01 09:00']);
  });

  it('reminders that fell due while the dispatcher was not running are delivered late, not lost', async () => {
    kit = await schedulerKit(at('2027-05-01T08:00'));
    await kit.activate([activity('act_once', { repeat: { frequency: 2, period: 1, periodUnit: 'd', count: 2 } })]);
    kit.clock.set(at('2027-05-01T10:30')); // "down" across 09:00, no scan ran
    await kit.scheduler.dispatcher.runDue();
    const [first] = firstDeliveries(kit);
    expect(first).toMatchObject({ data: { late: true } });
    expect(local(dueAt(first!))).toBe('05-01 09:00');
    await checkInReminder(kit.scheduler.ctx, kit.tenantId, kit.patientId, String(first!.data.reminder_id), { action: 'taken' });
    await kit.runUntil(at('2027-05-01T21:01'), 60_000);
    expect(firstDeliveries(kit).map((e) => e.data.late)).toEqual([true, false]);
  });
});
