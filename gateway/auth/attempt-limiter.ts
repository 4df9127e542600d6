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
 */
import { createHash } from 'node:crypto';
import { WardClerkError } from '../../core/errors.js';

export interface Attempt {
  /** Which door: operator login or the OAuth token endpoint. */
  kind: 'login' | 'client';
  /** The normalised identity (gateway/auth/identity.ts). */
  identity: string;
  /** The client's IP address, or 'unknown'. */
  ip: string;
}

export interface LockoutEvent {
  kind: Attempt['kind'];
  scope: 'ip' | 'account';
  /** 16 hex chars of the key's digest: lets an operator correlate events without learning who. */
  key_hash: string;
  retry_after_s: number;
  failures: number;
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
  /** Most keys tracked; the least recently used are dropped past it so random keys cannot grow memory. */
  maxKeys?: number;
  now?: () => number;
  onLockout?: (event: LockoutEvent) => void;
  /** Called after every change (persistence hooks in here). */
  onChange?: () => void;
}

const MINUTE = 60_000;

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
  const ipPolicy: ScopePolicy = { free, baseMs: 1000, maxMs: 15 * MINUTE, decayMs: 10 * MINUTE, ...options.ip };
  const accountPolicy: ScopePolicy = { free, baseMs: 1000, maxMs: 30_000, decayMs: MINUTE, ...options.account };
  const maxKeys = options.maxKeys ?? 10_000;
  const now = options.now ?? Date.now;
  // Map keeps insertion order: re-inserting on use makes the first entries the least recent.
  const state = new Map<string, ThrottleEntry>();

  const keyOf = (a: Attempt, scope: 'ip' | 'account') => digest(scope === 'ip' ? `ip:${ipKey(a.ip)}` : `${a.kind}:${a.identity}`);

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
      options.onLockout?.({ kind: a.kind, scope, key_hash: key.slice(0, 16), retry_after_s: Math.ceil(ms / 1000), failures: e.failures });
    }
    state.delete(key);
    state.set(key, e);
    while (state.size > maxKeys) state.delete(state.keys().next().value!);
  }

  return {
    check(a) {
      const wait = Math.max(blocked(keyOf(a, 'ip'), ipPolicy), blocked(keyOf(a, 'account'), accountPolicy));
      if (wait > 0) {
        const retryAfter = Math.max(1, Math.ceil(wait / 1000));
        throw new WardClerkError('RATE_LIMITED', 'Too many failed attempts; retry later', { retryAfter, details: { retry_after_s: retryAfter } });
      }
    },
    recordFailure(a) {
      fail(a, 'ip', ipPolicy);
      fail(a, 'account', accountPolicy);
      options.onChange?.();
    },
    recordSuccess(a) {
      if (state.delete(keyOf(a, 'account'))) options.onChange?.();
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
