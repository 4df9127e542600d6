/**
 * Signing people in and keeping them signed in (issue 8): user login (email + password, returning
 * a short-lived access JWT and a refresh token), refresh with rotation and reuse detection, and
 * logout. Plain functions of the deps, so REST and GraphQL share them. Passwords, emails and
 * tokens never reach a log line or an error.
 */
import { verifyPassword } from '../../core/crypto.js';
import { WardClerkError } from '../../core/errors.js';
import { createCredentialChecker } from '../auth/credential-checker.js';
import { normalizeIdentity } from '../auth/identity.js';
import { openPrivateKey } from '../auth/key-sealing.js';
import type { Principal } from '../http/app-env.js';
import type { GatewayDeps } from '../http/deps.js';
import type { SessionRecord } from '../store/sessions-repo.js';
import type { UserRecord } from '../store/user-records.js';

/** What the people services use; the gateway's GatewayDeps is one. `clock` is for tests. */
export type PeopleDeps = Pick<GatewayDeps, 'config' | 'store' | 'tokens' | 'sessionKeys' | 'passwordCost'> & { clock?: () => Date };

export const nowOf = (deps: PeopleDeps): Date => deps.clock?.() ?? new Date();

/** The answer to a user's login or refresh. */
export interface UserTokens {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  refresh_token: string;
  /** When the session ends for good (refreshing does not move it). */
  refresh_expires_at: string;
  user: { user_id: string; role: UserRecord['role']; tenant_id: string; must_change_password: boolean };
}

/** A failed login: who it concerned when known (ids for the limiter's lockout event). */
export interface LoginFailure {
  ok: false;
  tenantId?: string;
  userId?: string;
}

// One dummy-hash checker per process: an unknown email costs one Argon2id verify, like a known one.
const checker = createCredentialChecker();

async function tokensFor(deps: PeopleDeps, user: UserRecord, session: SessionRecord, refreshToken: string): Promise<UserTokens> {
  const access = await deps.tokens.issueUserToken({ user_id: user.user_id, tenant_id: user.tenant_id, role: user.role, sid: session.session_id }, deps.config.userTokenTtlSeconds);
  return {
    ...access,
    refresh_token: refreshToken,
    refresh_expires_at: session.expires_at,
    user: { user_id: user.user_id, role: user.role, tenant_id: user.tenant_id, must_change_password: user.must_change_password },
  };
}

/**
 * Starts a session for `user` whose `password` was just checked: opens the private key into
 * memory for the session's life (or takes `opened`, already open, e.g. at sign-up) and issues the tokens.
 */
export async function startSession(deps: PeopleDeps, user: UserRecord, password: string, opened?: Uint8Array): Promise<UserTokens> {
  const privateKey = opened ?? openPrivateKey(user.sealed_private_key, password, user.user_id);
  if (!privateKey) throw new WardClerkError('INTERNAL', 'The account key could not be opened', { details: { reason: 'key_unseal_failed' } });
  const { session, refreshToken } = await deps.store.sessions.create(user.tenant_id, user.user_id, { now: nowOf(deps), ttlSeconds: deps.config.refreshTtlSeconds });
  deps.sessionKeys.put(session.session_id, user.user_id, privateKey, Date.parse(session.expires_at));
  return tokensFor(deps, user, session, refreshToken);
}

/**
 * Logs a user in by email and password. Without `tenant_id` the email is looked up in every
 * tenant; when the password matches accounts in more than one, TENANT_REQUIRED (400). A wrong
 * email or password answers `{ok: false}` (the route throws INVALID_CREDENTIALS and counts it);
 * a disabled account with the right password is ACCOUNT_DISABLED (403).
 */
export async function loginUser(deps: PeopleDeps, input: { email: string; password: string; tenant_id?: string }): Promise<{ ok: true; tokens: UserTokens } | LoginFailure> {
  const email = normalizeIdentity(input.email);
  const tenantIds = input.tenant_id !== undefined ? [input.tenant_id] : (await deps.store.tenants.list()).map((t) => t.id);
  const found = (await Promise.all(tenantIds.map((t) => deps.store.users.getByEmail(t, email)))).filter((u): u is UserRecord => u !== null);
  if (found.length === 0) {
    await checker.verify(null, input.password);
    return { ok: false };
  }
  const matching: UserRecord[] = [];
  for (const u of found) if (await verifyPassword(u.password_hash, input.password)) matching.push(u);
  if (matching.length === 0) return found.length === 1 ? { ok: false, tenantId: found[0]!.tenant_id, userId: found[0]!.user_id } : { ok: false };
  if (matching.length > 1) throw new WardClerkError('TENANT_REQUIRED', 'This email has accounts in several tenants; give tenant_id', { details: { field: 'tenant_id' } });
  const user = matching[0]!;
  if (user.status !== 'active') throw new WardClerkError('ACCOUNT_DISABLED', 'This account is disabled; ask your administrator');
  return { ok: true, tokens: await startSession(deps, user, input.password) };
}

/**
 * Exchanges a refresh token for a new pair. Unknown, expired or revoked → REFRESH_TOKEN_INVALID;
 * a token already exchanged → REFRESH_TOKEN_REUSED, and the whole session is revoked (its key
 * dropped), because either the client or a thief holds a copy. A disabled user → ACCOUNT_DISABLED.
 * `onFailure` is told who a refused token concerned, and `beforeRotate` (which may throw, e.g.
 * RATE_LIMITED per account) sees the session before anything changes.
 */
export async function refreshSession(
  deps: PeopleDeps,
  refreshToken: string,
  onFailure?: (who: LoginFailure) => void,
  beforeRotate?: (s: SessionRecord) => void,
): Promise<UserTokens> {
  let user: UserRecord | null = null;
  const result = await deps.store.sessions.rotate(refreshToken, {
    now: nowOf(deps),
    guard: async (s) => {
      beforeRotate?.(s);
      user = await deps.store.users.get(s.tenant_id, s.user_id);
      if (!user || user.status !== 'active') throw new WardClerkError('ACCOUNT_DISABLED', 'This account is disabled; ask your administrator');
    },
  });
  if (!result.ok) {
    const s = result.session;
    onFailure?.(s ? { ok: false, tenantId: s.tenant_id, userId: s.user_id } : { ok: false });
    if (s && s.status === 'revoked') deps.sessionKeys.drop(s.session_id);
    if (result.reason === 'reused') {
      throw new WardClerkError('REFRESH_TOKEN_REUSED', 'This refresh token was already used; the session is revoked, sign in again', { details: { reason: 'reused' } });
    }
    throw new WardClerkError('REFRESH_TOKEN_INVALID', 'The refresh token is unknown, expired or revoked; sign in again', { details: { reason: result.reason } });
  }
  deps.sessionKeys.extend(result.session.session_id, Date.parse(result.session.expires_at));
  return tokensFor(deps, user!, result.session, result.refreshToken);
}

/** Ends the caller's session: its refresh tokens stop working and its key is dropped. */
export async function logout(deps: PeopleDeps, principal: Principal): Promise<{ session_id: string; revoked: boolean }> {
  if (principal.kind !== 'user') throw new WardClerkError('FORBIDDEN', 'Only a signed-in user has a session to end');
  deps.sessionKeys.drop(principal.sid);
  const s = await deps.store.sessions.revoke(principal.tenantId, principal.sid, 'logout');
  return { session_id: principal.sid, revoked: s !== null };
}

/**
 * Throws INVALID_TOKEN unless the user principal's session is still live (not logged out, revoked
 * or expired). In the gateway the session gate (gateway/auth/session-gate.ts) already refuses such
 * a token on every request with SESSION_REVOKED; services that act on the session (who am I,
 * password change) still check here, so they hold on any token service.
 */
export async function assertLiveSession(deps: Pick<PeopleDeps, 'store' | 'clock'>, principal: Principal): Promise<void> {
  if (principal.kind !== 'user') return;
  if (!(await deps.store.sessions.isLive(principal.tenantId, principal.sid, deps.clock?.() ?? new Date()))) {
    throw new WardClerkError('INVALID_TOKEN', 'The session has ended; sign in again', { details: { reason: 'session_ended' } });
  }
}
