/**
 * Accounts after sign-up (issue 8): who am I, changing one's password (every user and the
 * operator), and a tenant admin's user management: list, disable/enable, reset a password. A
 * password change re-seals the same private key under the new password; an admin reset cannot
 * (nobody knows the old password), so it makes a new keypair and messages sealed to the old one
 * become unreadable, which the answer says in so many words.
 */
import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import sodium from 'libsodium-wrappers-sumo';
import { verifyPassword } from '../../core/crypto.js';
import { WardClerkError } from '../../core/errors.js';
import { newKeypair, openPrivateKey, sealPrivateKey } from '../auth/key-sealing.js';
import { INITIAL_ADMIN_FILE, OPERATOR_EMAIL } from '../auth/operator-bootstrap.js';
import { hashUserPassword } from '../auth/password-kdf.js';
import { assertPasswordAcceptable } from '../auth/password-policy.js';
import { USER_ROLES, type Principal, type UserRole } from '../http/app-env.js';
import type { UserRecord } from '../store/user-records.js';
import { assertLiveSession, nowOf, type PeopleDeps } from './sessions-service.js';
import { adminTenant } from './signup-service.js';

/** What a tenant admin sees of a user (never the hash or the sealed key). */
export function userView(u: UserRecord) {
  return {
    user_id: u.user_id, tenant_id: u.tenant_id, email: u.email, role: u.role, status: u.status, display_name: u.display_name,
    must_change_password: u.must_change_password, public_key: u.public_key, key_version: u.key_version, patient_id: u.patient_id, created_at: u.created_at,
  };
}
export type UserView = ReturnType<typeof userView>;

/** The caller: a user (with their session), the operator, or an API client. */
export async function whoAmI(deps: PeopleDeps, principal: Principal) {
  if (principal.kind === 'operator') return { kind: 'operator' as const, operator_id: principal.sub, email: OPERATOR_EMAIL };
  if (principal.kind === 'client') return { kind: 'client' as const, client_id: principal.sub, tenant_id: principal.tenantId, scopes: principal.scopes };
  await assertLiveSession(deps, principal);
  const user = await deps.store.users.get(principal.tenantId, principal.sub);
  if (!user || user.status !== 'active') throw new WardClerkError('INVALID_TOKEN', 'The session has ended; sign in again', { details: { reason: 'session_ended' } });
  return { kind: 'user' as const, ...userView(user), session_id: principal.sid, private_key_available: deps.sessionKeys.get(principal.sid) !== null };
}

async function checkCurrent(hash: string, password: string, onWrong?: () => void): Promise<void> {
  if (!(await verifyPassword(hash, password))) {
    onWrong?.();
    throw new WardClerkError('INVALID_CREDENTIALS', 'The current password is wrong', { details: { field: 'current_password' } });
  }
}

/**
 * Changes the caller's password (old one required). A user's private key is re-sealed under the
 * new password (same keypair: their messages stay readable) and every other session of theirs is
 * revoked. The operator's hash is replaced and the first-password file, now stale, deleted.
 * `onWrong` is told about a wrong current password (rate limiting).
 */
export async function changePassword(
  deps: PeopleDeps,
  principal: Principal,
  input: { current_password: string; new_password: string },
  onWrong?: () => void,
): Promise<{ password_changed_at: string; other_sessions_revoked: number }> {
  const at = nowOf(deps).toISOString();
  if (input.new_password === input.current_password) {
    throw new WardClerkError('WEAK_PASSWORD', 'The new password must differ from the current one', { details: { reason: 'unchanged' } });
  }
  if (principal.kind === 'operator') {
    assertPasswordAcceptable(input.new_password);
    const op = await deps.store.system.getOperatorByEmail(OPERATOR_EMAIL);
    if (!op || op.id !== principal.sub) throw new WardClerkError('FORBIDDEN', 'No such operator');
    await checkCurrent(op.password_hash, input.current_password, onWrong);
    await deps.store.system.putOperator({ ...op, password_hash: await hashUserPassword(input.new_password, deps.passwordCost) });
    await rm(join(deps.config.dataDir, INITIAL_ADMIN_FILE), { force: true });
    return { password_changed_at: at, other_sessions_revoked: 0 };
  }
  if (principal.kind !== 'user') throw new WardClerkError('FORBIDDEN', 'API clients have no password');
  await assertLiveSession(deps, principal);
  const { tenantId, sub: userId, sid } = principal;
  let opened: Uint8Array | null = null;
  const updated = await deps.store.users.update(tenantId, userId, async (user) => {
    assertPasswordAcceptable(input.new_password, { email: user.email });
    await checkCurrent(user.password_hash, input.current_password, onWrong);
    opened = openPrivateKey(user.sealed_private_key, input.current_password, user.user_id);
    if (!opened) throw new WardClerkError('INTERNAL', 'The account key could not be opened', { details: { reason: 'key_unseal_failed' } });
    const rec: UserRecord = {
      ...user,
      password_hash: await hashUserPassword(input.new_password, deps.passwordCost),
      sealed_private_key: sealPrivateKey(opened, input.new_password, user.user_id, deps.passwordCost),
      password_changed_at: at,
      must_change_password: false,
    };
    return { rec };
  });
  if (!updated) throw new WardClerkError('INVALID_TOKEN', 'The session has ended; sign in again', { details: { reason: 'session_ended' } });
  const revoked = await deps.store.sessions.revokeAllForUser(tenantId, userId, 'password_change', sid);
  deps.sessionKeys.dropUser(userId, sid);
  // The key was just opened: this session holds it again even if a restart had dropped it.
  const session = await deps.store.sessions.get(tenantId, sid);
  if (opened && session) deps.sessionKeys.put(sid, userId, opened, Date.parse(session.expires_at));
  else if (opened) sodium.memzero(opened);
  return { password_changed_at: at, other_sessions_revoked: revoked.length };
}

/** A page of the admin's tenant's users, one role or all (cursor `<role>.<user id>`; an empty id starts that role). */
export async function listUsers(deps: PeopleDeps, principal: Principal, query: { role?: UserRole; cursor?: string; limit?: number }) {
  const tenantId = adminTenant(principal);
  const limit = query.limit ?? 50;
  const roles = query.role ? [query.role] : [...USER_ROLES];
  let [cursorRole, cursorId] = query.cursor?.split('.') ?? [];
  if (query.cursor !== undefined && (!roles.includes(cursorRole as UserRole) || cursorId === undefined)) {
    throw new WardClerkError('VALIDATION_FAILED', 'cursor is not one this API returned', { details: { field: 'cursor' } });
  }
  const items: UserView[] = [];
  for (const role of roles.slice(cursorRole ? roles.indexOf(cursorRole as UserRole) : 0)) {
    const page = await deps.store.users.listByRole(tenantId, role, { limit: limit - items.length, ...(role === cursorRole && cursorId ? { cursor: cursorId } : {}) });
    items.push(...page.items.map(userView));
    if (page.next_cursor) return { items, next_cursor: `${role}.${page.next_cursor}` };
    cursorRole = undefined;
    if (items.length === limit) return { items, next_cursor: role === roles.at(-1) ? null : `${roles[roles.indexOf(role) + 1]}.` };
  }
  return { items, next_cursor: null };
}

async function targetUser(deps: PeopleDeps, tenantId: string, userId: string): Promise<UserRecord> {
  const user = await deps.store.users.get(tenantId, userId);
  if (!user) throw new WardClerkError('NOT_FOUND', 'No such user', { details: { resource: 'user' } });
  return user;
}

/** Disables (or with `active`, re-enables) a user; disabling ends all their sessions at once. */
export async function setUserStatus(deps: PeopleDeps, principal: Principal, userId: string, status: UserRecord['status']): Promise<UserView> {
  const tenantId = adminTenant(principal);
  if (principal.sub === userId) throw new WardClerkError('CONFLICT', 'You cannot change your own account status', { details: { reason: 'self' } });
  await targetUser(deps, tenantId, userId);
  const user = (await deps.store.users.setStatus(tenantId, userId, status))!;
  if (status === 'disabled') {
    await deps.store.sessions.revokeAllForUser(tenantId, userId, 'disabled');
    deps.sessionKeys.dropUser(userId);
  }
  return userView(user);
}

/** What an admin reset answers: the one-time password and the key consequence, explicitly. */
export interface PasswordReset {
  user_id: string;
  temporary_password: string;
  must_change_password: true;
  key_version: number;
  previous_messages_readable: false;
  notice: string;
}

/**
 * Resets a user's password (a tenant admin of their tenant, or the operator naming the tenant):
 * a one-time temporary password, must_change_password set, every session revoked, and a NEW
 * keypair (key_version + 1): messages sealed to the old key can never be read again.
 */
export async function resetPassword(deps: PeopleDeps, principal: Principal, userId: string, pathTenantId?: string): Promise<PasswordReset> {
  const tenantId = principal.kind === 'operator' && pathTenantId !== undefined ? pathTenantId : adminTenant(principal);
  await targetUser(deps, tenantId, userId);
  const temporary = randomBytes(18).toString('base64url');
  const at = nowOf(deps).toISOString();
  const user = (await deps.store.users.update(tenantId, userId, async (u) => {
    const { publicKey, privateKey } = newKeypair();
    const sealed = sealPrivateKey(privateKey, temporary, u.user_id, deps.passwordCost);
    sodium.memzero(privateKey);
    return {
      rec: {
        ...u, password_hash: await hashUserPassword(temporary, deps.passwordCost), password_changed_at: at, must_change_password: true,
        public_key: publicKey, sealed_private_key: sealed, key_version: u.key_version + 1,
      },
    };
  }))!;
  await deps.store.sessions.revokeAllForUser(tenantId, userId, 'password_reset');
  deps.sessionKeys.dropUser(userId);
  return {
    user_id: user.user_id, temporary_password: temporary, must_change_password: true, key_version: user.key_version, previous_messages_readable: false,
    notice: 'A new keypair was made: messages sealed to this user before the reset can no longer be read by anyone. Give the temporary password to the user privately; they must choose a new one at their next sign-in.',
  };
}
