/**
 * RAG refresh as service functions `(deps, principal, …)` for the REST routes. Every function
 * first loads the patient through people/access.ts: a caller who may not see the patient gets
 * 404, as for a patient that does not exist. Refreshing needs write access (the patient, their
 * doctors and nurses, tenant admins, API clients with patients:write); reading, read access.
 */
import { WardClerkError } from '../../core/errors.js';
import type { Principal } from '../http/app-env.js';
import type { GatewayDeps } from '../http/deps.js';
import { loadPatientFor } from '../people/access.js';
import { adminTenant } from '../people/signup-service.js';
import type { PatientSummaryRecord } from '../store/summaries-repo.js';
import type { RefreshJob } from './refresh-queue.js';
import { putRefreshSettings, refreshSettings, type RefreshSettings } from './refresh-settings.js';

export type RefreshDeps = Pick<GatewayDeps, 'store' | 'refresh'>;

/** Queues a manual refresh of the patient (or joins the one queued); the job to poll. */
export async function requestRefresh(deps: RefreshDeps, principal: Principal, patientId: string): Promise<RefreshJob> {
  const patient = await loadPatientFor(deps, principal, patientId, 'write');
  return deps.refresh.trigger(patient.tenant_id, patient.patient_id, 'manual');
}

/** A refresh job of the patient; NOT_FOUND (resource job) for one that is not theirs or no longer remembered. */
export async function getRefreshJob(deps: RefreshDeps, principal: Principal, patientId: string, jobId: string): Promise<RefreshJob> {
  const patient = await loadPatientFor(deps, principal, patientId);
  return deps.refresh.job(patient.tenant_id, patient.patient_id, jobId);
}

/** The patient's latest summary version; NOT_FOUND (resource summary) before the first refresh. */
export async function getSummary(deps: RefreshDeps, principal: Principal, patientId: string): Promise<PatientSummaryRecord> {
  const patient = await loadPatientFor(deps, principal, patientId);
  const latest = await deps.store.summaries.latest(patient.tenant_id, patient.patient_id);
  if (!latest) throw new WardClerkError('NOT_FOUND', 'No summary yet: refresh the patient first', { details: { resource: 'summary' } });
  return latest;
}

/** The caller's tenant's refresh settings (tenant admins). */
export function getRefreshSettings(deps: RefreshDeps, principal: Principal): Promise<RefreshSettings> {
  return refreshSettings(deps.store, adminTenant(principal));
}

/** Replaces the caller's tenant's refresh settings (tenant admins). */
export function setRefreshSettings(deps: RefreshDeps, principal: Principal, value: RefreshSettings): Promise<RefreshSettings> {
  return putRefreshSettings(deps.store, adminTenant(principal), value);
}
