/**
 * A tenant admin puts doctors and nurses on a patient's care team and takes them off. The staff
 * member must be an active doctor or nurse of the tenant and the patient must exist; a refused
 * request stores nothing.
 */
import { WardClerkError } from '../../core/errors.js';
import type { Principal } from '../http/app-env.js';
import type { GatewayDeps } from '../http/deps.js';
import { patientNotFound } from './access.js';

export type AssignmentsDeps = Pick<GatewayDeps, 'store'>;

/** One care-team membership. */
export interface AssignmentInput {
  staff_user_id: string;
  patient_id: string;
}

function adminTenant(principal: Principal): string {
  if (principal.kind !== 'user' || principal.role !== 'tenant_admin') {
    throw new WardClerkError('FORBIDDEN', 'Only a tenant admin manages assignments', { details: { allowed_roles: ['tenant_admin'] } });
  }
  return principal.tenantId;
}

async function check(deps: AssignmentsDeps, tenantId: string, input: AssignmentInput): Promise<void> {
  const staff = await deps.store.users.get(tenantId, input.staff_user_id);
  if (!staff || staff.status !== 'active') throw new WardClerkError('NOT_FOUND', 'No such user', { details: { resource: 'user' } });
  if (staff.role !== 'doctor' && staff.role !== 'nurse') {
    throw new WardClerkError('VALIDATION_FAILED', 'Only doctors and nurses join a care team', { details: { field: 'staff_user_id', reason: 'not_staff' } });
  }
  if (!(await deps.store.patients.get(tenantId, input.patient_id))) throw patientNotFound();
}

/** Assigns a doctor or nurse to a patient (idempotent). FORBIDDEN, NOT_FOUND or VALIDATION_FAILED otherwise. */
export async function assignStaff(deps: AssignmentsDeps, principal: Principal, input: AssignmentInput): Promise<AssignmentInput> {
  const tenantId = adminTenant(principal);
  await check(deps, tenantId, input);
  await deps.store.assignments.assign(tenantId, input.staff_user_id, input.patient_id);
  return { staff_user_id: input.staff_user_id, patient_id: input.patient_id };
}

/** Removes an assignment; NOT_FOUND (resource `assignment`) when there was none. */
export async function unassignStaff(deps: AssignmentsDeps, principal: Principal, input: AssignmentInput): Promise<void> {
  const tenantId = adminTenant(principal);
  if (!(await deps.store.assignments.unassign(tenantId, input.staff_user_id, input.patient_id))) {
    throw new WardClerkError('NOT_FOUND', 'No such assignment', { details: { resource: 'assignment' } });
  }
}
