/**
 * Doctors as a patient sees them: the tenant's doctors (id and display name only), and the ones
 * the patient chose (`/me/doctors`). Choosing assigns the doctor to the patient's record; every
 * chosen id is checked before anything is written, so a bad id stores nothing.
 */
import { WardClerkError } from '../../core/errors.js';
import type { Principal } from '../http/app-env.js';
import type { GatewayDeps } from '../http/deps.js';
import type { RawOp } from '../store/group-commit.js';
import type { UserRecord } from '../store/user-records.js';
import { patientOfUser } from './access.js';

export type DoctorsDeps = Pick<GatewayDeps, 'store'>;

/** All a patient learns about a doctor. */
export interface DoctorView {
  user_id: string;
  display_name: string;
}

/** Most doctors one request may choose. */
export const MAX_CHOSEN = 10;

const view = (u: UserRecord): DoctorView => ({ user_id: u.user_id, display_name: u.display_name });

function doctorNotFound(): WardClerkError {
  return new WardClerkError('NOT_FOUND', 'No such doctor', { details: { resource: 'doctor' } });
}

/**
 * A page of the tenant's active doctors. Any signed-in person of the tenant, or a client with
 * `patients:read`; FORBIDDEN otherwise.
 */
export async function listDoctors(deps: DoctorsDeps, principal: Principal, query: { cursor?: string; limit?: number } = {}): Promise<{ items: DoctorView[]; next_cursor: string | null }> {
  if (principal.kind === 'operator' || (principal.kind === 'client' && !principal.scopes.includes('patients:read'))) {
    throw new WardClerkError('FORBIDDEN', 'Only people of a tenant (or a client with patients:read) list its doctors');
  }
  const page = await deps.store.users.listByRole(principal.tenantId, 'doctor', query);
  return { items: page.items.filter((u) => u.status === 'active').map(view), next_cursor: page.next_cursor };
}

/** The doctors on the signed-in patient's care team (nurses are not listed here). */
export async function myDoctors(deps: DoctorsDeps, principal: Principal): Promise<DoctorView[]> {
  const patient = await patientOfUser(deps, principal);
  const out: DoctorView[] = [];
  for (const id of await deps.store.assignments.staffOf(patient.tenant_id, patient.patient_id)) {
    const u = await deps.store.users.get(patient.tenant_id, id);
    if (u && u.role === 'doctor' && u.status === 'active') out.push(view(u));
  }
  return out;
}

/**
 * The signed-in patient chooses one or more doctors of their tenant (added to those they have).
 * NOT_FOUND (resource `doctor`) for an id that is no active user of the tenant (another tenant's
 * doctor included); VALIDATION_FAILED (reason `not_a_doctor`) for a user who is not a doctor.
 * All ids are checked first and then written in one batch: one bad id stores nothing.
 */
export async function chooseDoctors(deps: DoctorsDeps, principal: Principal, input: { doctor_ids: string[] }): Promise<DoctorView[]> {
  const ids = [...new Set(input.doctor_ids)];
  if (ids.length === 0 || ids.length > MAX_CHOSEN || ids.some((id) => typeof id !== 'string')) {
    throw new WardClerkError('VALIDATION_FAILED', `Choose 1 to ${MAX_CHOSEN} doctors`, { details: { field: 'doctor_ids' } });
  }
  const patient = await patientOfUser(deps, principal);
  const ops: RawOp[] = [];
  for (const id of ids) {
    const u = await deps.store.users.get(patient.tenant_id, id);
    if (!u || u.status !== 'active') throw doctorNotFound();
    if (u.role !== 'doctor') {
      throw new WardClerkError('VALIDATION_FAILED', 'That user is not a doctor', { details: { field: 'doctor_ids', reason: 'not_a_doctor' } });
    }
    ops.push(...deps.store.assignments.assignOps(patient.tenant_id, id, patient.patient_id));
  }
  await deps.store.assignments.write(ops);
  return myDoctors(deps, principal);
}

/** The signed-in patient removes a doctor from their care team; NOT_FOUND when not on it. */
export async function dropDoctor(deps: DoctorsDeps, principal: Principal, doctorId: string): Promise<void> {
  const patient = await patientOfUser(deps, principal);
  const u = await deps.store.users.get(patient.tenant_id, doctorId);
  if (!u || u.role !== 'doctor' || !(await deps.store.assignments.unassign(patient.tenant_id, doctorId, patient.patient_id))) throw doctorNotFound();
}
