/**
 * When to restart a crashed child: exponential backoff, capped, reset by a run that lasted long
 * enough — and never a give-up. A role that keeps dying is restarted at the capped delay for as
 * long as it takes (a hospital's appliance must not turn one bad role into a full outage); after
 * `crashLoopAfter` fast crashes in a row it is reported as crash-looping so the state is loud in
 * the log, /readyz and /metrics instead of hidden in a restart loop.
 */
export interface RestartPolicyOptions {
  /** First delay; doubled per consecutive fast crash. */
  initialDelayMs: number;
  maxDelayMs: number;
  /** A run shorter than this counts as a fast crash. */
  fastCrashMs: number;
  /** After this many consecutive fast crashes the child is reported as crash-looping. */
  crashLoopAfter: number;
}

export const DEFAULT_RESTART_POLICY: RestartPolicyOptions = {
  initialDelayMs: 250,
  maxDelayMs: 15_000,
  fastCrashMs: 10_000,
  crashLoopAfter: 5,
};

export interface RestartDecision {
  delayMs: number;
  /** Consecutive fast crashes, this one included. */
  fastCrashes: number;
  crashLooping: boolean;
}

/** Tracks one child's crash history. */
export class RestartPolicy {
  private fastCrashes = 0;

  constructor(private readonly options: RestartPolicyOptions = DEFAULT_RESTART_POLICY) {}

  /** Call when the child exited unexpectedly after running for `uptimeMs`. */
  onCrash(uptimeMs: number): RestartDecision {
    if (uptimeMs >= this.options.fastCrashMs) this.fastCrashes = 0;
    this.fastCrashes += 1;
    // 2 ** n overflows to Infinity for a long loop; Math.min keeps the cap.
    const delayMs = Math.min(this.options.maxDelayMs, this.options.initialDelayMs * 2 ** Math.min(this.fastCrashes - 1, 30));
    return { delayMs, fastCrashes: this.fastCrashes, crashLooping: this.fastCrashes > this.options.crashLoopAfter };
  }
}
