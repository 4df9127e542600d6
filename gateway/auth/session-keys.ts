/**
 * Users' private keys, unsealed, in memory only, while their session is live. Sign-in puts the
 * key here (opened with the password it just checked); logout, expiry, a password change or reset,
 * a disabled account and eviction drop it, and a dropped key's bytes are zeroed. Nothing here is
 * ever written anywhere: after a gateway restart every user must sign in again before their
 * private key (and so their messages) can be used, even while their refresh token still works.
 */
import sodium from 'libsodium-wrappers-sumo';
import '../../core/crypto.js';

export interface SessionKey {
  userId: string;
  /** X25519 secret key. Use it within the request; do not keep it: it is zeroed when dropped. */
  privateKey: Uint8Array;
}

interface Entry extends SessionKey {
  expiresAt: number;
}

export interface SessionKeysOptions {
  /** Most sessions held; past it the least recently used is dropped (default 10,000). */
  maxEntries?: number;
  /** Injected clock (ms since the epoch). */
  now?: () => number;
}

export class SessionKeys {
  // Map order is recency order: get/put re-insert, so the first entry is the least recently used.
  readonly #entries = new Map<string, Entry>();
  readonly #max: number;
  readonly #now: () => number;

  constructor(options: SessionKeysOptions = {}) {
    this.#max = options.maxEntries ?? 10_000;
    this.#now = options.now ?? Date.now;
  }

  /** Holds `privateKey` (taking ownership: it is zeroed on drop) for session `sid` until `expiresAt` (ms). */
  put(sid: string, userId: string, privateKey: Uint8Array, expiresAt: number): void {
    this.drop(sid);
    this.#entries.set(sid, { userId, privateKey, expiresAt });
    while (this.#entries.size > this.#max) this.drop(this.#entries.keys().next().value!);
  }

  /** The session's user and private key, or null (never signed in here, dropped, or expired). */
  get(sid: string): SessionKey | null {
    const e = this.#entries.get(sid);
    if (!e) return null;
    if (e.expiresAt <= this.#now()) {
      this.drop(sid);
      return null;
    }
    this.#entries.delete(sid);
    this.#entries.set(sid, e);
    return { userId: e.userId, privateKey: e.privateKey };
  }

  /** Moves a live session's expiry (after a refresh); false when it holds no key. */
  extend(sid: string, expiresAt: number): boolean {
    const e = this.#entries.get(sid);
    if (!e) return false;
    e.expiresAt = expiresAt;
    return true;
  }

  /** Drops one session's key, zeroing it; false when there was none. */
  drop(sid: string): boolean {
    const e = this.#entries.get(sid);
    if (!e) return false;
    sodium.memzero(e.privateKey);
    this.#entries.delete(sid);
    return true;
  }

  /** Drops every session key of `userId` except `keepSid`'s; returns how many were dropped. */
  dropUser(userId: string, keepSid?: string): number {
    let n = 0;
    for (const [sid, e] of [...this.#entries]) if (e.userId === userId && sid !== keepSid && this.drop(sid)) n++;
    return n;
  }

  /** How many keys are held (expired ones included until touched). */
  get size(): number {
    return this.#entries.size;
  }

  /** Zeroes and drops everything (gateway shutdown). */
  clear(): void {
    for (const sid of [...this.#entries.keys()]) this.drop(sid);
  }
}
