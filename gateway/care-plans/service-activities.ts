/**
 * A doctor edits one activity of the patient's active plan: a new Timing, or ending it. The plan
 * and the activity's reminders (re-planned by the scheduler's `opsForActivityChange`) change in
 * ONE synced batch. Only a doctor assigned to the patient (or an API client with patients:write).
 */
import { z } from 'zod';
import { WardClerkError } from '../../core/errors.js';
import { TimingSchema } from '../../core/clinical/fhir-dosage.js';
import type { CarePlanRecord } from '../../core/care/records.js';
import { validateTiming } from '../../engine/clinical/timing-invariants.js';
import { loadPatientFor } from '../people/access.js';
import type { Principal } from '../http/app-env.js';
import { actorOf, type CareDeps } from './service.js';

export const ActivityPatchSchema = z.object({
  /** The new schedule (FHIR Timing; tim-1…tim-10 are checked). */
  timing: TimingSchema.optional(),
  /** `ended` stops the activity and cancels its pending reminders. */
  status: z.literal('ended').optional(),
}).strict().refine((p) => p.timing !== undefined || p.status !== undefined, { message: 'Give a timing or status: ended' });

function invalid(issues: Array<{ path: string; message: string }>): WardClerkError {
  return new WardClerkError('VALIDATION_FAILED', 'Request failed validation', { details: { issues } });
}

/**
 * Changes one activity of the active plan; returns the plan as it now is. The scheduler's
 * `after()` runs in a `finally`: a failed write still frees the activity's series and wakes the
 * dispatcher, and `after()` itself never throws past the answer.
 */
export async function updateActivity(deps: Pick<CareDeps, 'store' | 'scheduler'> & { now?(): number }, principal: Principal, patientId: string, activityId: string, patch: unknown): Promise<CarePlanRecord> {
  const patient = await loadPatientFor(deps, principal, patientId, 'write');
  if (principal.kind === 'user' && principal.role !== 'doctor') {
    throw new WardClerkError('FORBIDDEN', 'Only a doctor assigned to the patient may change the plan', { details: { allowed_roles: ['doctor'] } });
  }
  const parsed = ActivityPatchSchema.safeParse(patch);
  if (!parsed.success) throw invalid(parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })));
  const timingErrors = parsed.data.timing ? validateTiming(parsed.data.timing) : [];
  if (timingErrors.length > 0) throw invalid(timingErrors.map((message) => ({ path: 'timing', message })));
  const { store } = deps;
  return store.notes.lockPatient(patient.tenant_id, patient.patient_id, async () => {
    const plan = await store.carePlans.active(patient.tenant_id, patient.patient_id);
    const index = plan?.activities.findIndex((a) => a.activity_id === activityId) ?? -1;
    if (!plan || index < 0) throw new WardClerkError('NOT_FOUND', 'No such activity in the active care plan', { details: { resource: 'activity' } });
    const current = plan.activities[index]!;
    if (current.status === 'ended') throw new WardClerkError('CONFLICT', 'The activity has ended', { details: { status: 'ended' } });
    const nowMs = deps.now?.() ?? deps.scheduler.ctx.clock.now();
    const now = new Date(nowMs).toISOString();
    const ended = parsed.data.status === 'ended';
    const activity = { ...current, ...(parsed.data.timing ? { timing: parsed.data.timing } : {}), status: ended ? 'ended' as const : 'active' as const, updated_at: now, updated_by: actorOf(principal) };
    const next: CarePlanRecord = { ...plan, activities: plan.activities.map((a, i) => (i === index ? activity : a)), updated_at: now };
    // Re-read under the lock: a zone change (which takes the same lock) may have landed since the access check.
    const latest = (await store.patients.get(patient.tenant_id, patient.patient_id)) ?? patient;
    const change = await deps.scheduler.opsForActivityChange({
      tenantId: patient.tenant_id, patientId: patient.patient_id, carePlanId: plan.care_plan_id, activity: { ...activity, ended },
      audience: latest.user_id ? [latest.user_id] : [], zone: latest.time_zone, start: new Date(nowMs),
    });
    try {
      const { scope, seal } = await store.notes.seal(patient.tenant_id, patient.patient_id);
      await store.carePlans.write([...store.carePlans.ops(scope, seal, next), ...change.ops]);
    } finally {
      change.after(); // releases the series the scheduler holds locked, on every path
    }
    return next;
  });
}
