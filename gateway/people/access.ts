/**
 * The one access check every patient route uses (REST and GraphQL alike). A caller who may not see
 * a patient gets exactly what a caller asking for a missing patient gets: NOT_FOUND with
 * `details.resource: 'patient'`, so an unassigned doctor cannot even learn that the patient exists.
 *
 * Who may see patient P of tenant T:
 * - P's own user (a patient account linked to the record);
 * - a doctor or nurse of T assigned to P (the care team);
 * - a tenant_admin of T;
 * - an API client of T holding `patients:read` (`patients:write` for writes).
 * The operator is not a person of any tenant and sees no patient.
 */
import { WardClerkError } from '../../core/errors.js';
import type { Principal } from '../http/app-env.js';
import type { GatewayDeps } from '../http/deps.js';
import type { PatientRecord } from '../store/patient-records.js';
import { ensurePatientForUser } from './patients-link.js';

/** What the access check reads. */
export type AccessDeps = Pick<GatewayDeps, 'store'>;

/** Reading or changing the patient (clients need `patients:write` to change). */
export type AccessMode = 'read' | 'write';

/** The error for a patient the caller may not see, identical to a missing one. */
export function patientNotFound(): WardClerkError {
  return new WardClerkError('NOT_FOUND', 'No such patient', { details: { resource: 'patient' } });
}

/** The principal's tenant, or null for the operator. */
export function tenantOfPrincipal(principal: Principal): string | null {
  return principal.kind === 'operator' ? null : principal.tenantId;
}

/**
 * Whether `principal` may see (or, with `write`, change) patient `record`. Pure apart from the
 * assignment lookup; callers that already hold the record use it directly.
 */
export async function mayAccess(deps: AccessDeps, principal: Principal, record: PatientRecord, mode: AccessMode = 'read'): Promise<boolean> {
  if (principal.kind === 'operator' || principal.tenantId !== record.tenant_id) return false;
  if (principal.kind === 'client') return principal.scopes.includes(mode === 'write' ? 'patients:write' : 'patients:read');
  switch (principal.role) {
    case 'tenant_admin':
      return true;
    case 'patient':
      return record.user_id !== null && record.user_id === principal.sub;
    case 'doctor':
    case 'nurse':
      return deps.store.assignments.isAssigned(principal.tenantId, principal.sub, record.patient_id);
    default:
      return false;
  }
}

/**
 * The patient `patientId` if `principal` may see it (`mode` 'write': change it); otherwise
 * NOT_FOUND (404, `details.resource: 'patient'`), the same as for a patient that does not exist.
 */
export async function loadPatientFor(deps: AccessDeps, principal: Principal, patientId: string, mode: AccessMode = 'read'): Promise<PatientRecord> {
  const tenantId = tenantOfPrincipal(principal);
  if (tenantId === null) throw patientNotFound();
  const record = await deps.store.patients.get(tenantId, patientId);
  if (!record || !(await mayAccess(deps, principal, record, mode))) throw patientNotFound();
  return record;
}

/** The user ids of the doctors and nurses assigned to a patient (empty for an unknown patient). */
export async function careTeamOf(deps: AccessDeps, tenantId: string, patientId: string): Promise<string[]> {
  return deps.store.assignments.staffOf(tenantId, patientId);
}

/**
 * The calling patient user's own Patient record, created on first use for a patient who signed up
 * (see ensurePatientForUser). FORBIDDEN for anyone but a signed-in patient; NOT_FOUND when the
 * account no longer exists or is disabled.
 */
export async function patientOfUser(deps: AccessDeps, principal: Principal): Promise<PatientRecord> {
  if (principal.kind !== 'user' || principal.role !== 'patient') {
    throw new WardClerkError('FORBIDDEN', 'Only a patient has a patient record of their own', { details: { allowed_roles: ['patient'] } });
  }
  const existing = await deps.store.patients.findByUser(principal.tenantId, principal.sub);
  if (existing) return existing;
  const user = await deps.store.users.get(principal.tenantId, principal.sub);
  if (!user || user.status !== 'active' || user.role !== 'patient') {
    throw new WardClerkError('NOT_FOUND', 'No such user', { details: { resource: 'user' } });
  }
  return ensurePatientForUser(deps, user);
}
