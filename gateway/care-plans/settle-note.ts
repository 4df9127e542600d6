/**
 * Settling a note (issue 8): the pipeline's outcome becomes durable in ONE synced batch — the
 * note's status, its job record, its checklist tasks and, when it yields plan activities, the new
 * CarePlan made active, the old one `revoked` (kept for history), the old plan's pending
 * reminders cancelled and the new plan's reminders created (ops from the scheduler), with the
 * outbox entries of every event. A crash leaves either all of it or none of it: exactly one of
 * old and new plan is active. A note that yields nothing actionable leaves the active plan alone
 * (status `no_actionable_items`). Idempotent: a note that is no longer pending is not settled again.
 */
import { newId } from '../../core/crypto.js';
import { WardClerkError } from '../../core/errors.js';
import type { Logger } from '../../core/logger.js';
import { ExtractionSchema } from '../../core/clinical/extraction.js';
import type { PlanItems } from '../../core/care/plan-items.js';
import type { CarePlanRecord, NoteRecord, TaskRecord } from '../../core/care/records.js';
import type { WardEvent } from '../../core/contracts.js';
import type { EventPublisher } from '../events/publisher.js';
import type { RawOp } from '../store/group-commit.js';
import type { JobRecord } from '../store/records.js';
import type { Store } from '../store/store.js';
import type { CarePlanScheduler } from './scheduler-port.js';

export interface SettleDeps {
  store: Store;
  events: Pick<EventPublisher, 'stage' | 'release'>;
  scheduler: CarePlanScheduler;
  log: Logger;
  /** Now, by the scheduler's clock (reminders of a new plan start from it). */
  now(): number;
}

export type NoteOutcome =
  | { ok: true; extraction: Record<string, unknown>; items: PlanItems }
  | { ok: false; code: string; message: string };

export interface SettleResult { status: NoteRecord['status']; care_plan_id: string | null; created: boolean }

/** Users whose own sockets hear about this patient's plan: the patient's account and the care team. */
export async function audienceOf(store: Store, tenantId: string, patientId: string, userId: string | null): Promise<string[]> {
  const team = await store.assignments.staffOf(tenantId, patientId);
  return [...new Set([...(userId ? [userId] : []), ...team])];
}

/** Settles note `noteId` with the pipeline's outcome (see the module comment). NOT_FOUND for an unknown note. */
export async function settleNote(deps: SettleDeps, tenantId: string, noteId: string, outcome: NoteOutcome): Promise<SettleResult> {
  const { store } = deps;
  const first = await store.notes.get(tenantId, noteId);
  if (!first) throw new WardClerkError('NOT_FOUND', 'No such note', { details: { resource: 'note' } });
  return store.notes.lockPatient(tenantId, first.patient_id, async () => {
    const note = (await store.notes.get(tenantId, noteId))!;
    if (note.status !== 'pending') return { status: note.status, care_plan_id: note.care_plan_id, created: false };
    const patient = await store.patients.get(tenantId, note.patient_id);
    if (!patient) throw new WardClerkError('NOT_FOUND', 'No such patient', { details: { resource: 'patient' } });
    const audience = await audienceOf(store, tenantId, note.patient_id, patient.user_id);
    const { scope, seal } = await store.notes.seal(tenantId, note.patient_id);
    const job = await store.notes.job(tenantId, note.job_id);
    const nowMs = deps.now();
    const now = new Date(nowMs).toISOString();
    const ops: RawOp[] = [];
    const events: WardEvent[] = [];
    const afters: Array<() => void> = [];
    const stage = (type: Parameters<SettleDeps['events']['stage']>[1], data: Record<string, unknown>, id: string) => {
      const { event, op } = deps.events.stage(tenantId, type, data, id, audience);
      ops.push(op);
      events.push(event);
    };

    // The scheduler holds the old plan's series locked until its after() runs: on every path.
    let settled: NoteRecord;
    try {
      const extraction = outcome.ok ? ExtractionSchema.safeParse(outcome.extraction) : null;
      if (!outcome.ok || !extraction?.success) {
        const error = outcome.ok
          ? { code: 'INTERNAL', message: 'The engine returned an extraction that does not match its schema' }
          : { code: outcome.code, message: outcome.message };
        settled = { ...note, status: 'failed', error, processed_at: now };
        stage('note.failed', { note_id: note.note_id, patient_id: note.patient_id, job_id: note.job_id, code: error.code }, `note.failed.${note.note_id}`);
      } else {
        const items = outcome.items;
        const tasks: TaskRecord[] = items.tasks.map((t) => ({
          ...t, task_id: newId('tk'), tenant_id: tenantId, patient_id: note.patient_id, note_id: note.note_id, status: 'requested',
          status_changed_by: null, created_at: now, updated_at: now,
        }));
        for (const t of tasks) ops.push(...store.tasks.ops(scope, seal, t, true));
        let planId: string | null = null;
        if (items.activities.length > 0) {
          planId = await supersede(deps, { scope, seal, note, items, patient, audience, nowMs, now, ops, afters, stage });
        }
        const nothing = tasks.length === 0 && items.activities.length === 0;
        const active = nothing ? await store.carePlans.active(tenantId, note.patient_id) : null;
        settled = {
          ...note, status: nothing ? 'no_actionable_items' : 'processed', care_plan_id: planId, task_ids: tasks.map((t) => t.task_id),
          items, extraction: extraction.data, processed_at: now,
        };
        stage('note.processed', {
          note_id: note.note_id, patient_id: note.patient_id, job_id: note.job_id, status: settled.status, care_plan_id: planId,
          active_care_plan_id: planId ?? active?.care_plan_id ?? null, tasks: tasks.length, activities: items.activities.length,
        }, `note.processed.${note.note_id}`);
      }
      ops.push(...store.notes.ops(scope, seal, settled));
      if (job) {
        const failed = settled.status === 'failed';
        const done: JobRecord = {
          ...job, completed: failed ? 0 : 1, failed: failed ? 1 : 0, updated_at: now,
          errors: failed ? [{ index: 0, external_id: note.note_id, code: settled.error!.code, message: settled.error!.message }] : [],
        };
        ops.push(store.notes.jobOp(scope, done));
        stage('job.progress', { job_id: job.job_id, total: 1, completed: done.completed, failed: done.failed }, `job.progress.${job.job_id}`);
        stage('job.completed', { job_id: job.job_id, status: failed ? 'failed' : 'completed', total: 1, completed: done.completed, failed: done.failed, note_id: note.note_id }, `job.completed.${job.job_id}`);
      }
      await store.carePlans.write(ops);
    } finally {
      for (const after of afters) after();
    }
    for (const e of events) deps.events.release(e);
    deps.log.info({ note_id: note.note_id, status: settled.status, care_plan_id: settled.care_plan_id, tasks: settled.task_ids.length }, 'note settled');
    return { status: settled.status, care_plan_id: settled.care_plan_id, created: true };
  });
}

interface SupersedeInput {
  scope: Awaited<ReturnType<Store['notes']['seal']>>['scope'];
  seal: Awaited<ReturnType<Store['notes']['seal']>>['seal'];
  note: NoteRecord;
  items: PlanItems;
  patient: { patient_id: string; user_id: string | null; time_zone: string };
  audience: string[];
  nowMs: number;
  now: string;
  ops: RawOp[];
  afters: Array<() => void>;
  stage(type: 'plan.activated' | 'plan.superseded', data: Record<string, unknown>, id: string): void;
}

/** Adds to `ops` the new plan (active), the old plan revoked, and both plans' reminder ops. Returns the new plan's id. */
async function supersede(deps: SettleDeps, x: SupersedeInput): Promise<string> {
  const { store, scheduler } = deps;
  const tenantId = x.note.tenant_id;
  const patientId = x.note.patient_id;
  const plan: CarePlanRecord = {
    care_plan_id: newId('cp'), tenant_id: tenantId, patient_id: patientId, note_id: x.note.note_id, author: x.note.author, status: 'active',
    activities: x.items.activities.map((a) => ({ ...a, activity_id: newId('act'), status: 'active', updated_at: x.now, updated_by: null })),
    replaces: null, superseded_by: null, created_at: x.now, updated_at: x.now, revoked_at: null,
  };
  const old = await store.carePlans.active(tenantId, patientId);
  if (old) {
    plan.replaces = old.care_plan_id;
    x.ops.push(...store.carePlans.ops(x.scope, x.seal, { ...old, status: 'revoked', superseded_by: plan.care_plan_id, revoked_at: x.now, updated_at: x.now }));
    const cancel = await scheduler.opsForCancel({ tenantId, patientId, carePlanId: old.care_plan_id });
    x.ops.push(...cancel.ops);
    x.afters.push(cancel.after);
    x.stage('plan.superseded', { care_plan_id: old.care_plan_id, superseded_by: plan.care_plan_id, patient_id: patientId, note_id: x.note.note_id }, `plan.superseded.${old.care_plan_id}`);
  }
  const activation = await scheduler.opsForActivation({
    tenantId, patientId, carePlanId: plan.care_plan_id, audience: x.patient.user_id ? [x.patient.user_id] : [], zone: x.patient.time_zone,
    activities: plan.activities.filter((a) => a.status === 'active'), start: new Date(x.nowMs),
  });
  x.ops.push(...store.carePlans.ops(x.scope, x.seal, plan, true), store.carePlans.activeOp(x.scope, x.seal, patientId, plan.care_plan_id), ...activation.ops);
  x.afters.push(activation.after);
  x.stage('plan.activated', { care_plan_id: plan.care_plan_id, patient_id: patientId, note_id: x.note.note_id, replaces: plan.replaces, activities: plan.activities.length }, `plan.activated.${plan.care_plan_id}`);
  return plan.care_plan_id;
}
