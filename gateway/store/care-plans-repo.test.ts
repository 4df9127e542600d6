import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../core/logger.js';
import { toFhirCarePlan, toFhirTask } from '../../core/care/fhir-care.js';
import { extractClinical } from '../../engine/clinical/extract.js';
import { planItemsFrom } from '../../engine/clinical/actions/plan-items.js';
import { settleNote } from '../care-plans/settle-note.js';
import { schedulerKit, type SchedulerKit } from '../scheduler/testing/scheduler-kit.js';

let kit: SchedulerKit | null = null;
afterEach(async () => { await kit?.[Symbol.asyncDispose](); kit = null; });

async function filesContain(dir: string, needle: string): Promise<boolean> {
  const want = Buffer.from(needle, 'utf8');
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && (await readFile(join(entry.parentPath, entry.name))).includes(want)) return true;
  }
  return false;
}

async function setup() {
  kit = await schedulerKit(Date.UTC(2026, 11, 2, 2), 'Asia/Kolkata');
  const k = kit;
  const store = k.t.store;
  const deps = { store, events: k.scheduler.ctx.events, scheduler: k.scheduler, log: createLogger({ level: 'silent', role: 'test' }), now: () => k.clock.now() };
  const addNote = async (text: string) => {
    const { note } = await store.notes.create(k.tenantId, { patient_id: k.patientId, author: { kind: 'user', id: 'usr_doc', role: 'doctor' }, text, source: 'text', ocr_confidence: null, note_date: '2026-12-02' });
    const e = extractClinical(text);
    await settleNote(deps, k.tenantId, note.note_id, { ok: true, extraction: e as unknown as Record<string, unknown>, items: planItemsFrom(text, e, '2026-12-02') });
    return note;
  };
  return { k, store, addNote };
}

describe('notes, care plans and tasks in the store', () => {
  it('seals note text, plan and task contents with the patient key: no plaintext on disk', async () => {
    const { k, addNote } = await setup();
    const marker = `Zylomarin${randomBytes(6).toString('hex')}`;
    await addNote(`Walk 30 minutes daily. Follow up in 2 weeks. Buy glucometer strips ${marker}. Tab Metformin 500 mg 1-0-1`);
    await k.t.store.close();
    expect(await filesContain(k.t.dir, marker)).toBe(false);
    expect(await filesContain(k.t.dir, 'glucometer')).toBe(false);
    expect(await filesContain(k.t.dir, 'metformin')).toBe(false);
    await k.t.reopen();
  });

  it('lists by patient a page at a time; another patient or tenant sees nothing; bad cursors are refused', async () => {
    const { k, store, addNote } = await setup();
    for (let i = 0; i < 3; i++) await addNote(`Check BP twice a week. Follow up after ${i + 1} weeks.`);
    const page1 = await store.notes.listByPatient(k.tenantId, k.patientId, { limit: 2 });
    expect(page1.items).toHaveLength(2);
    const page2 = await store.notes.listByPatient(k.tenantId, k.patientId, { limit: 2, cursor: page1.next_cursor! });
    expect(page2).toMatchObject({ next_cursor: null });
    expect(page2.items).toHaveLength(1);
    const plans = await store.carePlans.listByPatient(k.tenantId, k.patientId);
    expect(plans.items.map((p) => p.status)).toEqual(['revoked', 'revoked', 'active']);
    expect((await store.tasks.listByPatient(k.tenantId, k.patientId, { status: 'requested' })).items).toHaveLength(3);
    expect((await store.tasks.listByPatient(k.tenantId, k.patientId, { status: 'completed' })).items).toEqual([]);
    expect((await store.notes.listByPatient(k.tenantId, 'pt_00000000000000000000000000')).items).toEqual([]);
    const other = (await store.tenants.create({ name: 'other' })).id;
    expect(await store.carePlans.active(other, k.patientId)).toBeNull();
    expect(await store.notes.get(other, page1.items[0]!.note_id)).toBeNull();
    await expect(store.notes.listByPatient(k.tenantId, k.patientId, { cursor: 'x' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(store.tasks.listByPatient(k.tenantId, k.patientId, { limit: 0 })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });

  it('FHIR views: CarePlan with one activity per plan activity (scheduledTiming) and Task with its due date', async () => {
    const { k, store, addNote } = await setup();
    await addNote('Tab Metformin 500 mg 1-0-1 x 30 days. Change the dressing every 2 days. Follow up in 2 weeks.');
    const plan = (await store.carePlans.active(k.tenantId, k.patientId))!;
    const fhir = toFhirCarePlan(plan) as any;
    expect(fhir).toMatchObject({ resourceType: 'CarePlan', status: 'active', intent: 'plan', subject: { reference: `Patient/${k.patientId}` } });
    expect(fhir.activity.map((a: any) => a.id)).toEqual(plan.activities.map((a) => a.activity_id));
    const med = fhir.activity.find((a: any) => a.detail.kind === 'MedicationRequest');
    expect(med.detail.scheduledTiming.repeat).toMatchObject({ frequency: 2 });
    expect(med.detail.productCodeableConcept.text).toMatch(/metformin/i);
    const task = (await store.tasks.listByPatient(k.tenantId, k.patientId)).items[0]!;
    expect(toFhirTask(task)).toMatchObject({ resourceType: 'Task', status: 'requested', intent: 'order', restriction: { period: { end: '2026-12-16' } }, for: { reference: `Patient/${k.patientId}` } });
    expect(toFhirTask({ ...task, due: null, status: 'completed' })).not.toHaveProperty('restriction');
  });
});
