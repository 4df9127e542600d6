/**
 * Seeds a stopped appliance's store for the care-plan tests: a tenant, a patient with an account,
 * an assigned doctor, an unassigned doctor and a nurse, each with a live session and a signed
 * user token for it (the gateway, started afterwards, verifies them with the same signing keys).
 * Users never sign in with a password here: these tests are about notes and plans, not Argon2.
 */
import { join } from 'node:path';
import type { Config } from '../core/config.js';
import { newId } from '../core/crypto.js';
import { loadOrCreateMasterKey } from '../core/master-key.js';
import { createTokenService } from '../gateway/auth/token-service.js';
import type { UserRole } from '../gateway/http/app-env.js';
import { openStore } from '../gateway/store/store.js';

export interface CareSeed {
  tenantId: string;
  patientId: string;
  otherPatientId: string;
  tokens: Record<'patient' | 'doctor' | 'stranger' | 'nurse' | 'admin', string>;
  userIds: Record<'patient' | 'doctor' | 'stranger' | 'nurse' | 'admin', string>;
}

/** Opens the appliance's store (the gateway must be stopped), seeds it, and closes it. */
export async function seedCare(dataDir: string, config: Config, zone = 'Asia/Kolkata'): Promise<CareSeed> {
  const store = await openStore({ dir: join(dataDir, 'store'), masterKey: await loadOrCreateMasterKey(join(dataDir, 'master.key')) });
  try {
    const tokenService = await createTokenService({ store, config });
    const tenantId = (await store.tenants.create({ name: 'Care clinic' })).id;
    const person = async (role: UserRole) => {
      const now = new Date().toISOString();
      const user = await store.users.create(tenantId, {
        user_id: newId('usr'), tenant_id: tenantId, email: `${newId('e').toLowerCase()}@example.test`, role, status: 'active',
        display_name: `${role} test`, password_hash: '$argon2id$not-used-by-these-tests', password_changed_at: now,
        must_change_password: false, public_key: 'AAAA',
        sealed_private_key: { alg: 'argon2id+xchacha20poly1305', salt: 'unused', nonce: 'unused', ciphertext: 'unused', opslimit: 1, memlimit: 8192 },
        key_version: 1, patient_id: null, created_at: now,
      });
      // A real session: the gateway admits a person's token only while its session is live.
      const { session } = await store.sessions.create(tenantId, user.user_id, { now: new Date(), ttlSeconds: 3600 });
      const token = (await tokenService.issueUserToken({ user_id: user.user_id, tenant_id: tenantId, role, sid: session.session_id }, 3600)).access_token;
      return { id: user.user_id, token };
    };
    const patient = await person('patient');
    const doctor = await person('doctor');
    const stranger = await person('doctor');
    const nurse = await person('nurse');
    const admin = await person('tenant_admin');
    const rec = await store.patients.create(tenantId, { name: { family: 'Rao', given: ['Asha'] }, time_zone: zone }, { userId: patient.id, createdBy: doctor.id });
    const other = await store.patients.create(tenantId, { name: { family: 'Other', given: ['Ola'] }, time_zone: zone }, { createdBy: stranger.id });
    await store.assignments.assign(tenantId, doctor.id, rec.patient_id);
    await store.assignments.assign(tenantId, nurse.id, rec.patient_id);
    await store.assignments.assign(tenantId, stranger.id, other.patient_id);
    return {
      tenantId, patientId: rec.patient_id, otherPatientId: other.patient_id,
      tokens: { patient: patient.token, doctor: doctor.token, stranger: stranger.token, nurse: nurse.token, admin: admin.token },
      userIds: { patient: patient.id, doctor: doctor.id, stranger: stranger.id, nurse: nurse.id, admin: admin.id },
    };
  } finally {
    await store.close();
  }
}
