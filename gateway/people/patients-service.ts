/**
 * Patient operations, one function each, shared by the REST routes and GraphQL: registering,
 * listing, reading and changing patients, and a patient user's own record. Every per-patient
 * operation goes through loadPatientFor (access.ts), so there is one permission model.
 */
import { WardClerkError } from '../../core/errors.js';
import type { Principal } from '../http/app-env.js';
import type { GatewayDeps } from '../http/deps.js';
import type { PlanOps } from '../scheduler/plan-ops.js';
import type { PatientInput, PatientPage, PatientPatch, PatientRecord } from '../store/patient-records.js';
import { pageLimit } from '../store/patients-repo.js';
import { loadPatientFor, mayAccess, patientNotFound, patientOfUser, tenantOfPrincipal } from './access.js';

export type PatientsDeps = Pick<GatewayDeps, 'store'> & {
  /**
   * Re-plans a patient's reminders when their zone changes. The gateway always has one; only the
   * people routes' own test fixture, which has no reminders, goes without.
   */
  scheduler?: Pick<PlanOps, 'opsForZoneChange'>;
};

function forbidden(message: string, allowed: string[]): WardClerkError {
  return new WardClerkError('FORBIDDEN', message, { details: { allowed: allowed } });
}

/**
 * Registers a patient who has no account yet. Doctors and nurses (who are then assigned to the
 * patient, in the same batch), tenant admins, and API clients with `patients:write`. CONFLICT for
 * a duplicate MRN, INVALID_TIME_ZONE for an unknown zone; nothing is stored on an error.
 */
export async function createPatient(deps: PatientsDeps, principal: Principal, input: PatientInput): Promise<PatientRecord> {
  const allowed = ['doctor', 'nurse', 'tenant_admin', 'client with patients:write'];
  if (principal.kind === 'operator') throw forbidden('The operator has no patients', allowed);
  if (principal.kind === 'client' && !principal.scopes.includes('patients:write')) throw forbidden('The token lacks patients:write', allowed);
  if (principal.kind === 'user' && principal.role === 'patient') throw forbidden('Patients cannot register other patients', allowed);
  const staff = principal.kind === 'user' && (principal.role === 'doctor' || principal.role === 'nurse');
  return deps.store.patients.create(principal.tenantId, input, {
    createdBy: principal.sub,
    alsoWrite: staff ? (rec) => deps.store.assignments.assignOps(principal.tenantId, principal.sub, rec.patient_id) : undefined,
  });
}

/**
 * A page of patients: a doctor's or nurse's assigned patients only; every patient of the tenant
 * for a tenant admin or a client with `patients:read`. FORBIDDEN for patients and the operator.
 */
export async function listPatients(deps: PatientsDeps, principal: Principal, query: { cursor?: string; limit?: number } = {}): Promise<PatientPage> {
  const allowed = ['doctor', 'nurse', 'tenant_admin', 'client with patients:read'];
  if (principal.kind === 'operator') throw forbidden('The operator has no patients', allowed);
  if (principal.kind === 'client') {
    if (!principal.scopes.includes('patients:read')) throw forbidden('The token lacks patients:read', allowed);
    return deps.store.patients.list(principal.tenantId, query);
  }
  if (principal.role === 'tenant_admin') return deps.store.patients.list(principal.tenantId, query);
  if (principal.role === 'patient') throw forbidden('Patients see their own record at /api/v1/me/patient', allowed);
  const limit = pageLimit(query.limit);
  if (query.cursor !== undefined && !/^pt_[0-9A-HJKMNP-TV-Z]{26}$/.test(query.cursor)) {
    throw new WardClerkError('VALIDATION_FAILED', 'cursor is not one this API returned', { details: { field: 'cursor' } });
  }
  const page = await deps.store.assignments.patientsOf(principal.tenantId, principal.sub, { cursor: query.cursor, limit });
  const items: PatientRecord[] = [];
  for (const id of page.ids) {
    const rec = await deps.store.patients.get(principal.tenantId, id);
    if (rec) items.push(rec);
  }
  return { items, next_cursor: page.next_cursor };
}

/** One patient, if the caller may see it (else NOT_FOUND, as for a missing one). */
export function getPatient(deps: PatientsDeps, principal: Principal, patientId: string): Promise<PatientRecord> {
  return loadPatientFor(deps, principal, patientId, 'read');
}

/**
 * Changes a patient (time zone, name, birth date, sex, MRN): the patient themself (not the MRN),
 * the care team, a tenant admin, or a client with `patients:write`. Same errors as createPatient, plus NOT_FOUND.
 * A new time zone re-plans the patient's pending reminders (fixed clock times stay at the same
 * local time in the new zone), written in the same batch as the record: both change or neither.
 */
export async function updatePatient(deps: PatientsDeps, principal: Principal, patientId: string, patch: PatientPatch): Promise<PatientRecord> {
  const rec = await loadPatientFor(deps, principal, patientId, 'write');
  // The MRN is the hospital's identifier: a patient may correct their details, not re-key them.
  if (principal.kind === 'user' && principal.role === 'patient' && patch.mrn !== undefined) {
    throw new WardClerkError('FORBIDDEN', 'Patients cannot change their MRN', { details: { field: 'mrn' } });
  }
  const { scheduler } = deps;
  const zone = patch.time_zone;
  const write = async (): Promise<PatientRecord> => {
    // Series already in the new zone are left alone, so a repeated or concurrent change re-plans nothing twice.
    const replan = zone !== undefined && scheduler ? await scheduler.opsForZoneChange({ tenantId: rec.tenant_id, patientId: rec.patient_id, zone }) : null;
    try {
      const next = await deps.store.patients.update(rec.tenant_id, rec.patient_id, patch, { alsoWrite: replan?.ops ?? [] });
      if (!next) throw patientNotFound();
      return next;
    } finally {
      replan?.after(); // frees the series it held locked and wakes the dispatcher, on every path
    }
  };
  // Under the patient's plan lock: a note settling now reads the zone before or after, never plans in the old one after the move.
  return zone !== undefined && scheduler ? deps.store.notes.lockPatient(rec.tenant_id, rec.patient_id, write) : write();
}

/**
 * The patient with this MRN, if the caller may see them; NOT_FOUND exactly as for an unknown MRN
 * otherwise. The MRN travels in a request body and is looked up by its blind index: it is PHI and
 * never goes into a URL, a log line or a LevelDB key.
 */
export async function findPatientByMrn(deps: PatientsDeps, principal: Principal, mrn: string): Promise<PatientRecord> {
  const tenantId = tenantOfPrincipal(principal);
  const clean = typeof mrn === 'string' ? mrn.trim() : '';
  if (clean.length === 0 || clean.length > 64) throw new WardClerkError('VALIDATION_FAILED', 'mrn must be 1 to 64 characters', { details: { field: 'mrn' } });
  const rec = tenantId === null ? null : await deps.store.patients.findByMrn(tenantId, clean);
  if (!rec || !(await mayAccess(deps, principal, rec))) throw patientNotFound();
  return rec;
}

/** The signed-in patient's own record (created on first use for a self-registered patient). */
export function myPatient(deps: PatientsDeps, principal: Principal): Promise<PatientRecord> {
  return patientOfUser(deps, principal);
}

/** What the API shows of a patient record (the tenant and creator stay inside). */
export function patientView(rec: PatientRecord) {
  return {
    patient_id: rec.patient_id,
    user_id: rec.user_id,
    name: rec.name,
    birth_date: rec.birth_date,
    sex: rec.sex,
    time_zone: rec.time_zone,
    mrn: rec.mrn,
    created_at: rec.created_at,
    updated_at: rec.updated_at,
  };
}
