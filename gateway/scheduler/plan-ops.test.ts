/**
 * The `after()` contract of plan ops, on the real store and scheduler: a caller's batch holds the
 * series it changes locked until `after()`, which frees them at once, wakes the dispatcher once
 * (a second call does nothing) and never throws, even when the wake itself fails.
 */
import { DateTime } from 'luxon';
import { afterEach, describe, expect, it } from 'vitest';
import { activity, countWakes, schedulerKit, seriesLockFree as lockFree, type SchedulerKit } from './testing/scheduler-kit.js';

const NY = 'America/New_York';
const at = (iso: string): number => DateTime.fromISO(iso, { zone: NY }).toMillis();

let kit: SchedulerKit | null = null;
afterEach(async () => { await kit?.[Symbol.asyncDispose](); kit = null; });

async function withPlan(): Promise<{ k: SchedulerKit; planId: string; seriesId: string; wakes: () => number }> {
  kit = await schedulerKit(at('2027-06-01T08:00'));
  const k = kit;
  const planId = await k.activate([activity('act_bid', { repeat: { frequency: 2, period: 1, periodUnit: 'd' } })]);
  const seriesId = (await k.t.store.reminders.seriesOfPlan(k.tenantId, planId))[0]!.series_id;
  return { k, planId, seriesId, wakes: countWakes(k) };
}

describe('plan ops after()', () => {
  it('frees the held series at once and wakes the dispatcher once, however often it is called', async () => {
    const { k, planId, seriesId, wakes } = await withPlan();
    const cancel = await k.scheduler.opsForCancel({ tenantId: k.tenantId, patientId: k.patientId, carePlanId: planId });
    expect(await lockFree(k, seriesId)).toBe(false); // held for the caller's batch
    // The caller's batch failed (never written): after() still runs, from its finally.
    cancel.after();
    cancel.after();
    expect(await lockFree(k, seriesId)).toBe(true);
    expect(wakes()).toBe(1);
    expect((await k.t.store.reminders.getSeries(k.tenantId, seriesId))?.status).toBe('active'); // nothing was written
  });

  it('never throws, and still frees the series, when waking the dispatcher fails', async () => {
    const { k, planId, seriesId } = await withPlan();
    k.scheduler.ctx.wake = () => { throw new Error('dispatcher gone'); };
    const change = await k.scheduler.opsForActivityChange({
      tenantId: k.tenantId, patientId: k.patientId, carePlanId: planId, audience: [k.userId], zone: NY, start: new Date(k.clock.now()),
      activity: activity('act_bid', { repeat: { frequency: 1, period: 1, periodUnit: 'd', timeOfDay: ['10:00'] } }),
    });
    await k.t.store.reminders.write(change.ops);
    expect(() => change.after()).not.toThrow();
    expect(await lockFree(k, seriesId)).toBe(true);
    expect((await k.t.store.reminders.getSeries(k.tenantId, seriesId))?.status).toBe('cancelled');
  });
});
