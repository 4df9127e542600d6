/**
 * An in-process async mutex per key (e.g. per job id): `run(key, fn)` runs `fn` after every earlier
 * `run` with the same key has settled. Only the gateway opens the store, so in-process
 * serialisation is enough to keep read-modify-write updates (job counters) consistent.
 */
export class KeyedLock {
  readonly #tails = new Map<string, Promise<unknown>>();

  /** Runs `fn` exclusively for `key`; resolves or rejects with its outcome. */
  async run<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const prev = this.#tails.get(key) ?? Promise.resolve();
    const result = prev.then(fn);
    // The tail must never reject, or the next waiter would skip straight to its own rejection path.
    const tail = result.then(() => undefined, () => undefined);
    this.#tails.set(key, tail);
    try {
      return await result;
    } finally {
      // Forget the key once nobody queued behind us, so the map does not grow with every job ever seen.
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    }
  }

  /** Number of keys with work queued or running (for tests). */
  get size(): number {
    return this.#tails.size;
  }
}
