/**
 * The patient access check on a real store: who may see a patient, and that everyone else gets
 * the very same NOT_FOUND as for a patient that does not exist.
 */
import { describe, expect, it, onTestFinished } from 'vitest';
import { isWardClerkError } from '../../core/errors.js';
import type { Principal, UserRole } from '../http/app-env.js';
import { tempStore } from '../store/testing/temp-store.js';
import { careTeamOf, loadPatientFor } from './access.js';

async function fixture() {
  const t = await tempStore();
  onTestFinished(() => t[Symbol.asyncDispose]());
  const tenant = (await t.store.tenants.create({ name: 'A' })).id;
  const other = (await t.store.tenants.create({ name: 'B' })).id;
  const base = { name: { family: 'Doe', given: ['J'] }, time_zone: 'UTC' };
  const patient = await t.store.patients.create(tenant, base, { createdBy: 'u', userId: 'usr_pat' });
  await t.store.assignments.assign(tenant, 'usr_doc', patient.patient_id);
  await t.store.assignments.assign(tenant, 'usr_nurse', patient.patient_id);
  return { deps: { store: t.store } as Parameters<typeof loadPatientFor>[0], tenant, other, patient };
}

const user = (tenantId: string, sub: string, role: UserRole): Principal => ({ kind: 'user', sub, tenantId, role, sid: 'sid_1', scopes: [] });
const client = (tenantId: string, scopes: string[]): Principal => ({ kind: 'client', sub: 'cl_1', tenantId, scopes });

async function outcome(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
    return 'ok';
  } catch (e) {
    if (!isWardClerkError(e)) throw e;
    return { code: e.code, status: e.status, message: e.message, details: e.details };
  }
}

describe('loadPatientFor', () => {
  it('lets in the patient, the assigned doctor and nurse, the tenant admin and a scoped client', async () => {
    const { deps, tenant, patient } = await fixture();
    const id = patient.patient_id;
    for (const p of [user(tenant, 'usr_pat', 'patient'), user(tenant, 'usr_doc', 'doctor'), user(tenant, 'usr_nurse', 'nurse'), user(tenant, 'usr_adm', 'tenant_admin'), client(tenant, ['patients:read'])]) {
      expect((await loadPatientFor(deps, p, id)).patient_id).toBe(id);
    }
    expect((await loadPatientFor(deps, client(tenant, ['patients:write']), id, 'write')).patient_id).toBe(id);
    expect(await careTeamOf(deps, tenant, id)).toEqual(['usr_doc', 'usr_nurse']);
  });

  it('answers everyone else exactly as for a missing patient', async () => {
    const { deps, tenant, other, patient } = await fixture();
    const id = patient.patient_id;
    const missing = await outcome(loadPatientFor(deps, user(tenant, 'usr_doc', 'doctor'), 'pt_00000000000000000000000000'));
    expect(missing).toEqual({ code: 'NOT_FOUND', status: 404, message: 'No such patient', details: { resource: 'patient' } });
    const refused: Principal[] = [
      user(tenant, 'usr_doc2', 'doctor'), // not assigned
      user(tenant, 'usr_nurse2', 'nurse'),
      user(tenant, 'usr_pat2', 'patient'), // another patient
      user(other, 'usr_doc', 'doctor'), // same user id, another tenant
      user(other, 'usr_adm', 'tenant_admin'),
      client(tenant, ['prescriptions:read']),
      client(other, ['patients:read', 'patients:write']),
      { kind: 'operator', sub: 'op', scopes: [] },
    ];
    for (const p of refused) expect(await outcome(loadPatientFor(deps, p, id))).toEqual(missing);
    expect(await outcome(loadPatientFor(deps, client(tenant, ['patients:read']), id, 'write'))).toEqual(missing);
    expect(await outcome(loadPatientFor(deps, user(tenant, 'usr_doc', 'doctor'), 'not-an-id'))).toEqual(missing);
  });

  it('follows the assignment: unassigning takes access away', async () => {
    const { deps, tenant, patient } = await fixture();
    const nurse = user(tenant, 'usr_nurse', 'nurse');
    expect((await loadPatientFor(deps, nurse, patient.patient_id)).patient_id).toBe(patient.patient_id);
    await deps.store.assignments.unassign(tenant, 'usr_nurse', patient.patient_id);
    expect(await outcome(loadPatientFor(deps, nurse, patient.patient_id))).toMatchObject({ code: 'NOT_FOUND' });
  });
});
