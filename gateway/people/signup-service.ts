/**
 * Sign-up and invitations (issue 8). A tenant admin chooses per tenant whether patients may
 * register themselves (`people` settings document, `signup: 'open'`) or need an invitation
 * (the default); doctors, nurses and tenant admins are always invited. Sign-up is unauthenticated,
 * so the tenant comes from the invitation code (which names it) or, for open sign-up only, from
 * `tenant_id` in the body. Every check runs before anything is stored.
 */
import { z } from '@hono/zod-openapi'; // .openapi() is called on its schemas in invitations-routes.ts
import { newId } from '../../core/crypto.js';
import { WardClerkError } from '../../core/errors.js';
import { assertTimeZone } from '../../core/schedule/local-time.js';
import { normalizeIdentity } from '../auth/identity.js';
import { newKeypair, sealPrivateKey } from '../auth/key-sealing.js';
import { hashUserPassword } from '../auth/password-kdf.js';
import { assertPasswordAcceptable } from '../auth/password-policy.js';
import type { Principal, UserRole } from '../http/app-env.js';
import { invitationTenant, type InvitationRecord } from '../store/invitations-repo.js';
import type { RawOp } from '../store/group-commit.js';
import type { UserRecord } from '../store/user-records.js';
import { ensurePatientForUser, type PatientSignupFacts } from './patients-link.js';
import { nowOf, startSession, type PeopleDeps, type UserTokens } from './sessions-service.js';

/** The tenant's `people` settings document. */
export const PeopleSettingsSchema = z.object({ signup: z.enum(['open', 'invitation']) });
export type PeopleSettings = z.infer<typeof PeopleSettingsSchema>;
export const DEFAULT_PEOPLE_SETTINGS: PeopleSettings = { signup: 'invitation' };
export const PEOPLE_SETTINGS = 'people';

export interface SignupInput extends PatientSignupFacts {
  email: string;
  password: string;
  display_name: string;
  invitation_code?: string;
  tenant_id?: string;
}

/** Builds a user record: Argon2id hash, fresh X25519 keypair, private key sealed under the password. */
export async function newUserRecord(
  deps: Pick<PeopleDeps, 'passwordCost'>,
  input: { tenantId: string; email: string; password: string; display_name: string; role: UserRole; patient_id: string | null; now: Date },
): Promise<{ user: UserRecord; privateKey: Uint8Array }> {
  const userId = newId('usr');
  const { publicKey, privateKey } = newKeypair();
  const at = input.now.toISOString();
  const user: UserRecord = {
    user_id: userId, tenant_id: input.tenantId, email: input.email, role: input.role, status: 'active', display_name: input.display_name,
    password_hash: await hashUserPassword(input.password, deps.passwordCost), password_changed_at: at, must_change_password: false,
    public_key: publicKey, sealed_private_key: sealPrivateKey(privateKey, input.password, userId, deps.passwordCost), key_version: 1,
    patient_id: input.patient_id, created_at: at,
  };
  return { user, privateKey };
}

/**
 * Creates an account and signs it in. With `invitation_code`: the code's tenant, role and patient
 * link (INVITATION_INVALID for an unknown, used or expired code). Without: `tenant_id` names the
 * tenant, whose `people.signup` must be `open` (else SIGNUP_CLOSED 403), and the account is a
 * patient. WEAK_PASSWORD / PASSWORD_TOO_LONG, EMAIL_TAKEN (409), INVALID_TIME_ZONE as they apply.
 */
export async function signup(deps: PeopleDeps, input: SignupInput): Promise<UserTokens> {
  const email = normalizeIdentity(input.email);
  assertPasswordAcceptable(input.password, { email });
  if (input.time_zone !== undefined) assertTimeZone(input.time_zone);
  const now = nowOf(deps);
  let created: { user: UserRecord; privateKey: Uint8Array };
  const make = async (tenantId: string, role: UserRole, patientId: string | null, extra?: (u: UserRecord) => RawOp[]) => {
    const built = await newUserRecord(deps, { tenantId, email, password: input.password, display_name: input.display_name, role, patient_id: patientId, now });
    return { user: await deps.store.users.create(tenantId, built.user, extra), privateKey: built.privateKey };
  };
  if (input.invitation_code !== undefined) {
    const tenantId = invitationTenant(input.invitation_code);
    if (!tenantId || (input.tenant_id !== undefined && input.tenant_id !== tenantId)) {
      throw new WardClerkError('INVITATION_INVALID', 'The invitation code is not valid', { details: { reason: 'unknown' } });
    }
    created = await deps.store.invitations.redeem(tenantId, input.invitation_code, now, (inv: InvitationRecord, consume) =>
      make(tenantId, inv.role, inv.patient_id, (u) => consume(u.user_id)),
    );
  } else {
    if (input.tenant_id === undefined) throw new WardClerkError('VALIDATION_FAILED', 'Give invitation_code, or tenant_id where sign-up is open', { details: { field: 'invitation_code' } });
    const tenant = await deps.store.tenants.get(input.tenant_id);
    const settings = tenant ? await deps.store.settings.get(tenant.id, PEOPLE_SETTINGS, PeopleSettingsSchema, DEFAULT_PEOPLE_SETTINGS) : null;
    // An unknown tenant answers like a closed one: sign-up does not reveal which tenant ids exist.
    if (!tenant || settings?.signup !== 'open') throw new WardClerkError('SIGNUP_CLOSED', 'This tenant accepts new accounts by invitation only');
    created = await make(tenant.id, 'patient', null);
  }
  let { user } = created;
  if (user.role === 'patient') {
    const patient = await ensurePatientForUser(deps, user, { time_zone: input.time_zone, birth_date: input.birth_date, sex: input.sex });
    user = { ...user, patient_id: patient.patient_id };
  }
  return startSession(deps, user, input.password, created.privateKey);
}

/** Who may invite into which tenant: the operator into any (path tenant), a tenant admin into theirs. */
function invitingTenant(principal: Principal, pathTenantId?: string): string {
  if (principal.kind === 'operator' && pathTenantId !== undefined) return pathTenantId;
  if (principal.kind === 'user' && principal.role === 'tenant_admin' && pathTenantId === undefined) return principal.tenantId;
  throw new WardClerkError('FORBIDDEN', 'Only a tenant admin (or the operator, for a named tenant) may invite');
}

/**
 * Creates a single-use invitation for `role` (a patient one may name an existing Patient record
 * without an account). The code is returned once. NOT_FOUND for an unknown tenant or patient;
 * CONFLICT when that patient already has an account.
 */
export async function createInvitation(
  deps: PeopleDeps,
  principal: Principal,
  input: { role: UserRole; patient_id?: string | null; tenant_id?: string },
): Promise<{ code: string; invitation: InvitationRecord }> {
  const tenantId = invitingTenant(principal, input.tenant_id);
  if (!(await deps.store.tenants.get(tenantId))) throw new WardClerkError('NOT_FOUND', 'No such tenant', { details: { resource: 'tenant' } });
  const patientId = input.patient_id ?? null;
  if (patientId !== null) {
    if (input.role !== 'patient') throw new WardClerkError('VALIDATION_FAILED', 'Only a patient invitation may name a patient', { details: { field: 'patient_id' } });
    const patient = await deps.store.patients.get(tenantId, patientId);
    if (!patient) throw new WardClerkError('NOT_FOUND', 'No such patient', { details: { resource: 'patient' } });
    if (patient.user_id !== null) throw new WardClerkError('CONFLICT', 'This patient already has an account', { details: { reason: 'patient_has_account' } });
  }
  return deps.store.invitations.create(tenantId, { role: input.role, patient_id: patientId, created_by: principal.sub, now: nowOf(deps), ttlSeconds: deps.config.invitationTtlSeconds });
}

/** The caller's tenant's `people` settings (tenant admins). */
export async function getPeopleSettings(deps: PeopleDeps, principal: Principal): Promise<PeopleSettings> {
  const tenantId = adminTenant(principal);
  return deps.store.settings.get(tenantId, PEOPLE_SETTINGS, PeopleSettingsSchema, DEFAULT_PEOPLE_SETTINGS);
}

/** Replaces the caller's tenant's `people` settings (tenant admins). */
export async function putPeopleSettings(deps: PeopleDeps, principal: Principal, input: PeopleSettings): Promise<PeopleSettings> {
  const tenantId = adminTenant(principal);
  const value = PeopleSettingsSchema.parse(input);
  await deps.store.settings.put(tenantId, PEOPLE_SETTINGS, value);
  return value;
}

/** The tenant of a tenant_admin principal; FORBIDDEN for anyone else. */
export function adminTenant(principal: Principal): string {
  if (principal.kind === 'user' && principal.role === 'tenant_admin') return principal.tenantId;
  throw new WardClerkError('FORBIDDEN', 'This is for tenant admins', { details: { allowed_roles: ['tenant_admin'] } });
}
