/**
 * A doctor's activity edit on the real store and scheduler (manual clock): the plan and the
 * activity's reminders change together, the series it held are free the moment it answers, and a
 * dispatcher wake that fails cannot turn the committed edit into an error.
 */
import { readFileSync } from 'node:fs';
import { DateTime } from 'luxon';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.js';
import { extractClinical } from '../../engine/clinical/extract.js';
import { planItemsFrom } from '../../engine/clinical/actions/plan-items.js';
import type { Principal } from '../http/app-env.js';
import { countWakes, schedulerKit, seriesLockFree, type SchedulerKit } from '../scheduler/testing/scheduler-kit.js';
import { updateActivity } from './service-activities.js';
import { settleNote } from './settle-note.js';

const ZONE = 'Asia/Kolkata';
const at = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).toMillis();
const log = createLogger({ level: 'silent', role: 'test' });
const text = readFileSync(new URL('../../engine/clinical/actions/fixtures/rx-fever-tds.txt', import.meta.url), 'utf8');
let kit: SchedulerKit | null = null;
afterEach(async () => { await kit?.[Symbol.asyncDispose](); kit = null; });

async function withPlan() {
  kit = await schedulerKit(at('2026-12-02T07:00'), ZONE);
  const k = kit;
  const store = k.t.store;
  const { note } = await store.notes.create(k.tenantId, { patient_id: k.patientId, author: { kind: 'user', id: 'usr_doc', role: 'doctor' }, text, source: 'text', ocr_confidence: null, note_date: '2026-12-02' });
  const e = extractClinical(text);
  const settled = await settleNote({ store, events: k.scheduler.ctx.events, scheduler: k.scheduler, log, now: () => k.clock.now() }, k.tenantId, note.note_id,
    { ok: true, extraction: e as unknown as Record<string, unknown>, items: planItemsFrom(text, e, '2026-12-02') });
  const plan = (await store.carePlans.active(k.tenantId, k.patientId))!;
  expect(plan.care_plan_id).toBe(settled.care_plan_id);
  const series = (await store.reminders.seriesOfPlan(k.tenantId, plan.care_plan_id)).find((x) => x.status === 'active')!;
  const principal: Principal = { kind: 'client', sub: 'cl_edits', tenantId: k.tenantId, scopes: ['patients:read', 'patients:write'] };
  return { k, store, plan, series, principal, deps: { store, scheduler: k.scheduler, now: () => k.clock.now() } };
}

describe('updateActivity', () => {
  it('re-plans the activity in one batch and leaves its series unlocked, the dispatcher woken once', async () => {
    const { k, store, series, principal, deps } = await withPlan();
    const wakes = countWakes(k);
    const next = await updateActivity(deps, principal, k.patientId, series.activity_id, { timing: { repeat: { frequency: 1, period: 1, periodUnit: 'd', timeOfDay: ['10:30:00'] } } });
    expect(next.activities.find((a) => a.activity_id === series.activity_id)?.timing).toEqual({ repeat: { frequency: 1, period: 1, periodUnit: 'd', timeOfDay: ['10:30:00'] } });
    expect(await seriesLockFree(k, series.series_id)).toBe(true);
    expect(wakes()).toBe(1);
    const now = await store.reminders.seriesOfPlan(k.tenantId, next.care_plan_id);
    expect(now.find((x) => x.series_id === series.series_id)?.status).toBe('cancelled');
    expect(now.filter((x) => x.activity_id === series.activity_id && x.status === 'active')).toHaveLength(1);
  });

  it('answers with the committed edit even when waking the dispatcher throws', async () => {
    const { k, store, series, principal, deps } = await withPlan();
    k.scheduler.ctx.wake = () => { throw new Error('dispatcher gone'); };
    const next = await updateActivity(deps, principal, k.patientId, series.activity_id, { status: 'ended' });
    expect(next.activities.find((a) => a.activity_id === series.activity_id)?.status).toBe('ended');
    expect((await store.carePlans.active(k.tenantId, k.patientId))?.activities.find((a) => a.activity_id === series.activity_id)?.status).toBe('ended');
    expect(await seriesLockFree(k, series.series_id)).toBe(true);
  });
});
