/**
 * Checklist tasks: the patient, their care team, a tenant admin (and API clients with
 * patients:read) list them; the patient or the care team (or a client with patients:write) move a
 * task from `requested` to `completed` or `cancelled`. Each change is one synced write with its
 * `task.updated` event (ids only) in the outbox.
 */
import { z } from 'zod';
import { WardClerkError } from '../../core/errors.js';
import { TASK_STATUSES, type TaskRecord } from '../../core/care/records.js';
import { loadPatientFor } from '../people/access.js';
import type { Principal } from '../http/app-env.js';
import type { Page } from '../store/patient-index.js';
import { audienceOf } from './settle-note.js';
import { actorOf, type CareDeps } from './service.js';

export const TaskPatchSchema = z.object({ status: z.enum(['completed', 'cancelled', 'requested']) }).strict();
export type TaskPatch = z.infer<typeof TaskPatchSchema>;

/** The patient's tasks, oldest first; `status` filters. */
export async function listTasks(deps: CareDeps, principal: Principal, patientId: string, query: { cursor?: string; limit?: number; status?: TaskRecord['status'] } = {}): Promise<Page<TaskRecord>> {
  const patient = await loadPatientFor(deps, principal, patientId);
  if (query.status !== undefined && !TASK_STATUSES.includes(query.status)) {
    throw new WardClerkError('VALIDATION_FAILED', 'status must be requested, completed or cancelled', { details: { field: 'status' } });
  }
  return deps.store.tasks.listByPatient(patient.tenant_id, patient.patient_id, query);
}

/**
 * Changes a task's status. Setting the status it already has is a no-op (idempotent);
 * a finished task (completed or cancelled) cannot change again: CONFLICT. A tenant admin reads but
 * does not tick off a patient's tasks: FORBIDDEN.
 */
export async function updateTask(deps: CareDeps, principal: Principal, patientId: string, taskId: string, patch: unknown): Promise<TaskRecord> {
  const patient = await loadPatientFor(deps, principal, patientId, 'write');
  if (principal.kind === 'user' && principal.role === 'tenant_admin') {
    throw new WardClerkError('FORBIDDEN', 'Only the patient or their care team may change a task', { details: { allowed_roles: ['patient', 'doctor', 'nurse'] } });
  }
  const parsed = TaskPatchSchema.safeParse(patch);
  if (!parsed.success) {
    throw new WardClerkError('VALIDATION_FAILED', 'Request failed validation', { details: { issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })) } });
  }
  const { store } = deps;
  return store.notes.lockPatient(patient.tenant_id, patient.patient_id, async () => {
    const task = await store.tasks.get(patient.tenant_id, taskId);
    if (!task || task.patient_id !== patient.patient_id) throw new WardClerkError('NOT_FOUND', 'No such task', { details: { resource: 'task' } });
    if (task.status === parsed.data.status) return task;
    if (task.status !== 'requested') {
      throw new WardClerkError('CONFLICT', `The task is already ${task.status}`, { details: { status: task.status } });
    }
    const now = new Date().toISOString();
    const next: TaskRecord = { ...task, status: parsed.data.status, status_changed_by: actorOf(principal), updated_at: now };
    const { scope, seal } = await store.notes.seal(patient.tenant_id, patient.patient_id);
    const audience = await audienceOf(store, patient.tenant_id, patient.patient_id, patient.user_id);
    const { event, op } = deps.events.stage(patient.tenant_id, 'task.updated', { task_id: task.task_id, patient_id: patient.patient_id, status: next.status }, undefined, audience);
    await store.tasks.write(scope, seal, next, [op]);
    deps.events.release(event);
    return next;
  });
}
