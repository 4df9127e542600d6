/**
 * Caps on WebSocket connections: per client address (counted from the upgrade, so unauthenticated
 * sockets count too) and per tenant (counted once authenticated). A flood from one address or one
 * tenant's apps cannot use up the gateway's sockets and memory for everyone else.
 */

export const DEFAULT_MAX_SOCKETS_PER_ADDRESS = 64;
export const DEFAULT_MAX_SOCKETS_PER_TENANT = 256;

/** Counts open sockets per key and refuses a key at its limit. */
export interface KeyedCounter {
  /** Takes one slot for `key`; false (and nothing taken) when `key` is at the limit. */
  acquire(key: string): boolean;
  /** Gives back one slot taken by acquire. */
  release(key: string): void;
  count(key: string): number;
}

/** A KeyedCounter allowing `limit` slots per key; keys at zero are forgotten (no unbounded growth). */
export function keyedCounter(limit: number): KeyedCounter {
  const counts = new Map<string, number>();
  return {
    acquire(key) {
      const n = counts.get(key) ?? 0;
      if (n >= limit) return false;
      counts.set(key, n + 1);
      return true;
    },
    release(key) {
      const n = (counts.get(key) ?? 0) - 1;
      if (n <= 0) counts.delete(key);
      else counts.set(key, n);
    },
    count: (key) => counts.get(key) ?? 0,
  };
}
