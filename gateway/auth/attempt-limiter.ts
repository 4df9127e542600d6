/**
 * In-memory limiter of failed credential attempts per key (a client_id or an email). After
 * `maxFailures` failures inside `windowMs` the key is refused until the window's first failure
 * ages out. Checked before the Argon2 work so a flood of guesses costs the server little. One
 * gateway process owns the store, so in-memory state is the whole truth.
 */
import { WardClerkError } from '../../core/errors.js';

export interface AttemptLimiter {
  /** Throws RATE_LIMITED (429, retryAfter seconds) when the key has too many recent failures. */
  check(key: string): void;
  recordFailure(key: string): void;
  /** Forgets a key's failures (after a success). */
  reset(key: string): void;
}

export interface AttemptLimiterOptions {
  maxFailures?: number;
  windowMs?: number;
  /** Most keys tracked; the oldest are dropped past it so random keys cannot grow memory. */
  maxKeys?: number;
  /** Clock, for tests. */
  now?: () => number;
}

export function createAttemptLimiter(options: AttemptLimiterOptions = {}): AttemptLimiter {
  const maxFailures = options.maxFailures ?? 10;
  const windowMs = options.windowMs ?? 60_000;
  const maxKeys = options.maxKeys ?? 10_000;
  const now = options.now ?? Date.now;
  // Map keeps insertion order: the first entries are the oldest keys.
  const failures = new Map<string, number[]>();

  function recent(key: string): number[] {
    const cutoff = now() - windowMs;
    const list = (failures.get(key) ?? []).filter((t) => t > cutoff);
    if (list.length === 0) failures.delete(key);
    else failures.set(key, list);
    return list;
  }

  return {
    check(key) {
      const list = recent(key);
      if (list.length >= maxFailures) {
        const retryAfter = Math.max(1, Math.ceil((list[0]! + windowMs - now()) / 1000));
        throw new WardClerkError('RATE_LIMITED', 'Too many failed attempts; retry later', { retryAfter, details: { retry_after_s: retryAfter } });
      }
    },
    recordFailure(key) {
      const list = recent(key);
      list.push(now());
      failures.delete(key);
      failures.set(key, list);
      while (failures.size > maxKeys) failures.delete(failures.keys().next().value!);
    },
    reset(key) {
      failures.delete(key);
    },
  };
}
