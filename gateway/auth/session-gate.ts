/**
 * The session gate: a person's access token is honoured only while its session (`sid`) is live and
 * its account enabled, so a logout, a revocation, a disabled account or a password reset takes
 * effect on the next request, not when the token expires. The gateway owns the store, so every
 * such change happens in this process: the store tells the gate (sessions `onEnded`, users
 * `onChanged`) and the gate forgets what it had cached. Lookups are cached per session in a small
 * bounded map (a hot path costs no store read); answers "ended" are cached too (they never revert).
 */
import { WardClerkError } from '../../core/errors.js';
import type { Principal } from '../http/app-env.js';
import type { SessionEnded, SessionsRepo } from '../store/sessions-repo.js';
import type { UsersRepo } from '../store/users-repo.js';
import type { TokenService } from './token-service.js';

/** The store methods the gate uses (the real Store satisfies it). */
export interface SessionGateStore {
  sessions: Pick<SessionsRepo, 'get' | 'onEnded'>;
  users: Pick<UsersRepo, 'get' | 'onChanged'>;
}

export type UserPrincipal = Extract<Principal, { kind: 'user' }>;

/** Why a session no longer admits its tokens (`details.reason` of SESSION_REVOKED). */
export type EndedReason = SessionEnded['reason'] | 'account_disabled' | 'unknown_session';

type Verdict = { live: true; mustChangePassword: boolean } | { live: false; reason: EndedReason };

interface Entry {
  tenantId: string;
  userId: string;
  verdict: Verdict;
  /** ms epoch after which the entry is read again from the store. */
  until: number;
}

export interface SessionGateOptions {
  /** Most sessions cached (least recently used dropped first; default 10,000). */
  maxEntries?: number;
  /** Longest a live verdict is trusted without a store read (default 60 s): a bound, not the mechanism. */
  ttlMs?: number;
  /** Injected clock, ms epoch. */
  now?: () => number;
}

export class SessionGate {
  readonly #store: SessionGateStore;
  // Map order is recency order: hits re-insert, so the first key is the least recently used.
  readonly #cache = new Map<string, Entry>();
  readonly #max: number;
  readonly #ttl: number;
  readonly #now: () => number;
  readonly #ended = new Set<(e: { sessionId: string; reason: EndedReason }) => void>();
  readonly #unsubscribe: Array<() => void>;
  // Bumped on every invalidation: a lookup that raced one does not cache what it read.
  #epoch = 0;

  constructor(store: SessionGateStore, options: SessionGateOptions = {}) {
    this.#store = store;
    this.#max = options.maxEntries ?? 10_000;
    this.#ttl = options.ttlMs ?? 60_000;
    this.#now = options.now ?? Date.now;
    this.#unsubscribe = [
      store.sessions.onEnded((e) => {
        this.#epoch++;
        this.#cache.delete(key(e.tenantId, e.sessionId));
        for (const l of this.#ended) l({ sessionId: e.sessionId, reason: e.reason });
      }),
      store.users.onChanged((u) => {
        this.#epoch++;
        for (const [k, e] of this.#cache) if (e.userId === u.userId && e.tenantId === u.tenantId) this.#cache.delete(k);
      }),
    ];
  }

  /**
   * Resolves to the session's standing when it admits its tokens; otherwise throws SESSION_REVOKED
   * (401, `details.reason`: logout, reuse, password_change, password_reset, disabled, expired,
   * account_disabled or unknown_session).
   */
  async admit(p: UserPrincipal): Promise<{ mustChangePassword: boolean }> {
    const verdict = await this.#verdict(p);
    if (!verdict.live) {
      throw new WardClerkError('SESSION_REVOKED', 'This session has ended; sign in again', { details: { reason: verdict.reason } });
    }
    return { mustChangePassword: verdict.mustChangePassword };
  }

  /** Calls `listener` when a session ends in this process (to close its open sockets). Returns the unsubscribe. */
  onEnded(listener: (e: { sessionId: string; reason: EndedReason }) => void): () => void {
    this.#ended.add(listener);
    return () => this.#ended.delete(listener);
  }

  /** Sessions cached now (tests). */
  get size(): number {
    return this.#cache.size;
  }

  /** Stops listening to the store and empties the cache. */
  close(): void {
    for (const u of this.#unsubscribe) u();
    this.#ended.clear();
    this.#cache.clear();
  }

  async #verdict(p: UserPrincipal): Promise<Verdict> {
    const k = key(p.tenantId, p.sid);
    const now = this.#now();
    const hit = this.#cache.get(k);
    if (hit && hit.userId === p.sub && hit.until > now) {
      this.#cache.delete(k);
      this.#cache.set(k, hit);
      return hit.verdict;
    }
    const epoch = this.#epoch;
    const [session, user] = await Promise.all([this.#store.sessions.get(p.tenantId, p.sid), this.#store.users.get(p.tenantId, p.sub)]);
    let verdict: Verdict;
    let until = Number.POSITIVE_INFINITY; // an ended session never comes back
    if (!session || session.user_id !== p.sub) verdict = { live: false, reason: 'unknown_session' };
    else if (session.status === 'revoked') verdict = { live: false, reason: session.revoked_reason ?? 'logout' };
    else if (Date.parse(session.expires_at) <= now) verdict = { live: false, reason: 'expired' };
    else if (!user || user.status !== 'active') verdict = { live: false, reason: 'account_disabled' };
    else {
      verdict = { live: true, mustChangePassword: user.must_change_password };
      until = Math.min(Date.parse(session.expires_at), now + this.#ttl);
    }
    if (epoch === this.#epoch) {
      this.#cache.delete(k);
      this.#cache.set(k, { tenantId: p.tenantId, userId: p.sub, verdict, until });
      while (this.#cache.size > this.#max) this.#cache.delete(this.#cache.keys().next().value!);
    }
    return verdict;
  }
}

const key = (tenantId: string, sid: string) => `${tenantId}:${sid}`;

/**
 * Wraps a TokenService so `verify` admits a person's token only through the gate (operator and
 * client tokens pass unchanged); a principal whose account must change its password carries
 * `mustChangePassword: true`, which requireAuth enforces. Wrap outside the verify cache: the
 * signature is cached, the session is checked on every call.
 */
export function withSessionGate(tokens: TokenService, gate: SessionGate): TokenService {
  return {
    ...tokens,
    async verify(token) {
      const principal = await tokens.verify(token);
      if (principal.kind !== 'user') return principal;
      const { mustChangePassword } = await gate.admit(principal);
      return mustChangePassword ? { ...principal, mustChangePassword: true } : principal;
    },
  };
}
