import { readFileSync } from 'node:fs';
import { DateTime } from 'luxon';
import { afterEach, describe, expect, it } from 'vitest';
import { WardClerkError } from '../../core/errors.js';
import { createLogger } from '../../core/logger.js';
import { extractClinical } from '../../engine/clinical/extract.js';
import { planItemsFrom } from '../../engine/clinical/actions/plan-items.js';
import { countWakes, schedulerKit, seriesLockFree, type SchedulerKit } from '../scheduler/testing/scheduler-kit.js';
import { settleNote, type SettleDeps } from './settle-note.js';

const fixture = (n: string) => readFileSync(new URL(`../../engine/clinical/actions/fixtures/${n}`, import.meta.url), 'utf8');
const ZONE = 'Asia/Kolkata';
const at = (iso: string) => DateTime.fromISO(iso, { zone: ZONE }).toMillis();
const log = createLogger({ level: 'silent', role: 'test' });
let kit: SchedulerKit | null = null;
afterEach(async () => { await kit?.[Symbol.asyncDispose](); kit = null; });

async function setup() {
  kit = await schedulerKit(at('2026-12-02T07:00'), ZONE);
  const k = kit;
  const store = k.t.store;
  const deps: SettleDeps = { store, events: { stage: (...a) => publisher.stage(...a), release: (e) => publisher.release(e) }, scheduler: k.scheduler, log, now: () => k.clock.now() };
  // The kit's publisher (real outbox ops, released events recorded) is reached through the scheduler context.
  const publisher = k.scheduler.ctx.events;
  const note = async (text: string) => {
    const { note } = await store.notes.create(k.tenantId, { patient_id: k.patientId, author: { kind: 'user', id: 'usr_doc', role: 'doctor' }, text, source: 'text', ocr_confidence: null, note_date: '2026-12-02' });
    return note;
  };
  const ok = (text: string) => { const e = extractClinical(text); return { ok: true as const, extraction: e as unknown as Record<string, unknown>, items: planItemsFrom(text, e, '2026-12-02') }; };
  return { k, store, deps, note, ok };
}

describe('settleNote', () => {
  it('creates an active plan with activity ids, tasks and reminders, in one batch; settling again changes nothing', async () => {
    const { k, store, deps, note, ok } = await setup();
    const n = await note(fixture('discharge-diabetes.txt'));
    const r = await settleNote(deps, k.tenantId, n.note_id, ok(n.text));
    expect(r).toMatchObject({ status: 'processed', created: true });
    const plan = (await store.carePlans.active(k.tenantId, k.patientId))!;
    expect(plan.care_plan_id).toBe(r.care_plan_id);
    expect(new Set(plan.activities.map((a) => a.activity_id)).size).toBe(plan.activities.length);
    const series = await store.reminders.seriesOfPlan(k.tenantId, plan.care_plan_id);
    expect(series.map((s) => s.activity_id).sort()).toEqual(plan.activities.map((a) => a.activity_id).sort());
    expect(series.find((s) => s.title.startsWith('Paracetamol'))?.status).toBe('unscheduled'); // PRN: listed, never reminded
    expect((await store.tasks.listByPatient(k.tenantId, k.patientId)).items).toHaveLength(5);
    const job = await store.notes.job(k.tenantId, n.job_id);
    expect(job).toMatchObject({ total: 1, completed: 1, failed: 0 });
    expect(k.events.map((e) => e.type).sort()).toEqual(['job.completed', 'job.progress', 'note.processed', 'plan.activated']);
    // The events were committed to the outbox in the settle's own batch (this kit never publishes them).
    expect((await store.outbox.pending()).map((e) => e.id).sort()).toEqual(k.events.map((e) => e.id).sort());
    expect(JSON.stringify(k.events)).not.toMatch(/metformin|glimepiride/i);

    const again = await settleNote(deps, k.tenantId, n.note_id, ok(n.text));
    expect(again).toEqual({ status: 'processed', care_plan_id: r.care_plan_id, created: false });
    expect((await store.carePlans.listByPatient(k.tenantId, k.patientId)).items).toHaveLength(1);
    expect((await store.tasks.listByPatient(k.tenantId, k.patientId)).items).toHaveLength(5);
  });

  it('supersede mid-course: the old plan is revoked and every pending reminder of it cancelled; none of it fires afterwards', async () => {
    const { k, store, deps, note, ok } = await setup();
    const first = await note(fixture('discharge-diabetes.txt'));
    const oldId = (await settleNote(deps, k.tenantId, first.note_id, ok(first.text))).care_plan_id!;
    await k.runUntil(at('2026-12-05T12:00'), 30 * 60_000);
    const dueBefore = k.eventsOf('reminder.due').length;
    expect(dueBefore).toBeGreaterThan(5);

    const second = await note(fixture('opd-hypertension.txt'));
    const r = await settleNote(deps, k.tenantId, second.note_id, ok(second.text));
    const plans = (await store.carePlans.listByPatient(k.tenantId, k.patientId)).items;
    expect(plans.map((p) => [p.care_plan_id, p.status])).toEqual([[oldId, 'revoked'], [r.care_plan_id, 'active']]);
    expect(plans[0]).toMatchObject({ superseded_by: r.care_plan_id });
    for (const s of await store.reminders.seriesOfPlan(k.tenantId, oldId)) {
      expect(s.status === 'cancelled' || s.status === 'unscheduled').toBe(true);
      expect(s.open).toEqual([]);
    }
    const rows = await store.reminders.listForPatient(k.tenantId, k.patientId, { from: 0, to: at('2027-02-01T00:00'), limit: 10_000 }, () => true);
    expect(rows.filter((x) => x.care_plan_id === oldId && ['scheduled', 'due', 'nagged', 'snoozed'].includes(x.state))).toEqual([]);

    await k.runUntil(at('2026-12-08T12:00'), 30 * 60_000);
    const after = k.eventsOf('reminder.due').slice(dueBefore);
    expect(after.length).toBeGreaterThan(0);
    const late = await Promise.all(after.map((e) => store.reminders.getReminder(k.tenantId, String(e.data['reminder_id']))));
    expect(late.every((x) => x?.care_plan_id === r.care_plan_id)).toBe(true);
  });

  it('nothing actionable: the active plan stays; a failure is recorded on the note and its job', async () => {
    const { k, store, deps, note, ok } = await setup();
    const first = await note(fixture('rx-fever-tds.txt'));
    const planId = (await settleNote(deps, k.tenantId, first.note_id, ok(first.text))).care_plan_id;
    const quiet = await note('Seen today. Doing well. No complaints.');
    expect(await settleNote(deps, k.tenantId, quiet.note_id, ok(quiet.text))).toMatchObject({ status: 'no_actionable_items', care_plan_id: null });
    expect((await store.carePlans.active(k.tenantId, k.patientId))?.care_plan_id).toBe(planId);

    const bad = await note('Metformin 500 mg BD');
    expect(await settleNote(deps, k.tenantId, bad.note_id, { ok: false, code: 'ENGINE_UNAVAILABLE', message: 'No engine answered' })).toMatchObject({ status: 'failed' });
    expect(await store.notes.get(k.tenantId, bad.note_id)).toMatchObject({ status: 'failed', error: { code: 'ENGINE_UNAVAILABLE' } });
    expect(await store.notes.job(k.tenantId, bad.job_id)).toMatchObject({ failed: 1, errors: [{ code: 'ENGINE_UNAVAILABLE', external_id: bad.note_id }] });
    // A malformed extraction is a failure too, not a plan.
    const odd = await note('Metformin 500 mg BD');
    expect(await settleNote(deps, k.tenantId, odd.note_id, { ok: true, extraction: { nope: 1 }, items: { tasks: [], activities: [], warnings: [] } })).toMatchObject({ status: 'failed' });
    expect((await store.carePlans.active(k.tenantId, k.patientId))?.care_plan_id).toBe(planId);
    await expect(settleNote(deps, k.tenantId, 'nt_00000000000000000000000000', ok('x'))).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('a settle that fails after the old plan\'s series were locked frees them, wakes the dispatcher, and reports its own error', async () => {
    const { k, store, deps, note, ok } = await setup();
    const first = await note(fixture('rx-fever-tds.txt'));
    const oldId = (await settleNote(deps, k.tenantId, first.note_id, ok(first.text))).care_plan_id!;
    const before = await store.reminders.seriesOfPlan(k.tenantId, oldId);
    const held = before.filter((x) => x.status === 'active');
    expect(held.length).toBeGreaterThan(0);
    const wakes = countWakes(k);
    // The outbox refuses the new plan's event: by then the old plan's series are locked and both plans' ops are built.
    const failing: SettleDeps = { ...deps, events: {
      stage: (...a) => { if (a[1] === 'plan.activated') throw new WardClerkError('OVERLOADED', 'outbox full'); return deps.events.stage(...a); },
      release: (e) => deps.events.release(e),
    } };
    const second = await note(fixture('opd-hypertension.txt'));
    await expect(settleNote(failing, k.tenantId, second.note_id, ok(second.text))).rejects.toMatchObject({ code: 'OVERLOADED' });
    for (const x of held) expect(await seriesLockFree(k, x.series_id)).toBe(true);
    expect(wakes()).toBe(2); // the cancel's and the activation's after(), each once
    // Nothing of it was written: the old plan and its reminders stand, the note waits and settles on a retry.
    expect((await store.carePlans.active(k.tenantId, k.patientId))?.care_plan_id).toBe(oldId);
    expect(await store.reminders.seriesOfPlan(k.tenantId, oldId)).toEqual(before);
    expect((await store.notes.get(k.tenantId, second.note_id))?.status).toBe('pending');
    expect(await settleNote(deps, k.tenantId, second.note_id, ok(second.text))).toMatchObject({ status: 'processed', created: true });
  });

  it('a dispatcher wake that throws does not turn a committed settle into an error', async () => {
    const { k, store, deps, note, ok } = await setup();
    k.scheduler.ctx.wake = () => { throw new Error('dispatcher gone'); };
    const n = await note(fixture('rx-fever-tds.txt'));
    const r = await settleNote(deps, k.tenantId, n.note_id, ok(n.text));
    expect(r).toMatchObject({ status: 'processed', created: true });
    expect((await store.carePlans.active(k.tenantId, k.patientId))?.care_plan_id).toBe(r.care_plan_id);
  });
});
