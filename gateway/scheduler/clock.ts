/**
 * The scheduler's clock, injected so tests run days of schedules in milliseconds: `now()` and a
 * one-shot timer. `systemClock` is the real one; `ManualClock` (tests, benches) moves only when
 * told, firing due timers in time order as it advances.
 */
export interface Clock {
  now(): number;
  /** Calls `fn` once after `ms`; returns a cancel function. */
  timer(ms: number, fn: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  timer(ms, fn) {
    // Node timers cap at ~24.8 days; the dispatcher re-arms long before that anyway.
    const t = setTimeout(fn, Math.max(0, Math.min(ms, 2 ** 31 - 1)));
    t.unref();
    return () => clearTimeout(t);
  },
};

/** A clock that moves only on `advance`/`set`. */
export class ManualClock implements Clock {
  #now: number;
  #timers: Array<{ at: number; fn: () => void; id: number }> = [];
  #seq = 0;

  constructor(start: number) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  timer(ms: number, fn: () => void): () => void {
    const id = ++this.#seq;
    this.#timers.push({ at: this.#now + Math.max(0, ms), fn, id });
    return () => { this.#timers = this.#timers.filter((t) => t.id !== id); };
  }

  /** When the earliest pending timer fires, or null when none is pending. */
  nextTimerAt(): number | null {
    return this.#timers.length === 0 ? null : Math.min(...this.#timers.map((t) => t.at));
  }

  /** Moves time forward by `ms`, firing every timer that falls due, in order. */
  advance(ms: number): void {
    this.set(this.#now + ms);
  }

  set(to: number): void {
    for (;;) {
      const next = this.#timers.filter((t) => t.at <= to).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      this.#timers = this.#timers.filter((t) => t.id !== next.id);
      this.#now = Math.max(this.#now, next.at);
      next.fn();
    }
    this.#now = Math.max(this.#now, to);
  }
}
