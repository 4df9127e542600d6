/**
 * FHIR R4 views of stored care plans and tasks (for export and FHIR-minded clients): pure
 * functions of the records, no I/O. Medication activities carry their `MedicationRequest`-style
 * product and Dosage inside `detail`; every activity's schedule is `detail.scheduledTiming`.
 */
import type { CarePlanActivity, CarePlanRecord, TaskRecord } from './records.js';

const ACTIVITY_CODES = 'https://wardclerk.dev/fhir/CodeSystem/care-activity-kind';
const TASK_CODES = 'https://wardclerk.dev/fhir/CodeSystem/care-task-kind';

/** FHIR CarePlan.activity.detail.kind for an activity kind. */
function detailKind(a: CarePlanActivity): string {
  return a.kind === 'medication' ? 'MedicationRequest' : a.kind === 'diet' ? 'NutritionOrder' : 'ServiceRequest';
}

function activity(a: CarePlanActivity): Record<string, unknown> {
  const detail: Record<string, unknown> = {
    kind: detailKind(a),
    code: { coding: [{ system: ACTIVITY_CODES, code: a.kind }], text: a.title },
    status: a.status === 'ended' ? 'stopped' : 'in-progress',
    description: a.instruction || a.title,
  };
  if (a.timing) detail['scheduledTiming'] = a.timing;
  if (a.medication) {
    detail['productCodeableConcept'] = a.medication.code ?? { text: a.medication.name };
    const q = a.medication.dosage.doseAndRate?.[0]?.doseQuantity;
    if (q) detail['quantity'] = q;
  }
  if (a.as_needed) detail['extension'] = [{ url: 'https://wardclerk.dev/fhir/StructureDefinition/as-needed', valueBoolean: true }];
  return { id: a.activity_id, detail };
}

/** The FHIR CarePlan resource of a stored plan (intent `plan`, subject the Patient). */
export function toFhirCarePlan(plan: CarePlanRecord): { resourceType: 'CarePlan' } & Record<string, unknown> {
  return {
    resourceType: 'CarePlan' as const,
    id: plan.care_plan_id,
    status: plan.status,
    intent: 'plan',
    subject: { reference: `Patient/${plan.patient_id}` },
    created: plan.created_at,
    ...(plan.replaces ? { replaces: [{ reference: `CarePlan/${plan.replaces}` }] } : {}),
    author: { reference: plan.author.kind === 'user' ? `Practitioner/${plan.author.id}` : `Device/${plan.author.id}` },
    supportingInfo: [{ reference: `DocumentReference/${plan.note_id}` }],
    activity: plan.activities.map(activity),
  };
}

/** FHIR Task.status for a stored task status. */
const TASK_STATUS: Record<TaskRecord['status'], string> = { requested: 'requested', completed: 'completed', cancelled: 'cancelled' };

/** The FHIR Task resource of a checklist step (due date as `restriction.period.end`). */
export function toFhirTask(task: TaskRecord): { resourceType: 'Task' } & Record<string, unknown> {
  return {
    resourceType: 'Task' as const,
    id: task.task_id,
    status: TASK_STATUS[task.status],
    intent: 'order',
    code: { coding: [{ system: TASK_CODES, code: task.kind }] },
    description: task.description,
    for: { reference: `Patient/${task.patient_id}` },
    focus: { reference: `DocumentReference/${task.note_id}` },
    authoredOn: task.created_at,
    lastModified: task.updated_at,
    ...(task.due ? { restriction: { period: { end: task.due } } } : {}),
    ...(task.medication ? { input: [{ type: { text: 'medication' }, valueString: task.medication }] } : {}),
  };
}
