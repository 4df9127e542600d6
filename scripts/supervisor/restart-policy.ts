/**
 * When to restart a crashed child: exponential backoff, reset by a run that lasted long enough,
 * and a give-up after too many fast crashes in a row (a role that dies on start would otherwise
 * spin forever and hide the error in a scrolling log).
 */
export interface RestartPolicyOptions {
  /** First delay; doubled per consecutive fast crash. */
  initialDelayMs: number;
  maxDelayMs: number;
  /** A run shorter than this counts as a fast crash. */
  fastCrashMs: number;
  /** Give up after this many consecutive fast crashes. */
  maxFastCrashes: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicyOptions = {
  initialDelayMs: 250,
  maxDelayMs: 15_000,
  fastCrashMs: 10_000,
  maxFastCrashes: 5,
};

export type RestartDecision = { restart: true; delayMs: number } | { restart: false; fastCrashes: number };

/** Tracks one child's crash history. */
export class RestartPolicy {
  private fastCrashes = 0;

  constructor(private readonly options: RestartPolicyOptions = DEFAULT_RESTART_POLICY) {}

  /** Call when the child exited unexpectedly after running for `uptimeMs`. */
  onCrash(uptimeMs: number): RestartDecision {
    if (uptimeMs >= this.options.fastCrashMs) this.fastCrashes = 0;
    this.fastCrashes += 1;
    if (this.fastCrashes > this.options.maxFastCrashes) return { restart: false, fastCrashes: this.fastCrashes };
    const delayMs = Math.min(this.options.maxDelayMs, this.options.initialDelayMs * 2 ** (this.fastCrashes - 1));
    return { restart: true, delayMs };
  }
}
