/**
 * Throttles failed credential attempts per client IP and per account with progressive delays, so a
 * guesser is slowed to a crawl while the person who owns the account is never locked out for long:
 * - per IP: a few free failures, then each failure blocks the IP for base·2ⁿ, capped at 15 minutes;
 *   a success does not clear it (an attacker holding one valid account could otherwise reset it);
 * - per account: a few free failures, then short blocks capped at 30 seconds, cleared by a success
 *   and decaying by one failure a minute. The right password from another IP succeeds as soon as
 *   the account's short block ends, while the attacking IP stays blocked.
 * Checked before the Argon2 work, so a flood of guesses costs the server little. Every new block is
 * reported through `onLockout` (a PHI-free log line and a metric in the gateway). Keys are SHA-256
 * digests of the normalised identity or the IP, so the state holds no login names and can be
 * saved to disk (see attempt-limiter-file.ts) to survive a restart.
 *
 * Doors (`kind`): operator and user login and the OAuth token endpoint share the per-IP count;
 * sign-up, refresh and password change (issue 8) each count per IP on their own, so a burst of
 * sign-ups from a hospital's NAT does not lock its staff out of signing in. Sign-up records every
 * attempt (it is a rate, not a guess); the others record failures.
 */
import { createHash } from 'node:crypto';
import { WardClerkError } from '../../core/errors.js';

export interface Attempt {
  /** Which door: login (operator or user), the OAuth token endpoint, sign-up, refresh, password change. */
  kind: 'login' | 'client' | 'signup' | 'refresh' | 'password';
  /** The normalised identity (gateway/auth/identity.ts) or a user id; null: throttle by IP only. */
  identity: string | null;
  /** The client's IP address, or 'unknown'. */
  ip: string;
  /** The tenant and user concerned, when known: named (ids only) in the lockout event. */
  tenantId?: string;
  userId?: string;
}

export interface LockoutEvent {
  kind: Attempt['kind'];
  scope: 'ip' | 'account';
  /** 16 hex chars of the key's digest: lets an operator correlate events without learning who. */
  key_hash: string;
  retry_after_s: number;
  failures: number;
  tenant_id?: string;
  user_id?: string;
}

export interface ThrottleEntry {
  failures: number;
  last: number;
  blockedUntil: number;
}

export interface AttemptLimiter {
  /** Throws RATE_LIMITED (429, retryAfter seconds) while the IP or the account is blocked. */
  check(attempt: Attempt): void;
  recordFailure(attempt: Attempt): void;
  /** A success clears the account's failures (not the IP's). */
  recordSuccess(attempt: Attempt): void;
  /** The current state (digest → entry), for persistence. */
  entries(): Array<[string, ThrottleEntry]>;
  /** Restores state saved by `entries()`. */
  restore(entries: Array<[string, ThrottleEntry]>): void;
}

export interface ScopePolicy {
  /** Failures that block (for baseMs) when reached; each later one doubles the block. */
  free: number;
  baseMs: number;
  maxMs: number;
  /** One failure is forgotten per this many ms without a new one. */
  decayMs: number;
}

export interface AttemptLimiterOptions {
  /** The failure count that starts blocking (both scopes); the default is 5. */
  maxFailures?: number;
  ip?: Partial<ScopePolicy>;
  account?: Partial<ScopePolicy>;
  /** Per-door overrides of the two policies (sign-up, for one, allows more per IP). */
  kinds?: Partial<Record<Attempt['kind'], { ip?: Partial<ScopePolicy>; account?: Partial<ScopePolicy> }>>;
  /** Most keys tracked; the least recently used are dropped past it so random keys cannot grow memory. */
  maxKeys?: number;
  now?: () => number;
  onLockout?: (event: LockoutEvent) => void;
  /** Called after every change (persistence hooks in here). */
  onChange?: () => void;
}

const MINUTE = 60_000;

/** Defaults per door, under `options.kinds`: sign-ups are counted per IP, not just failures. */
const KIND_DEFAULTS: AttemptLimiterOptions['kinds'] = {
  signup: { ip: { free: 10, baseMs: MINUTE, maxMs: 60 * MINUTE, decayMs: 6 * MINUTE }, account: { free: 5 } },
  refresh: { ip: { free: 10 } },
};
/** Doors whose per-IP count is shared (the original two; their saved keys keep their form). */
const SHARED_IP = new Set<Attempt['kind']>(['login', 'client']);

/** Normalises an IP so IPv4-mapped IPv6 is IPv4 and an IPv6 client is throttled by its /64. */
export function ipKey(ip: string): string {
  const v = ip.startsWith('::ffff:') && ip.includes('.') ? ip.slice(7) : ip;
  if (!v.includes(':')) return v;
  const [head = '', tail = ''] = v.split('::');
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const groups = v.includes('::') ? [...h, ...Array(Math.max(0, 8 - h.length - t.length)).fill('0'), ...t] : h;
  return `${groups.slice(0, 4).map((g) => g.toLowerCase().replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

const digest = (s: string) => createHash('sha256').update(s).digest('hex');

export function createAttemptLimiter(options: AttemptLimiterOptions = {}): AttemptLimiter {
  const free = options.maxFailures ?? 5;
  const ipBase: ScopePolicy = { free, baseMs: 1000, maxMs: 15 * MINUTE, decayMs: 10 * MINUTE, ...options.ip };
  const accountBase: ScopePolicy = { free, baseMs: 1000, maxMs: 30_000, decayMs: MINUTE, ...options.account };
  const policy = (kind: Attempt['kind'], scope: 'ip' | 'account'): ScopePolicy => ({
    ...(scope === 'ip' ? ipBase : accountBase),
    ...KIND_DEFAULTS?.[kind]?.[scope],
    ...options.kinds?.[kind]?.[scope],
  });
  const maxKeys = options.maxKeys ?? 10_000;
  const now = options.now ?? Date.now;
  // Map keeps insertion order: re-inserting on use makes the first entries the least recent.
  const state = new Map<string, ThrottleEntry>();

  const keyOf = (a: Attempt, scope: 'ip' | 'account') =>
    digest(scope === 'ip' ? (SHARED_IP.has(a.kind) ? `ip:${ipKey(a.ip)}` : `ip:${a.kind}:${ipKey(a.ip)}`) : `${a.kind}:${a.identity}`);

  function current(key: string, policy: ScopePolicy): ThrottleEntry | null {
    const e = state.get(key);
    if (!e) return null;
    const t = now();
    const forgotten = Math.floor((t - e.last) / policy.decayMs);
    if (forgotten > 0 && e.blockedUntil <= t) {
      e.failures = Math.max(0, e.failures - forgotten);
      e.last += forgotten * policy.decayMs;
      if (e.failures === 0) {
        state.delete(key);
        return null;
      }
    }
    return e;
  }

  function blocked(key: string, policy: ScopePolicy): number {
    const e = current(key, policy);
    return e && e.blockedUntil > now() ? e.blockedUntil - now() : 0;
  }

  function fail(a: Attempt, scope: 'ip' | 'account', policy: ScopePolicy): void {
    const key = keyOf(a, scope);
    const e = current(key, policy) ?? { failures: 0, last: now(), blockedUntil: 0 };
    e.failures++;
    e.last = now();
    if (e.failures >= policy.free) {
      const ms = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(30, e.failures - policy.free));
      e.blockedUntil = now() + ms;
      options.onLockout?.({
        kind: a.kind, scope, key_hash: key.slice(0, 16), retry_after_s: Math.ceil(ms / 1000), failures: e.failures,
        ...(a.tenantId ? { tenant_id: a.tenantId } : {}), ...(a.userId ? { user_id: a.userId } : {}),
      });
    }
    state.delete(key);
    state.set(key, e);
    while (state.size > maxKeys) state.delete(state.keys().next().value!);
  }

  return {
    check(a) {
      const ipWait = blocked(keyOf(a, 'ip'), policy(a.kind, 'ip'));
      const wait = a.identity === null ? ipWait : Math.max(ipWait, blocked(keyOf(a, 'account'), policy(a.kind, 'account')));
      if (wait > 0) {
        const retryAfter = Math.max(1, Math.ceil(wait / 1000));
        throw new WardClerkError('RATE_LIMITED', 'Too many failed attempts; retry later', { retryAfter, details: { retry_after_s: retryAfter } });
      }
    },
    recordFailure(a) {
      fail(a, 'ip', policy(a.kind, 'ip'));
      if (a.identity !== null) fail(a, 'account', policy(a.kind, 'account'));
      options.onChange?.();
    },
    recordSuccess(a) {
      if (a.identity !== null && state.delete(keyOf(a, 'account'))) options.onChange?.();
    },
    entries() {
      return [...state.entries()].map(([k, e]) => [k, { ...e }]);
    },
    restore(entries) {
      for (const [k, e] of entries) state.set(k, { ...e });
      while (state.size > maxKeys) state.delete(state.keys().next().value!);
    },
  };
}
