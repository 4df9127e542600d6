/**
 * How records of a Patient (issue 8: `pt_…` ids) are sealed: with that patient's data key, whose
 * keyring id is the blind index of the patient id under the tenant's index key. Every repository
 * that stores patient data (patients, notes, care plans, tasks, reminders, messages) seals through
 * here, so destroying the one key crypto-shreds all of them.
 */
import { WardClerkError } from '../../core/errors.js';
import type { TenantKeys } from './keyring.js';
import type { TenantTables } from './layout.js';
import type { StoreContext } from './store-context.js';
import type { SealWith } from './vault.js';

export const PATIENT_ID_RE = /^pt_[0-9A-HJKMNP-TV-Z]{26}$/;

export interface TenantScope {
  tables: TenantTables;
  keys: TenantKeys;
}

/** The tenant's tables and keys; NOT_FOUND (resource `tenant`) for an unknown tenant. */
export async function tenantScope(ctx: StoreContext, tenantId: string): Promise<TenantScope> {
  const tables = ctx.layout.tenant(tenantId);
  const keys = tables ? await ctx.keyring.tenant(tenantId) : null;
  if (!tables || !keys) throw new WardClerkError('NOT_FOUND', 'tenant not found', { details: { resource: 'tenant' } });
  return { tables, keys };
}

/**
 * The seal of patient `patientId`'s records. With `create`, a missing key is made durable first
 * (only when the patient record itself is created); without, null means the patient was never
 * created or was shredded.
 */
export async function patientSeal(ctx: StoreContext, scope: TenantScope, tenantId: string, patientId: string, create = false): Promise<Extract<SealWith, { kind: 'patient' }> | null> {
  if (!PATIENT_ID_RE.test(patientId)) return null;
  const keyId = ctx.keyring.patientId(scope.keys, patientId);
  const dek = await ctx.keyring.patient(tenantId, keyId, create);
  return dek ? { kind: 'patient', dek, patientId: keyId } : null;
}
